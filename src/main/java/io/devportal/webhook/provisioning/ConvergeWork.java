package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;

import java.time.Clock;
import java.util.List;

/**
 * Bringing an active credential to a desired state under its lease, as the portal's update and
 * reconcile's converge both do: converge, then record the new state; on failure restore what the
 * provider journaled before it changed anything and close the operation FAILED.
 */
final class ConvergeWork implements OperationRunner.Work<Convergence> {
    private final Ledger ledger;
    private final Clock clock;
    private final AuditTrail audit;
    private final String auditOperation;
    private final CredentialProvider provider;
    private final CredentialRecord record;
    private final CredentialSpec spec;

    ConvergeWork(Ledger ledger, Clock clock, AuditTrail audit, String auditOperation, CredentialProvider provider,
                 CredentialRecord record, CredentialSpec spec) {
        this.ledger = ledger;
        this.clock = clock;
        this.audit = audit;
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
        List<ApiAccess> apis = spec.apis();
        ledger.completeUpdate(lease, spec.appName(), spec.developer(), apis, result.scopes(), result.resources(),
                clock.instant());
        audit.done(auditOperation, record, result.resources());
        if (!result.retired().isEmpty()) {
            try {
                provider.remove(result.retired(), Removal.DELETE);
            } catch (RuntimeException e) {
                // in no usage plan already: it opens nothing, and reconcile lists it as an orphan
                OperationRunner.LOG.warnf("%s of credential %s is confirmed; deleting the API key of a target it no "
                        + "longer uses failed (the key is in no usage plan; reconcile --delete-orphans removes it): %s",
                        auditOperation, record.id(), CredentialService.describe(e));
            }
        }
    }

    @Override
    public boolean undo(OperationJournal journal, RuntimeException failure) {
        audit.failed(auditOperation, record, failure);
        provider.restore(journal.resources(), journal.operationId());
        ledger.failOperation(journal.lease(), CredentialService.describe(failure), clock.instant());
        return true;
    }

    @Override
    public void undoFailed(OperationJournal journal, RuntimeException failure, RuntimeException undoFailure) {
        OperationRunner.LOG.errorf("%s of credential %s failed and restoring its previous state failed too; the "
                + "sweeper will retry: %s", auditOperation, record.id(), CredentialService.describe(undoFailure));
    }
}
