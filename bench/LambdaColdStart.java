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
    static final String PLAN = System.getenv().getOrDefault("BENCH_PLAN", "gold");

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // a failure must end the JVM too: Quarkus' non-daemon threads would keep it alive (the "hang")
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("seed")) {
            seed(args[1]);
            return;
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis();

        Class<?> handlerClass = Class.forName(HANDLER);
        Object handler = handlerClass.getConstructor().newInstance();
        long initAt = System.currentTimeMillis();
        long checkpointMs = -1;
        long restoreMs = -1;
        if ("1".equals(System.getenv("BENCH_SNAPSHOT"))) {
            // what Lambda does around a SnapStart snapshot: beforeCheckpoint (priming) at the end of init,
            // afterRestore in the restored copy; the snapshot and the restore themselves cannot run here
            Object hooks = hooks();
            long t0 = System.nanoTime();
            Class<?> resource = Class.forName("org.crac.Resource");
            Class<?> crac = Class.forName("org.crac.Context");
            resource.getMethod("beforeCheckpoint", crac).invoke(hooks, (Object) null);
            long t1 = System.nanoTime();
            resource.getMethod("afterRestore", crac).invoke(hooks, (Object) null);
            long t2 = System.nanoTime();
            checkpointMs = (t1 - t0) / 1_000_000;
            restoreMs = (t2 - t1) / 1_000_000;
        }
        long afterHooksAt = System.currentTimeMillis();

        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        Method handle = handlerClass.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class,
                contextType);
        Object context = Proxy.newProxyInstance(LambdaColdStart.class.getClassLoader(), new Class<?>[] {contextType},
                (proxy, method, a) -> switch (method.getName()) {
                    case "getAwsRequestId" -> UUID.randomUUID().toString();
                    case "getFunctionName" -> "devportal-webhook";
                    case "getFunctionVersion" -> "1";
                    // as Lambda invokes it: the account is moto's for the bench's credentials (OwnAccount)
                    case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:123456789012:function:devportal-webhook:live";
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getMemoryLimitInMB" -> 1024;
                    default -> null;
                });

        String first = invoke(handle, handler, context, createEvent("Cold start app " + UUID.randomUUID()));
        long firstAt = System.currentTimeMillis();
        long firstMs = firstAt - afterHooksAt;
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
        long initMs = initAt - jvmStart;
        long secondMs = secondAt - firstAt;
        // one line, parsed by bench/lambda-cold-start.sh
        System.out.printf("RESULT init_ms=%d checkpoint_ms=%d restore_ms=%d first_ms=%d second_ms=%d cpu_ms=%d load=%.1f exit_at=%d%n",
                initMs, checkpointMs, restoreMs, firstMs, secondMs, cpuAtFirst,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.currentTimeMillis());
        System.out.flush();
        System.exit(0);
    }

    /** The Lambda build's SnapStart hooks bean (absent from a build that has none). */
    static Object hooks() throws Exception {
        Class<?> hooksClass = Class.forName("io.devportal.webhook.lambda.SnapStartHooks");
        Object container = Class.forName("io.quarkus.arc.Arc").getMethod("container").invoke(null);
        Object instance = Class.forName("io.quarkus.arc.ArcContainer")
                .getMethod("instance", Class.class, java.lang.annotation.Annotation[].class)
                .invoke(container, hooksClass, new java.lang.annotation.Annotation[0]);
        return Class.forName("io.quarkus.arc.InstanceHandle").getMethod("get").invoke(instance);
    }

    /** Seeds moto: the DynamoDB table and a usage plan; prints the plan's id. */
    static void seed(String table) throws Exception {
        try (var apigw = software.amazon.awssdk.services.apigateway.ApiGatewayClient.create();
             var ddb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.create()) {
            Class.forName("io.devportal.webhook.ledger.dynamodb.DynamoDbTable")
                    .getMethod("create", software.amazon.awssdk.services.dynamodb.DynamoDbClient.class, String.class)
                    .invoke(null, ddb, table);
            String plan = apigw.createUsagePlan(b -> b.name("bench-gold").apiStages(
                    software.amazon.awssdk.services.apigateway.model.ApiStage.builder().apiId("api1").stage("prod").build())).id();
            System.out.println(plan);
        }
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
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + PLAN + "\"}]}]}";
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
