package io.devportal.webhook.ledger;

import java.util.Optional;

/**
 * A lease was not granted. Either another operation holds the credential ({@link #busy()}, with
 * whether that holder's lease has expired, so that its work can be taken over), or others kept taking
 * and releasing it faster than this compare-and-set could win ({@link #busy()} too, with no holder
 * named: {@link #contended}), or the credential is not in the status the operation expects (revoked,
 * rolled back, gone).
 */
public class LeaseRefused extends RuntimeException {
    private final CredentialRecord.Status status;
    private final LeaseState holder;
    private final boolean contended;

    public LeaseRefused(String credentialId, CredentialRecord.Status status, LeaseState holder) {
        this(credentialId, status, holder, false);
    }

    private LeaseRefused(String credentialId, CredentialRecord.Status status, LeaseState holder, boolean contended) {
        super("ledger: credential " + credentialId + (holder != null
                ? " is held by " + holder.kind() + " operation " + holder.operationId()
                : contended ? " was taken by other operations at every attempt"
                : status == null ? " does not exist" : " is " + status));
        this.status = status;
        this.holder = holder;
        this.contended = contended;
    }

    /**
     * The compare-and-set lost every attempt to leases taken and released meanwhile: the credential
     * is busy (in {@code status}, but nobody to name holds it at this moment), never "not in status".
     */
    public static LeaseRefused contended(String credentialId, CredentialRecord.Status status) {
        return new LeaseRefused(credentialId, status, null, true);
    }

    /** The credential's status when refused; empty when it does not exist. */
    public Optional<CredentialRecord.Status> status() {
        return Optional.ofNullable(status);
    }

    /** The operation that holds the credential, when that is why; empty when {@link #contended}. */
    public Optional<LeaseState> holder() {
        return Optional.ofNullable(holder);
    }

    /** Held by another operation, or contended: the operation may be tried again later. */
    public boolean busy() {
        return holder != null || contended;
    }
}
