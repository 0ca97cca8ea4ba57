package io.devportal.webhook.ledger;

import io.devportal.webhook.model.SharedBudget;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What every ledger's {@link SharedBudget} promises: reservations against one key are serialised, so
 * that together they never take more than the rate allows, whoever makes them at once.
 */
public abstract class SharedBudgetContract {

    @Inject
    protected SharedBudget budget;

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void concurrentReservationsTakeOneTurnEachAndNeverMoreThanTheBurstAtOnce() throws Exception {
        concurrentReservationsTakeOneTurnEach("test:" + UUID.randomUUID());
    }

    /** The same on a budget that exists and is idle: every reservation first tries the one-write path. */
    @Test
    void concurrentReservationsOfAnIdleBudgetTakeOneTurnEachToo() throws Exception {
        String key = "test:" + UUID.randomUUID();
        budget.reserve(key, 1, new SharedBudget.Rate(10, 4), NOW.minusSeconds(3600), Duration.ZERO);
        concurrentReservationsTakeOneTurnEach(key);
    }

    private void concurrentReservationsTakeOneTurnEach(String key) throws Exception {
        SharedBudget.Rate rate = new SharedBudget.Rate(10, 4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SharedBudget.Grant>> grants = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<SharedBudget.Grant> one = () -> budget.reserve(key, 1, rate, NOW, Duration.ofSeconds(60));
                grants.add(pool.submit(one));
            }
            List<Long> delays = new ArrayList<>();
            for (Future<SharedBudget.Grant> g : grants) {
                delays.add(g.get().delay().toMillis());
            }
            delays.sort(Long::compare);
            // 4 at once, then one every 100 ms: no reservation was lost or granted twice
            assertEquals(List.of(0L, 0L, 0L, 0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L, 1100L,
                    1200L), delays);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefusedReservationTakesNothing() {
        String key = "test:" + UUID.randomUUID();
        SharedBudget.Rate rate = new SharedBudget.Rate(1, 2);
        budget.reserve(key, 2, rate, NOW, Duration.ZERO);
        SharedBudget.Grant refused = budget.reserve(key, 3, rate, NOW, Duration.ofSeconds(1));
        assertFalse(refused.granted());
        assertEquals(Duration.ofSeconds(3), refused.delay());
        assertEquals(Duration.ofSeconds(1), budget.reserve(key, 1, rate, NOW, Duration.ofSeconds(1)).delay());
    }

    @Test
    void aPushBackMakesTheNextReservationOfEveryInstanceWaitAndNeverPullsTheBudgetForward() {
        String key = "test:" + UUID.randomUUID();
        SharedBudget.Rate rate = new SharedBudget.Rate(10, 4);
        // AWS throttled an instance: the budget is empty, and 2 s more
        budget.pushBack(key, SharedBudget.pushedBack(rate, NOW, Duration.ofSeconds(2)));
        // an earlier push back (another instance's, answered late) changes nothing
        budget.pushBack(key, SharedBudget.pushedBack(rate, NOW, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(2), budget.reserve(key, 1, rate, NOW, Duration.ofSeconds(60)).delay());
        assertEquals(Duration.ofMillis(2100), budget.reserve(key, 1, rate, NOW, Duration.ofSeconds(60)).delay());
        // a push back that is already behind the reservations made since takes none of them back
        budget.pushBack(key, SharedBudget.pushedBack(rate, NOW, Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(2200), budget.reserve(key, 1, rate, NOW, Duration.ofSeconds(60)).delay());
    }
}
