package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the strict twin ({@link StrictAws}) keeps per target, an account and Region
 * ({@code account/region}, e.g. {@code 111122223333/sa-east-1}): the API Gateway rules' key locks,
 * key creation times and write times, and the call counters; and the counters over every target, for
 * {@link StrictAws#stats()}. Per operation it counts calls, their in-flight concurrency and the calls
 * answered TooManyRequests by the AWS limits; per service of the signature, calls.
 */
final class StrictAwsTargets {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The state of one account and Region. */
    static final class Target {
        final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
        final Map<String, Long> keyCreatedAt = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, List<Long>> writes = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
        /** Calls per service of the signature (apigateway, cognito-idp, sts). */
        final Map<String, AtomicInteger> services = new ConcurrentHashMap<>();
    }

    /** Every target's state, by "account/region". */
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** Over all targets, for {@link StrictAws#stats()}. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();

    /** A call of the operation begins in the target (new at its first call): counted, and in flight until {@link #end}. */
    Target begin(String target, String operation) {
        Target t = targets.computeIfAbsent(target, k -> new Target());
        count(calls, inFlight, maxInFlight, operation);
        count(t.calls, t.inFlight, t.maxInFlight, operation);
        return t;
    }

    /** The call {@link #begin} counted is no longer in flight. */
    void end(Target target, String operation) {
        inFlight.get(operation).decrementAndGet();
        target.inFlight.get(operation).decrementAndGet();
    }

    /** Counts a call of the signature's service in the target. */
    void service(Target target, String service) {
        target.services.computeIfAbsent(service, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Counts a call of the operation that the AWS limits answered TooManyRequests. */
    void throttled(Target target, String operation) {
        throttled.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        target.throttled.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Per operation, over every target: {"calls", "maxInFlight", "throttled"}. */
    ObjectNode stats() {
        return stats(calls, maxInFlight, throttled);
    }

    /** Per operation, in one target: as {@link #stats()}; {} when it saw no call. */
    ObjectNode stats(String target) {
        Target t = targets.get(target);
        return t == null ? JSON.createObjectNode() : stats(t.calls, t.maxInFlight, t.throttled);
    }

    /** Calls per service in one target (null: none); {} when it saw no call. */
    ObjectNode services(String target) {
        ObjectNode all = JSON.createObjectNode();
        Target t = target == null ? null : targets.get(target);
        if (t != null) {
            t.services.forEach((service, n) -> all.put(service, n.get()));
        }
        return all;
    }

    /** Every target that was called, by name, each with its {@link #stats(String)}. */
    ObjectNode all() {
        ObjectNode all = JSON.createObjectNode();
        new TreeMap<>(targets).forEach((name, t) -> all.set(name, stats(t.calls, t.maxInFlight, t.throttled)));
        return all;
    }

    /** Every target and counter gone. */
    void clear() {
        calls.clear();
        throttled.clear();
        maxInFlight.clear();
        inFlight.clear();
        targets.clear();
    }

    private static void count(Map<String, AtomicInteger> calls, Map<String, AtomicInteger> inFlight,
                              Map<String, AtomicInteger> maxInFlight, String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(operation, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    private static ObjectNode stats(Map<String, AtomicInteger> calls, Map<String, AtomicInteger> maxInFlight,
                                    Map<String, AtomicInteger> throttled) {
        ObjectNode stats = JSON.createObjectNode();
        calls.forEach((op, n) -> stats.putObject(op).put("calls", n.get())
                .put("maxInFlight", maxInFlight.getOrDefault(op, new AtomicInteger()).get())
                .put("throttled", throttled.getOrDefault(op, new AtomicInteger()).get()));
        return stats;
    }
}
