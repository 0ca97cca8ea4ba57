package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 5 of issue 20: the lockout's memory is bounded and a failure costs O(1) however many
 * addresses are tracked (it scanned the whole map past 10,000). Bench-style ratio, never an absolute time.
 */
class AuthThrottleBoundTest {

    private static AuthThrottle throttle() {
        AuthThrottle t = new AuthThrottle();
        t.config = ConfigStub.webhook(Map.of("auth", ConfigStub.of(WebhookConfig.Auth.class, Map.of(
                "maxFailures", 10, "failureWindow", Duration.ofMinutes(1), "lockout", Duration.ofMinutes(1),
                "instanceMaxFailures", 1_000_000))));
        t.clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
        return t;
    }

    @Test
    void memoryIsBoundedAndAFailureCostsTheSameWithTenThousandAddressesTracked() {
        AuthThrottle t = throttle();
        int batch = 5_000;
        long emptyNanos = fail(t, 0, batch);          // the map fills up to 5,000
        fail(t, batch, 2 * batch);                    // full: 10,000
        assertEquals(AuthThrottle.MAX_TRACKED, t.tracked());
        long fullNanos = fail(t, 2 * batch, 3 * batch); // every failure now also forgets one address
        assertEquals(AuthThrottle.MAX_TRACKED, t.tracked(), "never more than the bound");
        long again = fail(t, 0, batch);                // and again, warmed
        double ratio = (double) Math.min(fullNanos, again) / emptyNanos;
        assertTrue(ratio < 4, "a failure with 10,000 addresses tracked / with few: " + ratio);
    }

    @Test
    void anAddressThatKeepsFailingIsLockedWhateverElseIsTracked() {
        AuthThrottle t = throttle();
        for (int i = 0; i < 10; i++) {
            t.failed("192.0.2.1");
            fail(t, i * 1_000, i * 1_000 + 999); // others in between, fewer than the bound
        }
        assertNotNull(t.blocked("192.0.2.1"));
    }

    @Test
    void rotatingAddressesWithinOneIpv6Slash64IsOneClientAndIsLocked() {
        AuthThrottle t = throttle();
        for (int i = 0; i < 10; i++) {
            t.failed("2001:db8:1:2:" + Integer.toHexString(i + 1) + "::" + Integer.toHexString(i * 7 + 3));
        }
        assertNotNull(t.blocked("2001:db8:1:2:ffff:ffff:ffff:ffff"), "another address of the same /64");
        assertEquals(null, t.blocked("2001:db8:1:3::1"), "the next /64 is another client");
        assertEquals(null, t.blocked("192.0.2.9"));
    }

    private static long fail(AuthThrottle t, int from, int to) {
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            t.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        return System.nanoTime() - start;
    }
}
