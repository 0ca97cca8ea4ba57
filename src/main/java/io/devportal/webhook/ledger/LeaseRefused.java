package io.devportal.webhook.ledger;

import java.util.Optional;

/**
 * A lease was not granted. Either another operation holds the credential ({@link #busy()}, with
 * whether that holder's lease has expired, so that its work can be taken over), or the credential
 * is not in the status the operation expects (revoked, rolled back, gone).
 */
public class LeaseRefused extends RuntimeException {
    private final CredentialRecord.Status status;
    private final LeaseState holder;

    public LeaseRefused(String credentialId, CredentialRecord.Status status, LeaseState holder) {
        super("ledger: credential " + credentialId + (holder != null
                ? " is held by " + holder.kind() + " operation " + holder.operationId()
                : status == null ? " does not exist" : " is " + status));
        this.status = status;
        this.holder = holder;
    }

    /** The credential's status when refused; empty when it does not exist. */
    public Optional<CredentialRecord.Status> status() {
        return Optional.ofNullable(status);
    }

    /** The operation that holds the credential, when that is why. */
    public Optional<LeaseState> holder() {
        return Optional.ofNullable(holder);
    }

    public boolean busy() {
        return holder != null;
    }
}
