package io.devportal.webhook.ledger;

/**
 * The right of one operation to change one credential. It is taken in the ledger by a
 * compare-and-set ({@link Ledger#beginCreate}, {@link Ledger#beginOperation}, {@link Ledger#takeOver})
 * and every later write of the operation names it: a write whose {@code fence} is no longer the
 * credential's is refused with {@link LeaseLost}, so a holder that outlived its lease (a zombie)
 * can change nothing once another has taken over.
 *
 * @param operationId the journal row that holds the lease
 * @param credentialId the credential it serialises
 * @param fence the credential's fencing version, raised by every grant and takeover
 */
public record Lease(String operationId, String credentialId, long fence) {
}
