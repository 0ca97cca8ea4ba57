package io.devportal.webhook.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;

/**
 * The one rule that ties the timings together: a lease must outlive everything its holder may
 * still do (the request deadline, an AWS attempt already in flight when it passes, the undo time,
 * an attempt in flight when that passes, and the clock-skew margin), or the sweeper could take
 * over an operation that is still running. Start-up and {@code check-config} refuse a
 * configuration that breaks it.
 */
@ApplicationScoped
public class TimingCheck {

    @Inject
    WebhookConfig config;

    /**
     * The service and the Lambda refuse to start. An admin command starts (so that {@code check-config}
     * can report the problem as one of its findings), but runs no operation ({@link #require}).
     */
    void onStart(@Observes StartupEvent event) {
        if (RunMode.current() != RunMode.CLI) {
            require(config);
        }
    }

    /** Throws when the timings are wrong: nothing may take a lease under them. */
    public static void require(WebhookConfig config) {
        problem(config).ifPresent(p -> {
            throw new IllegalStateException(p);
        });
    }

    /** What is wrong with the timings, or empty. */
    public static Optional<String> problem(WebhookConfig config) {
        Duration lease = config.lease().duration();
        Duration attempt = config.aws().attemptTimeout();
        Duration needed = config.request().deadline().plus(config.request().undoTime()).plus(attempt.multipliedBy(2))
                .plus(config.lease().clockSkew());
        if (config.request().deadline().isNegative() || config.request().deadline().isZero()) {
            return Optional.of("webhook.request.deadline must be positive");
        }
        if (lease.compareTo(needed) <= 0) {
            return Optional.of("webhook.lease.duration (" + lease + ") must be longer than webhook.request.deadline ("
                    + config.request().deadline() + ") + webhook.request.undo-time (" + config.request().undoTime()
                    + ") + 2 x webhook.aws.attempt-timeout (" + attempt + ") + webhook.lease.clock-skew ("
                    + config.lease().clockSkew() + ") = " + needed
                    + ": otherwise the sweeper could take over an operation that is still running");
        }
        return Optional.empty();
    }
}
