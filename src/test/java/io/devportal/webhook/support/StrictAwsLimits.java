package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The request rates the strict twin ({@link StrictAws}) holds calls to, per account and Region. With
 * {@code awsLimits} on: AWS's request-rate quotas as token buckets ({@link AwsRateLimits}), for every
 * call. Otherwise, with {@code rateLimit} on (the default): CreateApiKey and DeleteApiKey at 5
 * requests/s each, over any one-second window (the API Gateway rules ask, {@link #allowWrite}).
 */
final class StrictAwsLimits {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** AWS's request-rate quotas, on with {@code awsLimits=true}. */
    private final AwsRateLimits limits = new AwsRateLimits(System::nanoTime);
    private final StrictAwsTargets targets;
    private volatile boolean rateLimit;
    private volatile boolean awsLimits;

    StrictAwsLimits(StrictAwsTargets targets) {
        this.targets = targets;
    }

    /** rateLimit on, awsLimits off, every bucket at AWS's figure. */
    void defaults() {
        rateLimit = true;
        awsLimits = false;
        limits.reset();
    }

    void rateLimit(boolean on) {
        rateLimit = on;
    }

    void awsLimits(boolean on) {
        awsLimits = on;
    }

    /** One of AWS's buckets re-set ({@code limit=<bucket>:<perSecond>:<burst>}). */
    void set(String bucket, double perSecond, double burst) {
        limits.set(bucket, perSecond, burst);
    }

    /**
     * With {@code awsLimits} on, AWS's token buckets ({@link AwsRateLimits}): a call beyond them is
     * answered as AWS answers it (API Gateway 429, Cognito 400, both TooManyRequestsException) and
     * counted as throttled. Null when the call may go on.
     */
    StrictAwsAnswer throttle(String operation, StrictAwsCaller caller, StrictAwsTargets.Target target, byte[] body) {
        if (!awsLimits || limits.admit(caller.target(), caller.service(), operation, userPool(caller, body))) {
            return null;
        }
        targets.throttled(target, operation);
        if (caller.service().equals("apigateway")) {
            return StrictAwsAnswer.apiGatewayError(429, "TooManyRequestsException", "Too Many Requests");
        }
        return StrictAwsAnswer.cognitoError("TooManyRequestsException", "Too many requests");
    }

    /** 5 requests per second for each of CreateApiKey and DeleteApiKey per account and Region, over any one-second window. */
    boolean allowWrite(StrictAwsTargets.Target target, String operation) {
        if (!rateLimit || awsLimits) {  // with awsLimits, AwsRateLimits' buckets hold them
            return true;
        }
        List<Long> times = target.writes.computeIfAbsent(operation, k -> new ArrayList<>());
        synchronized (times) {
            long now = System.nanoTime();
            times.removeIf(t -> now - t >= 1_000_000_000L);
            if (times.size() >= 5) {
                return false;
            }
            times.add(now);
            return true;
        }
    }

    /** The user pool a Cognito call names (its JSON body's UserPoolId), or null. */
    private static String userPool(StrictAwsCaller caller, byte[] body) {
        if (caller.service().equals("apigateway") || body.length == 0) {
            return null;
        }
        try {
            String pool = JSON.readTree(body).path("UserPoolId").asText("");
            return pool.isEmpty() ? null : pool;
        } catch (IOException e) {
            return null;
        }
    }
}
