package io.devportal.webhook.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The point in time by which the current operation's work must be done. The operation runner sets
 * it for the thread doing the work ({@link #run}); AWS calls (before each attempt), their retries'
 * backoff, pacing waits and concurrent sub-calls ({@link #propagate}) check it, so that nothing
 * starts after it. A call already under way when it passes is bounded by its own attempt timeout.
 */
public final class Deadline {
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();
    /** How long a caller is told to wait before retrying after a deadline. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Clock clock;
    private final Instant at;

    public Deadline(Clock clock, Instant at) {
        this.clock = clock;
        this.at = at;
    }

    public static Optional<Deadline> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs {@code work} with this deadline in force on the current thread. */
    public <T> T run(Supplier<T> work) {
        Deadline outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** {@code work} wrapped to run under the current thread's deadline, wherever it runs. */
    public static <T> java.util.concurrent.Callable<T> propagate(java.util.concurrent.Callable<T> work) {
        Deadline deadline = CURRENT.get();
        if (deadline == null) {
            return work;
        }
        return () -> deadline.run(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public Instant at() {
        return at;
    }

    /** What is left; zero or negative once passed. */
    public Duration remaining() {
        return Duration.between(clock.instant(), at);
    }

    public boolean passed() {
        return !clock.instant().isBefore(at);
    }

    /** Refuses to start {@code what} once the deadline has passed. */
    public void check(String what) {
        if (passed()) {
            throw exceeded(what);
        }
    }

    /** Checks the current thread's deadline, if any. */
    public static void checkCurrent(String what) {
        Deadline deadline = CURRENT.get();
        if (deadline != null) {
            deadline.check(what);
        }
    }

    public static WebhookException exceeded(String what) {
        return new WebhookException(WebhookException.Kind.DEADLINE_EXCEEDED,
                "the request ran out of time before " + what + "; what it had made was undone; retry shortly",
                RETRY_AFTER, null);
    }

    /** Whether {@code failure} (or a cause of it) is a deadline refusal. */
    public static boolean isExceeded(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookException w && w.kind() == WebhookException.Kind.DEADLINE_EXCEEDED) {
                return true;
            }
        }
        return false;
    }
}
