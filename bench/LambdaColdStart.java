import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Cold start of the Lambda build, measured the way the Lambda Java runtime drives it: a fresh JVM
 * whose class path is the unpacked target/function.zip (its root and lib/*.jar), the handler class
 * named in the SAM template constructed (Lambda's init phase, which SnapStart snapshots), then the
 * first event handed to its handleRequest. Prints the time from JVM start to each step.
 * No Lambda runtime API round trip is emulated: the runtime's own poll loop is not part of the
 * figure. Run by bench/lambda-cold-start.sh.
 */
public class LambdaColdStart {
    static final String HANDLER = "io.devportal.webhook.lambda.WebhookLambda";

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis();

        Class<?> handlerClass = Class.forName(HANDLER);
        Object handler = handlerClass.getConstructor().newInstance();
        long initAt = System.currentTimeMillis();

        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        Method handle = handlerClass.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class,
                contextType);
        Object context = Proxy.newProxyInstance(LambdaColdStart.class.getClassLoader(), new Class<?>[] {contextType},
                (proxy, method, a) -> switch (method.getName()) {
                    case "getAwsRequestId" -> UUID.randomUUID().toString();
                    case "getFunctionName" -> "devportal-webhook";
                    case "getFunctionVersion" -> "1";
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getMemoryLimitInMB" -> 1024;
                    default -> null;
                });

        String first = invoke(handle, handler, context, createEvent("Cold start app " + UUID.randomUUID()));
        long firstAt = System.currentTimeMillis();
        long cpuAtFirst = processCpuMillis();
        String second = invoke(handle, handler, context, createEvent("Warm app " + UUID.randomUUID()));
        long secondAt = System.currentTimeMillis();
        String sweep = invoke(handle, handler, context,
                "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"Scheduled Event\","
                        + "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\"2026-11-29T08:00:00Z\","
                        + "\"region\":\"eu-west-1\",\"resources\":[],\"detail\":{}}");

        if (!first.contains("\"statusCode\":200") || !second.contains("\"statusCode\":200")) {
            throw new IllegalStateException("a create did not answer 200: " + first + " / " + second);
        }
        if (!sweep.equals("{\"swept\":0}")) {
            throw new IllegalStateException("the scheduled event did not sweep: " + sweep);
        }
        System.out.printf("jvm_start_to_main_ms          %6d%n", mainAt - jvmStart);
        System.out.printf("jvm_start_to_handler_init_ms  %6d   (Lambda init phase: what SnapStart snapshots)%n",
                initAt - jvmStart);
        System.out.printf("jvm_start_to_first_answer_ms  %6d   (first create answered 200 through the handler)%n",
                firstAt - jvmStart);
        System.out.printf("first_event_ms                %6d   (the first event alone, after init)%n", firstAt - initAt);
        System.out.printf("cpu_ms_to_first_answer        %6d   (CPU time of all the JVM's threads until then)%n", cpuAtFirst);
        System.out.printf("machine_load_average          %6.1f   (on %d cores: above it, the figures above wait for CPU)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("second_event_ms               %6d%n", secondAt - firstAt);
        System.exit(0);
    }

    static long processCpuMillis() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1_000_000;
        }
        return -1;
    }

    static String invoke(Method handle, Object handler, Object context, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A function URL event (payload 2.0) carrying the portal's create. */
    static String createEvent(String appName) {
        String body = "{\"appName\":\"" + appName + "\",\"developer\":\"bench@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}";
        String auth = "Basic " + Base64.getEncoder().encodeToString("portal:bench-password".getBytes(StandardCharsets.UTF_8));
        return "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/v1/createCredentials\",\"rawQueryString\":\"\","
                + "\"headers\":{\"authorization\":\"" + auth + "\",\"content-type\":\"application/json\","
                + "\"host\":\"abcdefgh12.lambda-url.eu-west-1.on.aws\",\"x-forwarded-proto\":\"https\"},"
                + "\"requestContext\":{\"accountId\":\"anonymous\",\"apiId\":\"abcdefgh12\","
                + "\"domainName\":\"abcdefgh12.lambda-url.eu-west-1.on.aws\",\"http\":{\"method\":\"POST\","
                + "\"path\":\"/v1/createCredentials\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.9\","
                + "\"userAgent\":\"bench\"},\"requestId\":\"" + UUID.randomUUID() + "\",\"routeKey\":\"$default\","
                + "\"stage\":\"$default\",\"timeEpoch\":" + System.currentTimeMillis() + "},"
                + "\"body\":" + quote(body) + ",\"isBase64Encoded\":false}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
