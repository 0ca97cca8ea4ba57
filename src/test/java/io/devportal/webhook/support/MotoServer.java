package io.devportal.webhook.support;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One moto server for the whole test JVM, started on a free port from the virtualenv that
 * src/test/scripts/ensure-test-tools.sh prepared (path in the system property moto.python).
 */
public final class MotoServer {
    private static final String PROPERTY = "moto-server.endpoint";
    private static Process process;
    private static String endpoint;

    private MotoServer() {
    }

    public static synchronized String endpoint() {
        // one moto per JVM, also when Quarkus loads this class again in another class loader
        String known = System.getProperty(PROPERTY);
        if (known != null) {
            return known;
        }
        if (process == null || !process.isAlive()) {
            start();
        }
        System.setProperty(PROPERTY, endpoint);
        return endpoint;
    }

    /** Forgets every AWS resource: POST /moto-api/reset. */
    public static void reset() {
        post(endpoint() + "/moto-api/reset");
    }

    private static void start() {
        String python = System.getProperty("moto.python");
        if (python == null || !new File(python).canExecute()) {
            throw new IllegalStateException("moto is not installed at " + python
                    + ": run the tests through Maven (./mvnw verify), which installs it");
        }
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            process = new ProcessBuilder(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() < 500) {
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
        throw new IllegalStateException("moto did not start within 60 s");
    }

    private static void post(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            if (c.getResponseCode() >= 300) {
                throw new IllegalStateException("moto reset answered " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
