package io.devportal.webhook.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget's arithmetic (GCRA): a burst at once, then one call per 1/rate, refused past the longest wait. */
class SharedBudgetTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final SharedBudget.Rate TEN_BURST_FORTY = new SharedBudget.Rate(10, 40);

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void anIdleBudgetGrantsItsWholeBurstAtOnce() {
        SharedBudget.Grant grant = SharedBudget.decide(0, 40, TEN_BURST_FORTY, NOW, Duration.ZERO);
        assertTrue(grant.granted());
        assertEquals(Duration.ZERO, grant.delay());
        assertEquals(nanos(NOW) + 4_000_000_000L, grant.tat());
    }

    @Test
    void pastTheBurstEachCallWaitsATenthOfASecondMore() {
        long tat = SharedBudget.decide(0, 40, TEN_BURST_FORTY, NOW, Duration.ZERO).tat();
        SharedBudget.Grant next = SharedBudget.decide(tat, 3, TEN_BURST_FORTY, NOW, Duration.ofSeconds(1));
        assertTrue(next.granted());
        assertEquals(Duration.ofMillis(300), next.delay());
    }

    @Test
    void aWaitLongerThanAllowedIsRefusedWithTheWaitItWouldTake() {
        long tat = SharedBudget.decide(0, 40, TEN_BURST_FORTY, NOW, Duration.ZERO).tat();
        SharedBudget.Grant refused = SharedBudget.decide(tat, 30, TEN_BURST_FORTY, NOW, Duration.ofSeconds(2));
        assertFalse(refused.granted());
        assertEquals(Duration.ofSeconds(3), refused.delay());
    }

    @Test
    void aBudgetUnusedForLongIsFullAgainButNoFuller() {
        long old = nanos(NOW.minusSeconds(3600));
        SharedBudget.Grant grant = SharedBudget.decide(old, 41, TEN_BURST_FORTY, NOW, Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(100), grant.delay());
    }
}
