package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.LeaseState;

import java.time.Duration;

/**
 * When a request that met a busy credential may come back (its 409's {@code Retry-After}): when the
 * holder is done at the latest, by the ledger's reading of its lease ({@link LeaseState#held} and
 * {@link LeaseState#takeableIn}, both in the store's own time). A holder answers by its request
 * deadline, which began no later than it took the lease; past it, it undoes within the undo time;
 * past both, it is stuck or gone, and the credential is free once its lease may be taken over
 * (which also bounds every other answer). A lease taken by a version that did not record when says
 * the old fixed 2 s. Never under 1 s.
 */
final class BusyRetryAfter {
    /** The answer when the lease does not say when it was taken. */
    static final Duration UNKNOWN = Duration.ofSeconds(2);
    private static final Duration AT_LEAST = Duration.ofSeconds(1);

    private BusyRetryAfter() {
    }

    static Duration of(LeaseState holder, Duration deadline, Duration undoTime) {
        Duration takeable = holder.takeableIn();
        Duration left;
        if (holder.held() == null) {
            left = UNKNOWN;
        } else {
            Duration toDeadline = deadline.minus(holder.held());
            Duration toUndone = toDeadline.plus(undoTime);
            left = positive(toDeadline) ? toDeadline : positive(toUndone) ? toUndone : takeable;
        }
        if (takeable != null && left.compareTo(takeable) > 0) {
            left = takeable;
        }
        long seconds = Math.max(AT_LEAST.toSeconds(), (left.toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
