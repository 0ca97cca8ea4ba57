package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;

import java.util.Optional;

import java.util.function.LongSupplier;

/**
 * Spaces calls evenly at a fixed rate, with a burst of up to one second's worth. Each caller
 * reserves the next free slot and sleeps until it; nothing is dropped.
 */
final class RateLimiter {

    /** How a caller waits; replaced in tests. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Further ahead than any request's deadline lets a caller wait (see {@link #reserveSlot}). */
    private static final long MAX_AHEAD_NANOS = 300_000_000_000L;

    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextFree;

    RateLimiter(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalStateException("webhook.aws.key-writes-per-second must be positive");
        }
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
        this.burstNanos = Math.max(0, (long) Math.floor(perSecond) - 1) * intervalNanos;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.nextFree = nanoTime.getAsLong() - burstNanos;
    }

    static RateLimiter perSecond(double perSecond) {
        return new RateLimiter(perSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * Waits for a slot. A wait that would end past the current request's deadline is refused at
     * once (its slot handed back), so pacing never outlasts the deadline.
     */
    void acquire() {
        long now = nanoTime.getAsLong();
        long slot = reserveSlot(now);
        long wait = Math.max(0, slot - now);
        Optional<Deadline> deadline = Deadline.current();
        if (deadline.isPresent() && wait > deadline.get().remaining().toNanos()) {
            giveBack(slot);
            throw Deadline.exceeded("pacing an API key write");
        }
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "interrupted while pacing AWS calls",
                        AwsErrors.UNAVAILABLE_RETRY_AFTER, e);
            }
        }
    }

    /**
     * Hands back {@code slot} if it is still the last one taken (a later caller's slot stays where
     * it is), so that callers refused by their deadline do not push the schedule ahead.
     */
    synchronized void giveBack(long slot) {
        if (nextFree == slot + intervalNanos) {
            nextFree = slot;
        }
    }

    /** Takes the next slot and returns how long until it comes. */
    long reserve() {
        long now = nanoTime.getAsLong();
        return Math.max(0, reserveSlot(now) - now);
    }

    private synchronized long reserveSlot(long now) {
        if (nextFree - now > MAX_AHEAD_NANOS) {
            // no deadline lets callers queue this far ahead: the clock moved (a SnapStart restore
            // may start nanoTime elsewhere), so the schedule starts again from now
            nextFree = now - burstNanos;
        }
        long slot = Math.max(nextFree, now - burstNanos);
        nextFree = slot + intervalNanos;
        return slot;
    }
}
