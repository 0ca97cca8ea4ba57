package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as it ships: {@code target/quarkus-app/quarkus-run.jar} (built by {@code ./mvnw
 * package}, the failsafe tests run after it) as a child process with the local provider, on a
 * data directory that outlives the process. {@link #kill()} is SIGKILL on Linux.
 */
public final class BuiltService implements AutoCloseable {
    public static final String USER = "portal";
    public static final String PASSWORD = "durability-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final Path logDir;
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path log;
    private int port;
    private int managementPort;
    private int starts;

    public BuiltService(Path dataDir, Path logDir) {
        this.dataDir = dataDir;
        this.logDir = logDir;
    }

    /** The jar under test: the failsafe property {@code webhook.jar}, else target/quarkus-app. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("webhook.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify (or package) first");
        }
        return jar;
    }

    /** An environment variable of the process; {@code null} removes it (also one this JVM has). */
    public BuiltService env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The portal's port of the last start. */
    public int port() {
        return port;
    }

    /** The management interface's port of the last start. */
    public int managementPort() {
        return managementPort;
    }

    /** Starts the process; waits until it is ready, or it exits. */
    public BuiltService start() throws Exception {
        Process p = launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the service exited with " + p.exitValue() + ":\n" + log());
            }
            try {
                // readiness is served on the management port
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service did not become ready within 120 s:\n" + log());
    }

    /** Starts the process and waits for it to exit by itself (a refused start-up); its exit code. */
    public int startExpectingExit() throws Exception {
        Process p = launch();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("the service did not exit:\n" + log());
        }
        return p.exitValue();
    }

    private Process launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        port = freePort();
        managementPort = freePort();
        log = logDir.resolve("service-" + (++starts) + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar().toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().put("WEBHOOK_PROVIDER", "local");
        pb.environment().put("WEBHOOK_DATA_DIR", dataDir.toString());
        pb.environment().put("WEBHOOK_USERNAME", USER);
        pb.environment().put("WEBHOOK_PASSWORD", PASSWORD);
        pb.environment().put("WEBHOOK_SWEEPER_EVERY", "off");
        env.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        process = pb.start();
        return process;
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Everything the process printed in its last start. */
    public String log() {
        try {
            return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String field(String name) {
            JsonNode n = json().get(name);
            return n == null ? null : n.asText();
        }
    }

    public Answer post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
