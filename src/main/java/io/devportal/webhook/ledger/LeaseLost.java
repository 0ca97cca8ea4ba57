package io.devportal.webhook.ledger;

/**
 * A write named a lease that is no longer the credential's (it expired and was taken over), or a
 * transition whose expected status no longer holds. Nothing was written. The operation must not
 * answer 2xx: what it did may already be undone by the new holder.
 */
public class LeaseLost extends RuntimeException {
    public LeaseLost(String step, Lease lease) {
        super("ledger: " + step + " refused: operation " + lease.operationId() + " no longer holds credential "
                + lease.credentialId() + " at fence " + lease.fence());
    }
}
