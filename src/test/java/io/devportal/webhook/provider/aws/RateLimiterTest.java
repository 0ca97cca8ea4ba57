package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Deadline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pacing of API key creates and deletes, on a clock the test moves. */
class RateLimiterTest {
    static final long MS = 1_000_000L;

    @Test
    void fiveASecondLetsABurstOfFiveThroughThenSpacesCallsBy200Ms() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        List<Long> slept = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(5, now::get, slept::add);
        for (int i = 0; i < 7; i++) {
            limiter.acquire();
        }
        assertEquals(List.of(200 * MS, 400 * MS), slept, "the 6th and 7th wait for their slots");
    }

    @Test
    void anIdleSecondRefillsTheBurstButNoMore() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        List<Long> slept = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(5, now::get, slept::add);
        for (int i = 0; i < 5; i++) {
            limiter.acquire();
        }
        now.addAndGet(10_000 * MS);
        for (int i = 0; i < 6; i++) {
            limiter.acquire();
        }
        assertEquals(List.of(200 * MS), slept);
    }

    @Test
    void aRateOfOneHasNoBurst() {
        AtomicLong now = new AtomicLong(0);
        List<Long> slept = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(1, now::get, slept::add);
        limiter.acquire();
        limiter.acquire();
        assertEquals(List.of(1_000 * MS), slept);
    }

    @Test
    void aRateThatIsNotPositiveIsAConfigurationError() {
        assertThrows(IllegalStateException.class, () -> new RateLimiter(0, System::nanoTime, n -> { }));
    }

    @Test
    void aWaitPastTheRequestsDeadlineIsRefusedAtOnceAndItsSlotHandedBack() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        List<Long> slept = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(1, now::get, slept::add);
        limiter.acquire();
        // 100 ms left, the next slot is 1 s away: refused without sleeping
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
        Deadline soon = new Deadline(clock, java.time.Instant.EPOCH.plusMillis(100));
        io.devportal.webhook.provider.WebhookException refused = assertThrows(
                io.devportal.webhook.provider.WebhookException.class, () -> soon.run(() -> {
                    limiter.acquire();
                    return null;
                }));
        assertEquals(io.devportal.webhook.provider.WebhookException.Kind.DEADLINE_EXCEEDED, refused.kind());
        assertEquals(List.of(), slept);
        // the refused caller's slot is free again: the next caller waits 1 s, not 2 s
        limiter.acquire();
        assertEquals(List.of(1_000 * MS), slept);
    }
}
