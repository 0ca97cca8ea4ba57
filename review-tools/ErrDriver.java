import com.sun.net.httpserver.*;
import java.net.*; import java.nio.charset.StandardCharsets; import java.util.*;
import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

public class ErrDriver {
  static volatile int status; static volatile String body, ctype, hdrName, hdrVal;
  public static void main(String[] a) throws Exception {
    HttpServer srv = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    srv.createContext("/", ex -> { ex.getRequestBody().readAllBytes(); byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", ctype); if (hdrName != null) ex.getResponseHeaders().add(hdrName, hdrVal);
      ex.sendResponseHeaders(status, b.length); ex.getResponseBody().write(b); ex.close(); });
    srv.start();
    URI ep = URI.create("http://127.0.0.1:" + srv.getAddress().getPort());
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
    var http = Apache5HttpClient.builder().build();
    var ov = ClientOverrideConfiguration.builder().retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()).build();
    DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(http).overrideConfiguration(ov).build();
    ApiGatewayClient agw = ApiGatewayClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(http).overrideConfiguration(ov).build();
    CognitoIdentityProviderClient cog = CognitoIdentityProviderClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(http).overrideConfiguration(ov).build();
    StsClient sts = StsClient.builder().endpointOverride(ep).region(Region.US_EAST_1).credentialsProvider(creds).httpClient(http).overrideConfiguration(ov).build();
    String j = "application/x-amz-json-1.0";
    String[][] ddbCases = {
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"message\":\"Transaction cancelled\",\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"x\",\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"},\"l\":{\"L\":[{\"M\":{\"b\":{\"B\":\"AAE=\"}}}]}}},{\"Code\":\"None\"}]}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"c\",\"Item\":{\"pk\":{\"SS\":[\"a\"]}}}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"t\",\"throttlingReasons\":[{\"reason\":\"TableReadProvisionedThroughputExceeded\",\"resource\":\"arn\"}]}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"p\",\"ThrottlingReasons\":[{\"reason\":\"r\",\"resource\":\"arn\"}]}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded\",\"message\":\"r\"}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionConflictException\",\"message\":\"r\"}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException\",\"message\":\"r\"}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"r\"}"},
      {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"v\"}"},
      {"500", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"i\"}"},
      {"400", "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"t\"}"},
      {"413", "<html>too big</html>"},
    };
    List<Runnable> ops = List.of(
      () -> ddb.transactWriteItems(b -> b.transactItems(List.of(TransactWriteItem.builder().put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("a")))).build()))),
      () -> ddb.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("a")))),
      () -> ddb.updateItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("a")))),
      () -> ddb.query(b -> b.tableName("t").keyConditionExpression("pk = :p")),
      () -> ddb.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("a")))));
    ctype = j;
    for (String[] c : ddbCases) for (Runnable op : ops) { status = Integer.parseInt(c[0]); body = c[1]; run("ddb " + c[1].replaceAll(".*#(\\w+).*", "$1"), op); }
    // API Gateway (rest-json): x-amzn-ErrorType header
    ctype = "application/json";
    for (String t : List.of("TooManyRequestsException:429", "LimitExceededException:429", "ConflictException:409", "BadRequestException:400", "NotFoundException:404", "UnauthorizedException:401", "ServiceUnavailableException:503", "AccessDeniedException:403", "Weird:418")) {
      String[] p = t.split(":"); status = Integer.parseInt(p[1]); hdrName = "x-amzn-ErrorType"; hdrVal = p[0]; body = "{\"message\":\"m\"}";
      run("agw " + t, () -> agw.createApiKey(b -> b.name("n").enabled(true)));
      run("agw " + t, () -> agw.getApiKeys(b -> b.limit(1)));
      run("agw " + t, () -> agw.createUsagePlanKey(b -> b.usagePlanId("u").keyId("k").keyType("API_KEY")));
      run("agw " + t, () -> agw.deleteApiKey(b -> b.apiKey("k")));
      run("agw " + t, () -> agw.getUsagePlans(b -> b.limit(1)));
    }
    hdrName = null;
    ctype = "application/x-amz-json-1.1";
    for (String t : List.of("TooManyRequestsException", "LimitExceededException", "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException", "InternalErrorException", "ScopeDoesNotExistException", "ConcurrentModificationException", "ForbiddenException", "InvalidOAuthFlowException", "UserPoolTaggingException")) {
      status = 400; body = "{\"__type\":\"" + t + "\",\"message\":\"m\"}";
      run("cog " + t, () -> cog.createUserPoolClient(b -> b.userPoolId("p").clientName("c")));
      run("cog " + t, () -> cog.describeUserPool(b -> b.userPoolId("p")));
      run("cog " + t, () -> cog.deleteUserPoolClient(b -> b.userPoolId("p").clientId("c")));
      run("cog " + t, () -> cog.describeResourceServer(b -> b.userPoolId("p").identifier("c")));
    }
    ctype = "text/xml";
    for (String t : List.of("ExpiredTokenException", "RegionDisabledException", "MalformedPolicyDocument", "PackedPolicyTooLarge", "AccessDenied", "Throttling", "InvalidClientTokenId")) {
      status = 403; body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" + t + "</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>";
      run("sts " + t, () -> sts.assumeRole(software.amazon.awssdk.services.sts.model.AssumeRoleRequest.builder().roleArn("arn:aws:iam::123456789012:role/r").roleSessionName("s").build()));
      run("sts-provider " + t, () -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts).asyncCredentialUpdateEnabled(false).refreshRequest(r -> r.roleArn("arn:aws:iam::123456789012:role/r").roleSessionName("s")).build().resolveCredentials());
    }
    // an STS success with a malformed expiry
    status = 200; body = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>a</Arn><AssumedRoleId>i</AssumedRoleId></AssumedRoleUser><PackedPolicySize>6</PackedPolicySize><SourceIdentity>x</SourceIdentity></AssumeRoleResult></AssumeRoleResponse>";
    run("sts ok", () -> System.out.println("   " + sts.assumeRole(software.amazon.awssdk.services.sts.model.AssumeRoleRequest.builder().roleArn("arn:aws:iam::123456789012:role/r").roleSessionName("s").build())));
    srv.stop(0); System.exit(bad ? 1 : 0);
  }
  static boolean bad;
  static void run(String what, Runnable r) {
    try { r.run(); System.out.println("OK?  " + what); }
    catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      String x = e.getClass().getName().replaceAll(".*\\.", "");
      if (e instanceof TransactionCanceledException t) x += " reasons=" + t.cancellationReasons() + " " + t.toString();
      if (e instanceof ConditionalCheckFailedException c) x += " item=" + c.item();
      System.out.println("svc  " + what + " -> " + x + " " + e.statusCode() + " " + e.isThrottlingException());
    }
    catch (software.amazon.awssdk.core.exception.SdkException e) { System.out.println("sdk  " + what + " -> " + e); }
    catch (Throwable t) { bad = true; System.out.println("FAIL " + what + " -> " + t); t.printStackTrace(System.out); }
  }
}
