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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Create latency of the AWS provider with 1, 5 and 10 usage plans, end to end through the webhook's
 * HTTP API (durable ledger commits included), against a stub of API Gateway. One run measures,
 * side by side, with the same service process:
 * <ul>
 * <li>the service's own cost: the stub answers at once (0 ms), so the time is the webhook's (and
 * the stub's, a fraction of a millisecond per call);</li>
 * <li>the latency with the stub answering every call after a fixed delay, and its ratio to the
 * two-round-trip limit (2 x delay).</li>
 * </ul>
 * Run: bash bench/run.sh [delayMs=50] [creates per size=20]. With BENCH_JFR=file.jfr the webhook
 * runs with a Java Flight Recording (profile settings) written to that file.
 */
public class CreateLatency {
    static final AtomicInteger KEYS = new AtomicInteger();
    static final AtomicInteger CALLS = new AtomicInteger();
    static volatile int delayMs;

    /** Wall-clock median and p90 per create, AWS calls per create, and the webhook's CPU time per create. */
    record Figures(double median, double p90, double callsPerCreate, double cpuMs) {
    }

    static Process webhook;

    /** One service process's tables: own cost and delayed latency per size, and the unwarmed own cost. */
    record Run(Figures unwarmed, Figures[] own, Figures[] delayed) {
    }

    static final int[] SIZES = {1, 5, 10};

    /**
     * Measures twice, side by side in one run, each with a service process of its own: the shared
     * API Gateway budget off ({@code WEBHOOK_AWS_BUDGET_PER_SECOND=0}) and on (a rate so high that no
     * create ever waits: what is measured is the reservation's own cost, its ledger write before the
     * create's first AWS call). BENCH_BUDGET=off or on measures one of them only.
     */
    public static void main(String[] args) throws Exception {
        int delay = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARM_UP", "3000"));
        String only = System.getenv().getOrDefault("BENCH_BUDGET", "");
        HttpServer stub = stub();
        try {
            Run off = only.equals("on") ? null : run(stub, Map.of("WEBHOOK_AWS_BUDGET_PER_SECOND", "0"), delay, samples, warmUp);
            Run on = only.equals("off") ? null : run(stub, Map.of("WEBHOOK_AWS_BUDGET_PER_SECOND", "1000000",
                    "WEBHOOK_AWS_BUDGET_BURST", "1000000"), delay, samples, warmUp);
            System.out.printf("%d creates per size after %d warm-up creates; own cost: stub answers at once; "
                    + "delayed: stub answers each call after %d ms, limit = two round trips = %d ms%n",
                    samples, warmUp, delay, 2 * delay);
            print("shared budget off", off, delay);
            print("shared budget on (one reservation per create, never waiting)", on, delay);
            if (off != null && on != null && delay > 0) {
                System.out.println("plans  median/limit off  median/limit on  on/off");
                for (int s = 0; s < SIZES.length; s++) {
                    double a = off.delayed()[s].median() / (2.0 * delay);
                    double b = on.delayed()[s].median() / (2.0 * delay);
                    System.out.printf("%5d  %16.2f  %15.2f  %6.2f%n", SIZES[s], a, b, b / a);
                }
            }
        } finally {
            stub.stop(0);
        }
    }

    static void print(String label, Run run, int delay) {
        if (run == null) {
            return;
        }
        System.out.println("-- " + label);
        System.out.println("plans  aws_calls/create  own_median_ms  own_p90_ms  own_cpu_ms  delayed_median_ms  "
                + "delayed_p90_ms  median/limit");
        for (int s = 0; s < SIZES.length; s++) {
            Figures d = run.delayed()[s];
            Figures o = run.own()[s];
            System.out.printf("%5d  %16.1f  %13.1f  %10.1f  %10.1f  %17s  %14s  %12s%n", SIZES[s],
                    o.callsPerCreate(), o.median(), o.p90(), o.cpuMs(),
                    d == null ? "-" : String.format("%.1f", d.median()),
                    d == null ? "-" : String.format("%.1f", d.p90()),
                    d == null ? "-" : String.format("%.2f", d.median() / (2.0 * delay)));
        }
        System.out.printf("unwarmed (first 10 creates after start, 5 plans): own_median_ms %.1f  own_p90_ms %.1f"
                + "  own_cpu_ms %.1f  = %.1f x the warmed own median of 5 plans%n", run.unwarmed().median(),
                run.unwarmed().p90(), run.unwarmed().cpuMs(), run.unwarmed().median() / run.own()[1].median());
    }

    static Run run(HttpServer stub, Map<String, String> env, int delay, int samples, int warmUp) throws Exception {
        int port = freePort();
        Path data = Files.createTempDirectory("bench-data");
        // BENCH_JAVA: another java launcher; BENCH_JAVA_OPTS: JVM flags (the container images' flags)
        List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("BENCH_JAVA", "java")));
        String opts = System.getenv("BENCH_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        String jfr = System.getenv("BENCH_JFR");
        if (jfr != null && !jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true"); command.add("-XX:FlightRecorderOptions=stackdepth=512");
        }
        String app = System.getenv().getOrDefault("BENCH_APP", "target/quarkus-app");
        command.addAll(List.of("-jar", app + "/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("webhook.log").toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int managementPort = freePort();
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().put("WEBHOOK_PROVIDER", "aws");
        pb.environment().put("WEBHOOK_DATA_DIR", data.toString());
        pb.environment().put("WEBHOOK_USERNAME", "bench");
        pb.environment().put("WEBHOOK_PASSWORD", "bench-password");
        pb.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + stub.getAddress().getPort());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "bench");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
        // measure round trips, not the 5/s pacing of key creates (which a sequential run would hit)
        pb.environment().put("WEBHOOK_AWS_KEY_WRITES_PER_SECOND", "1000");
        pb.environment().putAll(env);
        webhook = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            waitUntilUp(http, managementPort);
            delayMs = 0;
            // unwarmed: the first 10 creates after start (5 plans), before any warm-up
            Figures unwarmed = measure(http, port, "unwarmed", 5, 10);
            for (int i = 0; i < warmUp; i++) {
                create(http, port, "warm-up " + i, 1 + i % 10);
            }
            Figures[] own = new Figures[SIZES.length];
            Figures[] delayed = new Figures[SIZES.length];
            for (int s = 0; s < SIZES.length; s++) {
                own[s] = measure(http, port, "own " + SIZES[s], SIZES[s], samples);
            }
            if (delay > 0) {
                delayMs = delay;
                for (int s = 0; s < SIZES.length; s++) {
                    delayed[s] = measure(http, port, "delayed " + SIZES[s], SIZES[s], samples);
                }
            }
            return new Run(unwarmed, own, delayed);
        } finally {
            webhook.destroy();
            webhook.waitFor();
            try (var files = Files.walk(data)) { // the H2 file and the key of this run only
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Figures measure(HttpClient http, int port, String label, int plans, int samples) throws Exception {
        List<Long> times = new ArrayList<>();
        int callsBefore = CALLS.get();
        Duration cpuBefore = cpu();
        for (int i = 0; i < samples; i++) {
            times.add(create(http, port, "bench " + label + " " + i, plans));
        }
        Duration cpuAfter = cpu();
        Collections.sort(times);
        return new Figures(times.get(times.size() / 2) / 1e6,
                times.get((int) Math.ceil(times.size() * 0.9) - 1) / 1e6,
                (CALLS.get() - callsBefore) / (double) samples,
                cpuAfter.minus(cpuBefore).toNanos() / 1e6 / samples);
    }

    /**
     * CPU time of the webhook process so far (all its threads: JIT and GC included, so an upper
     * bound; on Linux in clock ticks, 10 ms). Unlike wall-clock time it does not grow when other
     * processes compete for the cores.
     */
    static Duration cpu() {
        return webhook.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
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
    static HttpServer stub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/") && request.contains("Action=GetCallerIdentity")) {
                // STS, once per process: the account that places and the shared budget are keyed by
                byte[] xml = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>bench</UserId>"
                        + "<Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/xml");
                exchange.sendResponseHeaders(200, xml.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(xml);
                }
                return;
            }
            CALLS.incrementAndGet();
            int delay = delayMs;
            if (delay > 0) {
                sleep(delay);
            }
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

    /** Waits for liveness, on the management port. */
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
