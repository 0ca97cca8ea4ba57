package io.devportal.webhook.ledger;

import java.time.Duration;

/**
 * Who holds a credential now, as the store sees it. The two times are measured in the store's own
 * time when it reads the lease (the database's {@code CURRENT_TIMESTAMP}; on DynamoDB, which has no
 * server time, the reading instance's clock, within the clock-skew margin), never by comparing an
 * instant of the store with another instance's clock.
 *
 * @param expired    whether the lease has run out (in the store's time, less its clock-skew margin):
 *                   only then may {@link Ledger#takeOver} take it
 * @param held       how long ago the holder took the lease; null for a lease taken by a version that
 *                   did not record it
 * @param takeableIn how long until the lease may be taken over ({@link #expired} once it is not
 *                   positive): the latest the holder can still be at work
 */
public record LeaseState(String operationId, Operation.Kind kind, long fence, boolean expired, Duration held,
                         Duration takeableIn) {
}
