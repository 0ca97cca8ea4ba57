package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The portal's side of a bulk workload: a phase's operations sent at once from a pool of threads,
 * spread over the service processes (a retry goes to the next process, as a retried Lambda invocation
 * may land in another container). A 409, 429 or 503 is retried after its {@code Retry-After} (1 s
 * when it has none) until the phase's time is up, as an administrator clicking again or the portal
 * retrying would; any other answer is final. Every answer is counted by status.
 */
public final class BulkPortal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTHORIZATION = "Basic " + Base64.getEncoder().encodeToString(
            (BuiltService.USER + ":" + BuiltService.PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final List<BuiltService> services;
    private final int concurrency;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public BulkPortal(List<BuiltService> services, int concurrency) {
        this.services = services;
        this.concurrency = concurrency;
    }

    /** One call of the portal: {@code /v1/createCredentials}, {@code updateCredentials} or {@code revokeCredentials}. */
    public record Op(String path, String body) {
    }

    /** How an operation ended: its last status (-1: no answer), body, and how many requests it took. */
    public record Outcome(Op op, int status, String body, int requests, long millis) {
        public boolean confirmed() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** A phase: its outcomes in the order of its operations, every answer by status, and when it ran (ms). */
    public record Phase(String name, List<Outcome> outcomes, Map<Integer, Integer> statuses, long startMs,
                        long endMs) {
        public long requests() {
            return statuses.values().stream().mapToLong(Integer::longValue).sum();
        }

        public double seconds() {
            return (endMs - startMs) / 1000.0;
        }

        public List<Outcome> unconfirmed() {
            return outcomes.stream().filter(o -> !o.confirmed()).toList();
        }

        /** The slowest operation's time to its 2xx, in seconds. */
        public double slowestSeconds() {
            return outcomes.stream().mapToLong(Outcome::millis).max().orElse(0) / 1000.0;
        }
    }

    /** Sends every operation at once and waits for all of them to end, retrying for at most {@code bound}. */
    public Phase run(String name, List<Op> ops, Duration bound) throws Exception {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long start = nowMs();
        long deadline = start + bound.toMillis();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, ops.size())));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> drive(ops.get(index), index, start, deadline, statuses)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            Map<Integer, Integer> counted = new TreeMap<>();
            statuses.forEach((status, n) -> counted.put(status, n.get()));
            return new Phase(name, outcomes, counted, start, nowMs());
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome drive(Op op, int index, long start, long deadline, Map<Integer, AtomicInteger> statuses)
            throws InterruptedException {
        int requests = 0;
        while (true) {
            BuiltService service = services.get((index + requests) % services.size());
            requests++;
            int status;
            String body;
            long retryAfterMs = 1000;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + service.port() + op.path()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", AUTHORIZATION)
                        .POST(HttpRequest.BodyPublishers.ofString(op.body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                body = r.body();
                retryAfterMs = r.headers().firstValue("Retry-After").map(s -> Long.parseLong(s.trim()) * 1000)
                        .orElse(1000L);
            } catch (IOException e) {
                status = -1;
                body = e.toString();
            }
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            boolean again = status == 409 || status == 429 || status == 503;
            long now = nowMs();
            if (!again || now + retryAfterMs > deadline) {
                return new Outcome(op, status, body, requests, now - start);
            }
            Thread.sleep(Math.max(retryAfterMs, 100));
        }
    }

    /** This JVM's System.nanoTime in milliseconds: the clock of {@link StrictAws#callTimes}. */
    public static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }
}
