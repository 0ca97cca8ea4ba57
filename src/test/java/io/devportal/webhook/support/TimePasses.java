package io.devportal.webhook.support;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time passing for the service without the test waiting for it, in both clocks the service reads:
 * every lease held in the JDBC ledger is moved back in database time (leases expire there, as
 * {@code lease_until < CURRENT_TIMESTAMP}), and the service's clock ({@link TestClock}: request
 * deadlines and undo times, the sweeper's time) is moved forward, by the same amount. Reset the
 * clock after the test ({@link TestClock#reset}).
 */
public final class TimePasses {

    private TimePasses() {
    }

    /** {@code by} passes; fails when no lease is held (nothing for the time to act on). */
    public static void by(Duration by, Db db, TestClock clock) {
        int held = db.update("UPDATE credential SET lease_until = lease_until - CAST(? AS BIGINT) * INTERVAL '0.001' "
                + "SECOND, lease_since = lease_since - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND "
                + "WHERE lease_holder IS NOT NULL", by.toMillis(), by.toMillis());
        assertTrue(held > 0, "a lease is held while the time passes");
        clock.advance(by);
    }
}
