package io.devportal.webhook.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One ministack (a second AWS emulator) for the whole test JVM, on a free port, from the
 * virtualenv that src/test/scripts/ensure-test-tools.sh prepared (its launcher in the system
 * property ministack.bin). Unlike moto it enforces API keys when an API Gateway stage is invoked
 * and issues signed Cognito client-credentials tokens, so tests can use credentials as a client
 * would. Its state directory and log are under target/; it is stopped when the JVM exits.
 */
public final class MinistackServer {
    private static Process process;
    private static String endpoint;
    private static Path log;

    private MinistackServer() {
    }

    public static synchronized String endpoint() {
        if (process == null || !process.isAlive()) {
            start();
        }
        return endpoint;
    }

    /** Where ministack writes its output (for a failing test's diagnosis). */
    public static synchronized Path log() {
        return log;
    }

    private static void start() {
        String bin = ChildServer.installed("ministack.bin", "ministack");
        int port = ChildServer.freePort();
        Path home = Path.of("target", "ministack-" + port).toAbsolutePath();
        try {
            Files.createDirectories(home.resolve("state"));
            log = home.resolve("ministack.log");
            ProcessBuilder builder = new ProcessBuilder(bin).directory(home.toFile());
            builder.environment().put("IOT_MTLS_ENABLED", "0");
            builder.environment().put("BIND_HOST", "127.0.0.1");
            builder.environment().put("GATEWAY_PORT", Integer.toString(port));
            builder.environment().put("STATE_DIR", home.resolve("state").toString());
            builder.environment().put("PERSIST_STATE", "0");
            process = ChildServer.start(builder, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ministack", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        if (!ChildServer.awaitHttp(process, endpoint + "/_ministack/health", Duration.ofSeconds(90), 2000,
                status -> status == 200)) {
            process.destroy();
            throw new IllegalStateException("ministack did not become healthy within 90 s; its log: " + log);
        }
    }
}
