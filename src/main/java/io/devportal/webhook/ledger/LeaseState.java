package io.devportal.webhook.ledger;

/**
 * Who holds a credential now, as the store sees it.
 *
 * @param expired whether the lease has run out (in the store's time, less its clock-skew margin):
 *                only then may {@link Ledger#takeOver} take it
 */
public record LeaseState(String operationId, Operation.Kind kind, long fence, boolean expired) {
}
