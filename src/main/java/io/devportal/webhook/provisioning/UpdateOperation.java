package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;

import java.util.List;

/**
 * UPDATE: brings an active credential to a desired state under its lease, as the portal's update and
 * reconcile's converge both do (the same kind: the same act and the same undo). The provider
 * journals the state of each thing before it changes it (typed entries: {@code Before.Key},
 * {@code Before.Client}). Undo: the provider puts that state back and removes what this update made
 * itself, and the operation closes FAILED.
 */
final class UpdateOperation implements JournaledOperation<Convergence> {
    private final Operations ops;
    private final String auditOperation;
    private final CredentialProvider provider;
    private final CredentialRecord record;
    private final CredentialSpec spec;

    UpdateOperation(Operations ops, String auditOperation, CredentialProvider provider, CredentialRecord record,
                    CredentialSpec spec) {
        this.ops = ops;
        this.auditOperation = auditOperation;
        this.provider = provider;
        this.record = record;
        this.spec = spec;
    }

    @Override
    public Convergence act(OperationJournal journal) {
        return provider.converge(record.resources(), spec, journal);
    }

    @Override
    public void complete(Lease lease, Convergence result) {
        ops.ledger().completeUpdate(lease, spec.appName(), spec.developer(), spec.apis(), result.scopes(),
                result.resources(), ops.clock().instant());
        ops.audit().done(auditOperation, record, result.resources());
        // the keys of targets the app left are deleted by the caller, under the lease again
        // (Retirement#deleteRetiredKeys): a later update may take one back as soon as this one is confirmed
    }

    @Override
    public Recovery recovery() {
        return Recovery.UNDO;
    }

    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        undo(ops, provider, lease, journaled, reason);
    }

    /** The undo of an update, by its journal: the request's failure path and the sweeper. */
    static void undo(Operations ops, CredentialProvider provider, Lease lease, List<ResourceRef> journaled,
                     String reason) {
        provider.restore(journaled, lease.operationId());
        ops.ledger().failOperation(lease, reason, ops.clock().instant());
    }

    /**
     * Lost the lease to another process, which restores from the journal it read: this one removes
     * only the keys it made itself (in a target the app had not used), which that journal may lack, and
     * restores nothing (a restore could undo a later operation's change).
     */
    @Override
    public void removeOwnAfterLoss(List<ResourceRef> journaled) {
        provider.removeMade(journaled, spec.operationId());
    }

    @Override
    public void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
        ops.audit().failed(auditOperation, record, failure);
        if (undoFailure != null) {
            OperationRunner.LOG.errorf("%s of credential %s failed and restoring its previous state failed too; the "
                    + "sweeper will retry: %s", auditOperation, record.id(), CredentialService.describe(undoFailure));
        }
    }
}
