package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Operation;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A busy credential's Retry-After from the holder's lease (deadline 15 s, undo 10 s, lease 2 min):
 * the rest of the holder's deadline, then of its undo time, then of its lease; never past the
 * lease, never under 1 s; 2 s for a lease that does not say when it was taken.
 */
class BusyRetryAfterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Duration UNDO = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMinutes(2);

    private static long retryAfter(Duration held, Duration takeableIn) {
        return BusyRetryAfter.of(new LeaseState("op", Operation.Kind.UPDATE, 2, false, held, takeableIn), DEADLINE, UNDO)
                .toSeconds();
    }

    private static long heldFor(double seconds) {
        Duration held = Duration.ofMillis((long) (seconds * 1000));
        return retryAfter(held, LEASE.minus(held));
    }

    @Test
    void aHolderWithinItsDeadlineIsDoneWhenItsDeadlineEnds() {
        assertEquals(15, heldFor(0));
        assertEquals(12, heldFor(3));
        assertEquals(5, heldFor(10.2), "rounded up");
        assertEquals(1, heldFor(14.5));
    }

    @Test
    void aHolderPastItsDeadlineIsDoneWhenItsUndoTimeEnds() {
        assertEquals(10, heldFor(15));
        assertEquals(5, heldFor(20));
        assertEquals(1, heldFor(24.9));
    }

    @Test
    void aHolderPastItsDeadlineAndUndoTimeIsStuckOrGoneAndTheCredentialIsFreeWhenItsLeaseMayBeTakenOver() {
        assertEquals(95, heldFor(25));
        assertEquals(60, heldFor(60));
    }

    @Test
    void neverPastTheLeaseNorUnderOneSecond() {
        assertEquals(3, retryAfter(Duration.ZERO, Duration.ofSeconds(3)), "a short lease bounds the deadline");
        assertEquals(1, retryAfter(Duration.ofSeconds(200), Duration.ofSeconds(-5)), "expired meanwhile");
    }

    @Test
    void aLeaseThatDoesNotSayWhenItWasTakenSaysTwoSeconds() {
        assertEquals(2, retryAfter(null, LEASE));
        assertEquals(1, retryAfter(null, Duration.ofMillis(300)), "unless it may be taken over sooner");
    }
}
