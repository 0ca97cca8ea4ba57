package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.BulkPortal.Phase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a bulk phase cost in AWS, read from the strict twin ({@link StrictAws}) in the default account
 * and Region: calls and throttled calls per operation, API Gateway calls, when each API Gateway call
 * reached AWS; and AWS's own limit for that work, the least time AWS's token buckets
 * ({@link AwsRateLimits}) would let those calls take: for each bucket, (calls - burst) / rate.
 */
public final class BulkReport {
    private static final String ACCOUNT = StrictAws.DEFAULT_ACCOUNT;
    private static final String REGION = StrictAws.DEFAULT_REGION;

    private BulkReport() {
    }

    /** The twin's counters at one moment. */
    public record Counts(Map<String, Integer> calls, Map<String, Integer> throttled, int apiGateway) {
        public static Counts now() {
            JsonNode stats = StrictAws.stats(ACCOUNT, REGION);
            Map<String, Integer> calls = new TreeMap<>();
            Map<String, Integer> throttled = new TreeMap<>();
            stats.fields().forEachRemaining(e -> {
                calls.put(e.getKey(), e.getValue().path("calls").asInt());
                throttled.put(e.getKey(), e.getValue().path("throttled").asInt());
            });
            return new Counts(calls, throttled, StrictAws.serviceCalls(ACCOUNT, REGION, "apigateway"));
        }

        /** What happened since {@code before}. */
        public Counts since(Counts before) {
            return new Counts(minus(calls, before.calls), minus(throttled, before.throttled),
                    apiGateway - before.apiGateway);
        }

        private static Map<String, Integer> minus(Map<String, Integer> a, Map<String, Integer> b) {
            Map<String, Integer> d = new TreeMap<>();
            a.forEach((op, n) -> {
                int diff = n - b.getOrDefault(op, 0);
                if (diff != 0) {
                    d.put(op, diff);
                }
            });
            return d;
        }

        public int calls(String operation) {
            return calls.getOrDefault(operation, 0);
        }

        public int throttledTotal() {
            return throttled.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** API Gateway calls that AWS served (throttled ones excluded). */
        public int apiGatewayServed() {
            return apiGateway - calls.keySet().stream().filter(BulkReport::isApiGateway)
                    .mapToInt(op -> throttled.getOrDefault(op, 0)).sum();
        }
    }

    /** One phase of one run: what the portal saw and what AWS saw. */
    public record Row(String run, Phase phase, Counts counts, List<Long> apiGatewayTimes, int keyCreates) {
        /** AWS's own limit for the calls AWS served in this phase, in seconds (at least 1). */
        public double awsLimitSeconds() {
            Map<String, Double> perBucket = new HashMap<>();
            counts.calls().forEach((op, n) -> {
                int served = n - counts.throttled().getOrDefault(op, 0);
                for (String bucket : AwsRateLimits.bucketsOf(isApiGateway(op) ? "apigateway" : "cognito-idp", op,
                        "the-pool")) {
                    perBucket.merge(bucket, (double) served, Double::sum);
                }
            });
            double limit = 1;
            for (Map.Entry<String, Double> e : perBucket.entrySet()) {
                // a per-pool bucket is named "<kind>/<pool>/<operation>"
                AwsRateLimits.Rate rate = AwsRateLimits.defaults().get(e.getKey().split("/")[0]);
                limit = Math.max(limit, (e.getValue() - rate.burst()) / rate.perSecond());
            }
            return limit;
        }

        /** API Gateway calls AWS served per API-key create of the phase (NaN when it made none). */
        public double apiGatewayPerKeyCreate() {
            return keyCreates == 0 ? Double.NaN : (double) counts.apiGatewayServed() / keyCreates;
        }

        public int peakApiGatewayPerSecond() {
            return CallTimes.peakPerSecond(apiGatewayTimes);
        }
    }

    /** A row for a phase that has just ended: the twin's counters since {@code before}. */
    public static Row row(String run, Phase phase, Counts before, int keyCreates) {
        List<Long> times = CallTimes.between(StrictAws.callTimes(ACCOUNT, REGION, "apigateway"), phase.startMs(),
                phase.endMs());
        return new Row(run, phase, Counts.now().since(before), times, keyCreates);
    }

    /** Operations whose calls are API Gateway's (the twin counts by operation; Cognito's and STS's are known). */
    static boolean isApiGateway(String operation) {
        return !(operation.contains("UserPool") || operation.contains("ResourceServer") || operation.equals("AssumeRole")
                || operation.equals("GetCallerIdentity") || operation.equals("moto-api"));
    }

    /**
     * Issue 21's targets, when the rows have a run without limits and one with: the create phase within
     * 1.5 × the larger of AWS's limit and the run without limits; every revoke confirmed within 2 × its
     * limit; at most 3.5 API Gateway calls per two-plan key create.
     */
    public static String targets(List<Row> rows) {
        Row free = find(rows, "without limits", "creates");
        Row creates = find(rows, "with AWS's limits", "creates");
        Row revokes = find(rows, "with AWS's limits", "revokes");
        if (free == null || creates == null || revokes == null) {
            return "";
        }
        double bound = Math.max(creates.awsLimitSeconds(), free.phase().seconds());
        double createRatio = creates.phase().seconds() / bound;
        double revokeRatio = revokes.phase().slowestSeconds() / revokes.awsLimitSeconds();
        return String.format(Locale.ROOT, "%nTargets (with AWS's limits):%n"
                        + "- creates: %.1f s = %.2f × max(AWS's limit %.1f s, without limits %.1f s) (target ≤ 1.5): %s%n"
                        + "- revokes: the last confirmed after %.1f s = %.2f × AWS's limit %.1f s (target ≤ 2): %s%n"
                        + "- API Gateway calls per two-plan key create: %.2f (target ≤ 3.5): %s%n",
                creates.phase().seconds(), createRatio, creates.awsLimitSeconds(), free.phase().seconds(),
                met(createRatio <= 1.5), revokes.phase().slowestSeconds(), revokeRatio, revokes.awsLimitSeconds(),
                met(revokeRatio <= 2), creates.apiGatewayPerKeyCreate(), met(creates.apiGatewayPerKeyCreate() <= 3.5));
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static Row find(List<Row> rows, String run, String phase) {
        return rows.stream().filter(r -> r.run().equals(run) && r.phase().name().equals(phase)).findFirst().orElse(null);
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("| Run | Phase | Time | Slowest op | Requests | Answers | APIGW calls (per key create) | Throttled "
                + "| Peak APIGW calls/s | AWS's limit | Time / AWS's limit |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Phase p = r.phase();
            String answers = p.statuses().entrySet().stream().map(e -> e.getValue() + "×" + e.getKey())
                    .collect(Collectors.joining(", "));
            String perCreate = Double.isNaN(r.apiGatewayPerKeyCreate()) ? ""
                    : String.format(Locale.ROOT, " (%.2f)", r.apiGatewayPerKeyCreate());
            lines.add(String.format(Locale.ROOT, "| %s | %s (%d, %d confirmed) | %.1f s | %.1f s | %d | %s | %d%s | %d "
                            + "| %d | %.1f s | %.2f |", r.run(), p.name(), p.outcomes().size(),
                    p.outcomes().size() - p.unconfirmed().size(), p.seconds(), p.slowestSeconds(), p.requests(), answers,
                    r.counts().apiGatewayServed(), perCreate, r.counts().throttledTotal(), r.peakApiGatewayPerSecond(),
                    r.awsLimitSeconds(), p.seconds() / r.awsLimitSeconds()));
        }
        lines.add("");
        for (Row r : rows) {
            lines.add("- " + r.run() + ", " + r.phase().name() + ": calls " + r.counts().calls() + ", throttled "
                    + r.counts().throttled().entrySet().stream().filter(e -> e.getValue() > 0).toList());
        }
        return String.join("\n", lines) + "\n";
    }
}
