package io.devportal.webhook.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * AWS's request-rate quotas as token buckets, per account and Region, for {@link StrictAws} (on
 * with {@code awsLimits=true}). The figures and their sources are in docs/real-aws.md:
 * <ul>
 *   <li>{@code apigateway}: every API Gateway management call together, 10 a second, burst 40;</li>
 *   <li>{@code CreateApiKey} and {@code DeleteApiKey}: 5 a second each (burst 5), on top of the above;</li>
 *   <li>{@code cognito-client-read} (DescribeUserPoolClient, ListUserPoolClients) and
 *       {@code cognito-client-write} (Create/Update/DeleteUserPoolClient): 15 a second each (burst 15);</li>
 *   <li>{@code cognito-pool-operation}: each of those client operations on one user pool, 5 a second
 *       (burst 5), on top of its category's bucket.</li>
 * </ul>
 * A call is admitted only when every bucket it draws from has a token, and then takes one from each;
 * a refused call takes none (as AWS's token buckets do). Each bucket can be re-set for a test with
 * {@code limit=<bucket>:<perSecond>:<burst>}.
 */
final class AwsRateLimits {

    /** The buckets an operation on {@code pool} (null when none) draws from (empty: not limited). */
    static List<String> bucketsOf(String service, String operation, String pool) {
        List<String> buckets = new ArrayList<>(2);
        if ("apigateway".equals(service)) {
            buckets.add("apigateway");
            if (operation.equals("CreateApiKey") || operation.equals("DeleteApiKey")) {
                buckets.add(operation);
            }
        } else if (CLIENT_READS.contains(operation)) {
            buckets.add("cognito-client-read");
        } else if (CLIENT_WRITES.contains(operation)) {
            buckets.add("cognito-client-write");
        }
        if (pool != null && !buckets.isEmpty() && !"apigateway".equals(service)) {
            buckets.add(POOL_OPERATION + "/" + pool + "/" + operation);
        }
        return buckets;
    }

    private static final Set<String> CLIENT_READS = Set.of("DescribeUserPoolClient", "ListUserPoolClients");
    private static final Set<String> CLIENT_WRITES = Set.of("CreateUserPoolClient", "UpdateUserPoolClient",
            "DeleteUserPoolClient");

    private static final String POOL_OPERATION = "cognito-pool-operation";

    /** perSecond and burst of one bucket. */
    record Rate(double perSecond, double burst) {
    }

    static Map<String, Rate> defaults() {
        return Map.of("apigateway", new Rate(10, 40),
                "CreateApiKey", new Rate(5, 5),
                "DeleteApiKey", new Rate(5, 5),
                "cognito-client-read", new Rate(15, 15),
                "cognito-client-write", new Rate(15, 15),
                POOL_OPERATION, new Rate(5, 5));
    }

    private final Map<String, Rate> rates = new ConcurrentHashMap<>(defaults());
    /** "account/region bucket" → its bucket. */
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    AwsRateLimits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void set(String bucket, double perSecond, double burst) {
        rates.put(bucket, new Rate(perSecond, burst));
        buckets.keySet().removeIf(k -> k.endsWith(" " + bucket) || k.contains(" " + bucket + "/"));
    }

    void reset() {
        rates.clear();
        rates.putAll(defaults());
        buckets.clear();
    }

    /** Takes a token from each of the operation's buckets in the target, or none: true when admitted. */
    boolean admit(String target, String service, String operation, String pool) {
        List<String> names = bucketsOf(service, operation, pool);
        if (names.isEmpty()) {
            return true;
        }
        List<Bucket> all = new ArrayList<>(names.size());
        for (String name : names) {
            Rate rate = rates.get(name.startsWith(POOL_OPERATION) ? POOL_OPERATION : name);
            all.add(buckets.computeIfAbsent(target + " " + name, k -> new Bucket(rate, nanoTime.getAsLong())));
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (Bucket b : all) {
                b.refill(now);
                if (b.tokens < 1) {
                    return false;
                }
            }
            for (Bucket b : all) {
                b.tokens -= 1;
            }
            return true;
        }
    }

    private static final class Bucket {
        final Rate rate;
        double tokens;
        long at;

        Bucket(Rate rate, long now) {
            this.rate = rate;
            this.tokens = rate.burst();
            this.at = now;
        }

        void refill(long now) {
            tokens = Math.min(rate.burst(), tokens + (now - at) / 1e9 * rate.perSecond());
            at = now;
        }
    }
}
