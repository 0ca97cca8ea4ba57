import com.sun.net.httpserver.*; import java.net.*; import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.*;
public class StsChain {
  public static void main(String[] a) throws Exception {
    HttpServer srv = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 0);
    srv.createContext("/", ex -> { String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String action = req.replaceAll(".*Action=([A-Za-z]+).*", "$1");
      String x = "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action + "Result><Credentials><AccessKeyId>AK" + action + "</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>a</Arn><AssumedRoleId>i</AssumedRoleId></AssumedRoleUser><SubjectFromWebIdentityToken>s</SubjectFromWebIdentityToken><Audience>x</Audience><Provider>p</Provider></" + action + "Result></" + action + "Response>";
      if (a.length > 1) x = "<ErrorResponse><Error><Type>Sender</Type><Code>" + a[1] + "</Code><Message>m</Message></Error></ErrorResponse>";
      byte[] b = x.getBytes(StandardCharsets.UTF_8); ex.getResponseHeaders().add("Content-Type", "text/xml"); ex.sendResponseHeaders(a.length > 1 ? 400 : 200, b.length); ex.getResponseBody().write(b); ex.close(); });
    srv.start();
    try (DefaultCredentialsProvider p = DefaultCredentialsProvider.builder().build()) { System.out.println("resolved " + p.resolveCredentials().accessKeyId()); }
    catch (Throwable t) { System.out.println((t instanceof LinkageError ? "FAIL " : "err ") + t); }
    srv.stop(0); System.exit(0);
  }
}
