package io.devportal.webhook.support;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

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
        String bin = System.getProperty("ministack.bin");
        if (bin == null || !new File(bin).canExecute()) {
            throw new IllegalStateException("ministack is not installed at " + bin
                    + ": run the tests through Maven (./mvnw verify), which installs it");
        }
        int port = MotoServer.freePort();
        Path home = Path.of("target", "ministack-" + port).toAbsolutePath();
        try {
            Files.createDirectories(home.resolve("state"));
            log = home.resolve("ministack.log");
            ProcessBuilder builder = new ProcessBuilder(bin).redirectErrorStream(true).redirectOutput(log.toFile())
                    .directory(home.toFile());
            builder.environment().put("IOT_MTLS_ENABLED", "0");
            builder.environment().put("BIND_HOST", "127.0.0.1");
            builder.environment().put("GATEWAY_PORT", Integer.toString(port));
            builder.environment().put("STATE_DIR", home.resolve("state").toString());
            builder.environment().put("PERSIST_STATE", "0");
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ministack", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline) && started.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/_ministack/health").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        started.destroy();
        throw new IllegalStateException("ministack did not become healthy within 90 s; its log: " + log);
    }
}
