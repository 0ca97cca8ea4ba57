package io.devportal.webhook.metrics;

import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.model.CredentialKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure the webhook records, in one place: Micrometer meters (served by the Prometheus
 * registry on the management interface, {@code /q/metrics}) and, when
 * {@code webhook.metrics.emf=true}, the same figures as CloudWatch embedded-metric-format lines on
 * standard output (Lambda). Tag values are fixed words, enum names and AWS operation names, never
 * anything a client sent. Recording is a {@link SideEffect}: while priming nothing is recorded,
 * no meter is registered or moved, no EMF line is written.
 */
@ApplicationScoped
public class Metrics {
    public static final String OPERATIONS = "webhook.credential.operations";
    public static final String ROLLBACKS = "webhook.rollbacks";
    public static final String SWEEPER_ACTIONS = "webhook.sweeper.actions";
    public static final String AUTH_FAILURES = "webhook.auth.failures";
    public static final String AUTH_LOCKOUTS = "webhook.auth.lockouts";
    public static final String AWS_CALLS = "webhook.aws.calls";
    public static final String REQUESTS = "webhook.requests";
    public static final String ACTIVE_CREDENTIALS = "webhook.credentials.active";
    public static final String STALE_OPERATIONS = "webhook.operations.stale";
    public static final String LEASE_WAITS = "webhook.lease.waits";

    @Inject
    MeterRegistry registry;

    @Inject
    EmbeddedMetricFormat emf;

    /**
     * The counters an operator alerts on exist from the start at zero, so that a rate or an
     * increase over them is defined before the first event.
     */
    void preRegister(@Observes StartupEvent start) {
        Counter.builder(AUTH_FAILURES).register(registry);
        Counter.builder(AUTH_LOCKOUTS).register(registry);
        for (String result : List.of("rolled_back", "failed")) {
            Counter.builder(ROLLBACKS).tag("result", result).register(registry);
        }
        for (String kind : List.of("CREATE", "UPDATE", "REVOKE")) {
            for (String result : List.of("finished", "failed")) {
                Counter.builder(SWEEPER_ACTIONS).tags("kind", kind, "result", result).register(registry);
            }
        }
    }

    /** Latency histograms for the portal's requests too, so that dashboards can show percentiles. */
    @Produces
    @Singleton
    MeterFilter requestHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("http.server.requests")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }

    /**
     * A create, update or revoke ended.
     *
     * @param operation {@code create}, {@code update} or {@code revoke}
     * @param type      {@link #type}, or {@code unknown} when the request failed before it was known
     * @param outcome   {@code issued}, {@code idempotent}, {@code updated}, {@code revoked},
     *                  {@code already_revoked}, or the error code of the response
     */
    public void operation(String operation, String type, String outcome) {
        count(OPERATIONS, "operation", operation, "type", type, "outcome", outcome);
    }

    /** A failed create was undone ({@code rolled_back}), or its undo failed too ({@code failed}). */
    public void rollback(String result) {
        count(ROLLBACKS, "result", result);
    }

    /** The sweeper finished ({@code undone}, {@code completed}, {@code closed}) or failed an abandoned operation. */
    public void sweeperAction(String kind, String result) {
        count(SWEEPER_ACTIONS, "kind", kind, "result", result);
    }

    /**
     * A request found its credential held by another operation and waits for it (once per request;
     * {@code kind}: the holder's operation kind).
     */
    public void leaseWait(String kind) {
        count(LEASE_WAITS, "kind", kind);
    }

    /** Wrong credentials were sent. */
    public void authFailure() {
        count(AUTH_FAILURES);
    }

    /** An address was refused for too many failed logins. */
    public void authLockout() {
        count(AUTH_LOCKOUTS);
    }

    /** One AWS SDK call (with its retries) took {@code elapsed} and ended with {@code outcome}. */
    public void awsCall(String service, String operation, String outcome, Duration elapsed) {
        awsCall(service, operation, outcome, elapsed, null);
    }

    /** An AWS call in a target ({@code webhook.targets}; null: the default target). */
    public void awsCall(String service, String operation, String outcome, Duration elapsed, String target) {
        time(AWS_CALLS, elapsed, "service", service, "operation", operation, "outcome", outcome,
                "target", target == null ? "default" : target);
    }

    /**
     * A request to the portal's port ended. Prometheus gets the same figure from Quarkus' own
     * {@code http_server_requests_seconds}; this one exists for the embedded metric format, where
     * that binder does not reach the logs.
     */
    @SideEffect
    public void request(String endpoint, int status, Duration elapsed) {
        if (emf.enabled()) {
            emf.timer(REQUESTS, elapsed, tags("endpoint", endpoint, "status", Integer.toString(status)));
        }
    }

    /** The credential-type tag: {@code API_KEY}, {@code CLIENT_CREDENTIALS} or {@code HYBRID}. */
    public static String type(CredentialKind kind, boolean hybrid) {
        return hybrid ? "HYBRID" : kind.name();
    }

    @SideEffect
    void count(String name, String... tags) {
        Counter.builder(name).tags(tags).register(registry).increment();
        if (emf.enabled()) {
            emf.count(name, tags(tags));
        }
    }

    @SideEffect
    void time(String name, Duration elapsed, String... tags) {
        Timer.builder(name).tags(tags).publishPercentileHistogram().register(registry).record(elapsed);
        if (emf.enabled()) {
            emf.timer(name, elapsed, tags(tags));
        }
    }

    private static Map<String, String> tags(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
