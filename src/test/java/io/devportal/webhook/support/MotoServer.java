package io.devportal.webhook.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
        String python = ChildServer.installed("moto.python", "moto");
        int port = ChildServer.freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            process = ChildServer.start(
                    new ProcessBuilder(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port)), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        if (!ChildServer.awaitHttp(process, endpoint + "/moto-api/", Duration.ofSeconds(60), 0, status -> status < 500)) {
            throw new IllegalStateException("moto did not start within 60 s");
        }
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
}
