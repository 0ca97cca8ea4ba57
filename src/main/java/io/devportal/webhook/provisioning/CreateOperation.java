package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.Removal;

import java.util.List;

/**
 * CREATE: issues the app's credential, journaling each resource before and after it is made. Undo:
 * delete what the journal names (ROLLBACK) and roll the credential back, which frees the app.
 */
final class CreateOperation implements JournaledOperation<IssuedCredential> {
    private final Operations ops;
    private final CredentialProvider provider;
    private final CredentialRecord pending;
    private final CredentialSpec spec;

    CreateOperation(Operations ops, CredentialProvider provider, CredentialRecord pending, CredentialSpec spec) {
        this.ops = ops;
        this.provider = provider;
        this.pending = pending;
        this.spec = spec;
    }

    @Override
    public IssuedCredential act(OperationJournal journal) {
        return provider.issue(spec, journal);
    }

    @Override
    public void complete(Lease held, IssuedCredential issued) {
        ops.ledger().completeCreate(held, issued.apiKeyId(), issued.clientId(), issued.scopes(), issued.resources(),
                ops.clock().instant());
        ops.audit().issued(pending, issued);
        OperationRunner.LOG.infof("issued %s credential %s (ledger id %s)", issued.kind(), issued.externalId(),
                pending.id());
    }

    @Override
    public Recovery recovery() {
        return Recovery.UNDO;
    }

    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        undo(ops, provider, lease, journaled, reason);
    }

    /** The undo of a create, by its journal: the request's failure path and the sweeper. */
    static void undo(Operations ops, CredentialProvider provider, Lease lease, List<ResourceRef> journaled,
                     String reason) {
        provider.remove(journaled, Removal.ROLLBACK);
        ops.ledger().rollBackCreate(lease, reason, ops.clock().instant());
    }

    @Override
    public void removeOwnAfterLoss(List<ResourceRef> journaled) {
        provider.remove(journaled, Removal.ROLLBACK);
    }

    @Override
    public void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
        ops.audit().failed(AuditTrail.CREATE, pending, journaled, failure);
        if (undoFailure == null) {
            ops.audit().done(AuditTrail.ROLLBACK, pending, journaled);
            OperationRunner.LOG.warnf("create of credential %s failed and was rolled back: %s", pending.id(),
                    CredentialService.describe(failure));
        } else {
            ops.audit().failed(AuditTrail.ROLLBACK, pending, journaled, undoFailure);
            OperationRunner.LOG.errorf("create of credential %s failed and its rollback failed too; the sweeper "
                    + "will retry: %s", pending.id(), CredentialService.describe(undoFailure));
        }
    }
}
