package io.devportal.webhook.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A request-rate budget shared by every instance and the CLI, kept in the ledger: one per AWS
 * account and Region (the key), so that all of them together stay under the share of AWS's
 * control-plane limit they are given. It is the generic cell rate algorithm (GCRA, the token bucket
 * kept as one number): the budget's state is its theoretical arrival time {@code tat}, and an
 * operation reserves all its calls in one conditional write of it. The ledger implements the store
 * ({@code ledger.jdbc}, {@code ledger.dynamodb}); {@link #decide} is the arithmetic they all apply.
 */
public interface SharedBudget {

    /**
     * Reserves {@code calls} calls under {@code key}: granted (with how long to wait before the first
     * of them may start, at most {@code maxWait}) and written, or refused (with how long until they
     * would fit) and nothing written.
     */
    Grant reserve(String key, int calls, Rate rate, Instant now, Duration maxWait);

    /**
     * Moves the stored {@code tat} of {@code key} forward to {@code tat} (epoch ns) unless it is
     * already there or later, in one conditional write; never moves it back. What an instance does
     * when AWS throttled it anyway ({@link #pushedBack}): every instance's next reservation waits.
     */
    void pushBack(String key, long tat);

    /** {@code perSecond} calls a second, {@code burst} of them at once (the bucket's depth). */
    record Rate(double perSecond, double burst) {
        long nanosPerCall() {
            return (long) (1_000_000_000L / perSecond);
        }
    }

    /** The answer: granted after {@code delay}, or refused; {@code tat} is what to store when granted (epoch ns). */
    record Grant(boolean granted, Duration delay, long tat) {
    }

    /**
     * The {@code tat} of a budget that AWS just throttled: empty (no burst left, at {@code rate}'s
     * burst, the largest any caller uses) and {@code backoff} on top, so that the next single call of
     * the fullest-burst caller waits {@code backoff}, and every caller goes on at the sustained rate.
     */
    static long pushedBack(Rate rate, Instant now, Duration backoff) {
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long per = rate.nanosPerCall();
        return t + backoff.toNanos() + (long) (rate.burst() * per) - per;
    }

    /**
     * GCRA: the calls start once the stored {@code tat} (or now, if it is past) is at most
     * {@code burst} calls ahead of now; they push {@code tat} on by their cost. Granted when that
     * wait is at most {@code maxWait}.
     *
     * @param storedTat the stored theoretical arrival time, epoch nanoseconds (0 when none)
     */
    static Grant decide(long storedTat, int calls, Rate rate, Instant now, Duration maxWait) {
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long per = rate.nanosPerCall();
        long newTat = Math.max(storedTat, t) + calls * per;
        long allowance = (long) (rate.burst() * per);
        long wait = Math.max(0, newTat - allowance - t);
        return new Grant(wait <= maxWait.toNanos(), Duration.ofNanos(wait), newTat);
    }
}
