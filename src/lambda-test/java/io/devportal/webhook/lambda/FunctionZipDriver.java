package io.devportal.webhook.lambda;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Runs in a JVM of its own whose class path is the unpacked function.zip (and this one class):
 * the function as Lambda's Java runtime loads it, with nothing of the build's or the tests' class
 * path. It constructs the handler named in the SAM template, then reads commands from stdin, one
 * per line, and answers each on one stdout line starting with {@value #ANSWER} (the function's own
 * log lines go to stdout too):
 * <ul>
 *   <li>{@code PRIME}: the SnapStart priming alone; answers the steps that failed ({@code []});</li>
 *   <li>{@code HOOKS}: beforeCheckpoint then afterRestore, as Lambda calls them around a snapshot;</li>
 *   <li>a Lambda event as JSON: handed to handleRequest; answers the handler's output;</li>
 *   <li>{@code EXIT}: ends the JVM.</li>
 * </ul>
 * Any throwable (a class missing from the zip among them) answers {@code ERROR <throwable>}.
 * Only the JDK and reflection are used here: the driver must not bring a class the zip lacks.
 * Run by {@link ShrunkFunctionIT}.
 */
public final class FunctionZipDriver {
    static final String ANSWER = "@@ ";
    static final String HANDLER = "io.devportal.webhook.lambda.WebhookLambda";
    /** The ARN Lambda invokes the function by: the account is moto's for the test credentials ("testing"). */
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:devportal-webhook:live";

    private FunctionZipDriver() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> handlerClass = Class.forName(HANDLER);
        Object handler = handlerClass.getConstructor().newInstance();
        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        Method handle = handlerClass.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class,
                contextType);
        Object context = Proxy.newProxyInstance(FunctionZipDriver.class.getClassLoader(), new Class<?>[] {contextType},
                (proxy, method, a) -> switch (method.getName()) {
                    case "getAwsRequestId" -> UUID.randomUUID().toString();
                    case "getFunctionName" -> "devportal-webhook";
                    case "getFunctionVersion" -> "1";
                    case "getInvokedFunctionArn" -> FUNCTION_ARN;
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getMemoryLimitInMB" -> 1024;
                    default -> null;
                });
        System.out.println(ANSWER + "READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("EXIT")) {
                break;
            }
            String answer;
            try {
                answer = switch (line) {
                    case "PRIME" -> String.valueOf(SnapStartHooks.class.getMethod("prime").invoke(hooks()));
                    case "HOOKS" -> {
                        Object hooks = hooks();
                        Class<?> resource = Class.forName("org.crac.Resource");
                        Class<?> crac = Class.forName("org.crac.Context");
                        resource.getMethod("beforeCheckpoint", crac).invoke(hooks, (Object) null);
                        resource.getMethod("afterRestore", crac).invoke(hooks, (Object) null);
                        yield "OK";
                    }
                    default -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        handle.invoke(handler, new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), out,
                                context);
                        yield out.toString(StandardCharsets.UTF_8).replace('\n', ' ');
                    }
                };
            } catch (java.lang.reflect.InvocationTargetException e) {
                answer = "ERROR " + e.getCause();
            } catch (Throwable t) {
                answer = "ERROR " + t;
            }
            System.out.println(ANSWER + answer);
            System.out.flush();
        }
        System.exit(0);
    }

    /** The SnapStart hooks bean. */
    static Object hooks() throws Exception {
        Object container = Class.forName("io.quarkus.arc.Arc").getMethod("container").invoke(null);
        Object instance = Class.forName("io.quarkus.arc.ArcContainer")
                .getMethod("instance", Class.class, java.lang.annotation.Annotation[].class)
                .invoke(container, SnapStartHooks.class, new java.lang.annotation.Annotation[0]);
        return Class.forName("io.quarkus.arc.InstanceHandle").getMethod("get").invoke(instance);
    }
}
