package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.Removal;

import java.util.List;

/**
 * REVOKE (as {@code revoke-mode} says) and RETIRE (always deleted: what the webhook no longer
 * accounts for). There is no way back from a revoke: one that failed half-way (a hybrid's client
 * gone, its key not) must not leave a live credential, so its undo finishes it forward. The
 * request's failure path hands it to the sweeper at once, which runs {@link #finish}.
 */
final class RevokeOperation implements JournaledOperation<Void> {
    private final Operations ops;
    private final Operation.Kind kind;
    private final CredentialProvider provider;
    private final CredentialRecord record;

    RevokeOperation(Operations ops, Operation.Kind kind, CredentialProvider provider, CredentialRecord record) {
        this.ops = ops;
        this.kind = kind;
        this.provider = provider;
        this.record = record;
    }

    @Override
    public Void act(OperationJournal journal) {
        provider.remove(record.resources(), mode(kind));
        return null;
    }

    @Override
    public void complete(Lease held, Void nothing) {
        ops.ledger().completeRevoke(held, ops.clock().instant());
    }

    @Override
    public Recovery recovery() {
        return Recovery.FORWARD;
    }

    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        finish(ops, kind, provider, lease, journaled);
    }

    /** Finishes a revoke or retire by its journal (the credential's resources when it began). */
    static void finish(Operations ops, Operation.Kind kind, CredentialProvider provider, Lease lease,
                       List<ResourceRef> journaled) {
        if (kind == Operation.Kind.RETIRE && journaled.isEmpty()) {
            // a re-check (RecheckOperation) that never found the credential gone: nothing to retire
            ops.ledger().failOperation(lease, "not retired: the credential was never found gone",
                    ops.clock().instant());
            return;
        }
        provider.remove(journaled, mode(kind));
        ops.ledger().completeRevoke(lease, ops.clock().instant());
    }

    static Removal mode(Operation.Kind kind) {
        return kind == Operation.Kind.RETIRE ? Removal.DELETE : Removal.REVOKE;
    }

    @Override
    public void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
        OperationRunner.LOG.errorf("revoke of credential %s failed; the sweeper will complete it: %s", record.id(),
                CredentialService.describe(failure));
        ops.audit().failed(kind == Operation.Kind.RETIRE ? AuditTrail.RETIRE : AuditTrail.REVOKE, record, failure);
    }
}
