package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;

/**
 * The stricter AWS twin: an HTTP proxy in front of moto that enforces rules real AWS enforces and
 * moto does not. The webhook's SDK clients talk to it (MotoResource points aws.endpointUrl here);
 * the tests' own view of AWS ({@link Aws}) goes straight to moto.
 *
 * <p>Rules: one usage plan per API stage per key (answered 400 BadRequestException or 409
 * ConflictException, {@code stageConflict}); usage plan and key existence on CreateUsagePlanKey;
 * Cognito scopes must be defined by a resource server of the pool, at most 50 per client;
 * UpdateUserPoolClient resets every field it is not sent; CreateApiKey and DeleteApiKey at 5
 * requests/s each (429 TooManyRequestsException beyond); GetApiKeys by name does not show a key
 * for its first {@code consistencyMillis}. It also counts calls and their in-flight concurrency
 * per operation, and can add latency to every call.</p>
 *
 * <p><b>Per target.</b> Every rule holds per account and Region, as in AWS: the request's target is
 * the Region of its SigV4 credential scope and the account moto puts its access key in (an access key
 * from STS AssumeRole of {@code arn:aws:iam::<account>:role/..} acts in that account). The twin learns
 * the account by asking moto, as the caller, {@code sts:GetCallerIdentity} once per access key id
 * (remembered until {@link #reset}), so refreshed credentials of one role share their account's
 * state. Its own look-ups (the plan, the key and the key's plans before CreateUsagePlanKey, the pool's
 * resource servers) are made as the caller too: its Authorization (scope), X-Amz-Date and
 * X-Amz-Security-Token go with them, so they see the caller's account and Region and never the default
 * one. The rate limits, the delayed listing, the key locks, the counters and injected faults are kept
 * per target ({@code account/region}, e.g. {@code 111122223333/sa-east-1}); {@link #stats()} sums
 * every target, {@link #stats(String, String)} reads one.</p>
 *
 * <p>It also records every STS AssumeRole that passes through ({@link #assumedRoles}): role ARN,
 * external id, session name, duration, the signature's Region and the Host the client sent it to.
 * That log is not cleared by {@link #reset} (a credentials provider caches its session across tests,
 * so a test class's one AssumeRole would be lost to the next test's reset); {@link #forgetAssumedRoles}
 * clears it.</p>
 *
 * <p>Tests change its settings and read its counters over HTTP ({@link #configure}, {@link #stats}),
 * so that they need not share a class loader with it.</p>
 *
 * <p>The twin's parts: {@link StrictAwsProxy} (the server and the dispatch of each request),
 * {@link StrictAwsOperations} (the operation a request calls), {@link StrictAwsCallers} (its caller
 * and target, by STS caller identity), {@link StrictAwsTargets} (per-target state and the counters),
 * {@link StrictAwsLimits} (the rate limits), {@link StrictAwsFaults} (injected faults),
 * {@link StrictAwsApiGateway} and {@link StrictAwsCognito} (the rules of each service),
 * {@link StrictAwsAssumedRoles} (the AssumeRole log), {@link StrictAwsMoto} (the calls to moto) and
 * {@link StrictAwsControl} (the control endpoint this class's static API calls).</p>
 */
public final class StrictAws {
    private static final String PROPERTY = "strict-aws.endpoint";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** moto's account for credentials it does not know ("testing"). */
    public static final String DEFAULT_ACCOUNT = "123456789012";
    public static final String DEFAULT_REGION = "us-east-1";

    private static StrictAwsProxy instance;

    private StrictAws() {
    }

    /** The twin's endpoint; started once per JVM in front of {@link MotoServer}. */
    public static synchronized String endpoint() {
        String known = System.getProperty(PROPERTY);
        if (known != null) {
            return known;
        }
        try {
            instance = new StrictAwsProxy(MotoServer.endpoint());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the strict AWS twin", e);
        }
        String endpoint = "http://127.0.0.1:" + instance.port();
        System.setProperty(PROPERTY, endpoint);
        return endpoint;
    }

    /**
     * Changes settings, each {@code name=value}: {@code stageConflict} (400 or 409),
     * {@code consistencyMillis}, {@code rateLimit} (true/false), {@code latencyMillis},
     * {@code awsLimits} (true/false: AWS's request-rate quotas as token buckets, {@link AwsRateLimits}),
     * {@code limit=<bucket>:<perSecond>:<burst>} (one bucket of those, e.g. {@code limit=apigateway:2:2}),
     * {@code fault=Operation@account/region:status[:times]} (that operation in that target alone is
     * answered with that status, as AWS answers it, without reaching moto; every time unless times is
     * given; e.g. {@code fault=CreateUsagePlanKey@111122223333/sa-east-1:403}); or {@code reset}
     * alone: defaults, no faults and zero counters.
     */
    public static void configure(String settings) {
        post(endpoint() + "/_twin/config?" + settings);
    }

    /** Back to the defaults, counters cleared. */
    public static void reset() {
        configure("reset");
    }

    /** Per operation, over every target: {"calls": n, "maxInFlight": m, "throttled": t} (t: answered TooManyRequests by awsLimits). */
    public static JsonNode stats() {
        return read("/_twin/stats");
    }

    /** Per operation, in one account and Region only: {"calls": n, "maxInFlight": m, "throttled": t}; {} when it saw no call. */
    public static JsonNode stats(String account, String region) {
        return read("/_twin/stats?target=" + account + "/" + region);
    }

    /** Calls per service (the signature's: apigateway, cognito-idp, sts) in one account and Region; 0 when none. */
    public static int serviceCalls(String account, String region, String service) {
        return read("/_twin/services?target=" + account + "/" + region).path(service).asInt(0);
    }

    /** Every target that was called ("account/region"), each with its stats as {@link #stats(String, String)}. */
    public static JsonNode targets() {
        return read("/_twin/targets");
    }

    /**
     * Every STS AssumeRole that passed through since the twin started or {@link #forgetAssumedRoles}
     * (not cleared by {@link #reset}), oldest first: {"roleArn", "externalId", "roleSessionName",
     * "durationSeconds" (null when not sent), "region" (of the signature), "host", "callerAccount",
     * "status", "accessKeyId" (of the credentials it answered, null when it failed)}.
     */
    public static JsonNode assumedRoles() {
        return read("/_twin/assumed-roles");
    }

    /**
     * When each call of one service (the signature's) in one account and Region that was not throttled
     * reached moto, oldest first, in milliseconds of this JVM's System.nanoTime (see {@link CallTimes}).
     */
    public static List<Long> callTimes(String account, String region, String service) {
        return CallTimes.of(read("/_twin/call-times?target=" + account + "/" + region + "&service=" + service));
    }

    public static void forgetAssumedRoles() {
        configure("forgetAssumedRoles");
    }

    private static JsonNode read(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void post(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            if (c.getResponseCode() >= 300) {
                throw new IllegalStateException("twin answered " + c.getResponseCode() + " to " + url);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
