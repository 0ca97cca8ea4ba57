package io.devportal.webhook.support;

import io.restassured.response.Response;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the busy-credential tests share: the 409 credential_busy answer, to come back in so many
 * seconds counted from the holder's lease, and moving a JDBC lease's start back in database time (as
 * if its holder had taken it earlier), or forgetting it (a lease taken before the start was kept).
 */
public final class BusyAnswers {

    private BusyAnswers() {
    }

    /**
     * 409 credential_busy for an update, to come back in {@code expected} s counted from the holder's
     * lease, less the time since the holder's request was sent at {@code sentNanos} (its lease cannot
     * be older).
     */
    public static void assertBusyFor(Response r, long expected, long sentNanos) {
        long elapsed = (System.nanoTime() - sentNanos + 999_999_999L) / 1_000_000_000L;
        assertEquals(409, r.statusCode(), r.asString());
        assertEquals("credential_busy", r.path("code"));
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertTrue(retryAfter <= expected && retryAfter >= Math.max(1, expected - elapsed),
                "Retry-After " + retryAfter + " is not " + expected + " s less up to " + elapsed + " s");
        assertEquals("another request is changing this credential (update); retry in " + retryAfter + " s",
                r.path("message"));
    }

    /**
     * Moves back by {@code by} the start of the lease on the credential whose {@code column} is
     * {@code value} ({@code null}: removes it).
     */
    public static void moveLeaseStartBack(Db db, String column, String value, Duration by) {
        int changed = by == null
                ? db.update("UPDATE credential SET lease_since = NULL WHERE " + column + " = ? AND lease_holder IS NOT "
                        + "NULL", value)
                : db.update("UPDATE credential SET lease_since = lease_since - CAST(? AS BIGINT) * INTERVAL '0.001' "
                        + "SECOND WHERE " + column + " = ? AND lease_holder IS NOT NULL", by.toMillis(), value);
        assertEquals(1, changed, "one lease held on the credential whose " + column + " is " + value);
    }
}
