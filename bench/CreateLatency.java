import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Create latency of the AWS provider with 1, 5 and 10 usage plans, end to end through the webhook's
 * HTTP API, against a stub of API Gateway that answers every call after a fixed delay. Prints the
 * median and p90 per plan count and the median's ratio to the two-round-trip limit (2 x delay).
 *
 * Run: bash bench/run.sh [delayMs] [creates per size]   (builds the service first if needed)
 */
public class CreateLatency {
    static final AtomicInteger KEYS = new AtomicInteger();
    static final AtomicInteger CALLS = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        int delayMs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        HttpServer stub = stub(delayMs);
        int port = freePort();
        Path data = Files.createTempDirectory("bench-data");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("webhook.log").toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("WEBHOOK_PROVIDER", "aws");
        pb.environment().put("WEBHOOK_DATA_DIR", data.toString());
        pb.environment().put("WEBHOOK_USERNAME", "bench");
        pb.environment().put("WEBHOOK_PASSWORD", "bench-password");
        pb.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + stub.getAddress().getPort());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "bench");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
        pb.environment().put("QUARKUS_LOG_LEVEL", "WARN");
        // measure round trips, not the 5/s pacing of key creates (which a sequential run would hit)
        pb.environment().put("WEBHOOK_AWS_KEY_WRITES_PER_SECOND", "1000");
        Process webhook = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            waitUntilUp(http, port);
            for (int i = 0; i < 5; i++) {
                create(http, port, "warm-up " + i, 5);
            }
            System.out.printf("stub delay per AWS call: %d ms; two-round-trip limit: %d ms; %d creates per size%n",
                    delayMs, 2 * delayMs, samples);
            System.out.println("plans  median_ms  p90_ms  aws_calls/create  median/limit");
            for (int plans : new int[] {1, 5, 10}) {
                List<Long> times = new ArrayList<>();
                int callsBefore = CALLS.get();
                for (int i = 0; i < samples; i++) {
                    times.add(create(http, port, "bench " + plans + " " + i, plans));
                }
                Collections.sort(times);
                double median = times.get(times.size() / 2) / 1e6;
                double p90 = times.get((int) Math.ceil(times.size() * 0.9) - 1) / 1e6;
                System.out.printf("%5d  %9.1f  %6.1f  %16.1f  %12s%n", plans, median, p90,
                        (CALLS.get() - callsBefore) / (double) samples,
                        delayMs == 0 ? "-" : String.format("%.2f", median / (2.0 * delayMs)));
            }
        } finally {
            webhook.destroy();
            stub.stop(0);
        }
    }

    static long create(HttpClient http, int port, String app, int plans) throws Exception {
        StringBuilder usagePlans = new StringBuilder();
        for (int p = 0; p < plans; p++) {
            usagePlans.append(p == 0 ? "" : ",").append("{\"id\":\"plan").append(p).append("\"}");
        }
        String body = "{\"appName\":\"" + app + "\",\"developer\":\"bench@example.com\",\"apis\":[{\"id\":\"api1\","
                + "\"usagePlans\":[" + usagePlans + "]}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/createCredentials"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "bench:bench-password".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("create answered " + response.statusCode() + ": " + response.body());
        }
        return elapsed;
    }

    /** API Gateway's REST API, as far as a key create needs it, each answer after the delay. */
    static HttpServer stub(int delayMs) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            CALLS.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            sleep(delayMs);
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/apikeys")) {
                int n = KEYS.incrementAndGet();
                reply(exchange, 201, "{\"id\":\"key" + n + "\",\"value\":\"value-" + n + "-abcdefghijklmnopqrstuvwxyz\","
                        + "\"enabled\":true}");
            } else if (method.equals("GET") && path.startsWith("/usageplans/")) {
                // each plan serves its own stage of api1, as the webhook checks (one plan per API stage)
                String id = path.substring(12);
                reply(exchange, 200, "{\"id\":\"" + id + "\",\"name\":\"plan\",\"apiStages\":[{\"apiId\":\"api1\","
                        + "\"stage\":\"" + id + "\"}]}");
            } else if (method.equals("POST") && path.endsWith("/keys")) {
                reply(exchange, 201, "{\"id\":\"k\",\"type\":\"API_KEY\"}");
            } else if (method.equals("GET")) {
                reply(exchange, 200, "{\"item\":[]}");
            } else {
                reply(exchange, 202, "{}");
            }
        });
        server.start();
        return server;
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void waitUntilUp(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the webhook did not start within 60 s");
    }

    static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
