package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * What {@code reconcile --apply} does to a credential it found stale or drifted ({@link Reconciler}):
 * retires what is left of a stale one, or re-converges a drifted one to the ledger, each as a
 * journaled operation under the credential's lease; the answer is the action's audit outcome.
 */
@ApplicationScoped
class ReconcileRepairs {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    @Inject
    Ledger ledger;

    @Inject
    AuditTrail audit;

    @Inject
    Retirement retirement;

    @Inject
    OperationRunner runner;

    @Inject
    Operations operations;

    @Inject
    Clock clock;

    /** A journaled revoke of what is left of the credential; "already gone" counts as done. */
    String retire(CredentialProvider provider, CredentialRecord record) {
        try {
            Optional<CredentialRecord> retired = retirement.retire(provider, record, Operation.Kind.REVOKE);
            if (retired.isEmpty()) {
                return "changed";
            }
            audit.done(AuditTrail.RETIRE, retired.get()); // as the lease found it: what was retired
            LOG.warnf("reconcile retired stale credential %s", record.id());
            return AuditTrail.DONE;
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        }
    }

    /**
     * A journaled update, under the credential's lease, that brings the credential back to the
     * ledger's APIs, plans and scopes as they are under the lease (not as they were listed).
     */
    String converge(CredentialProvider provider, CredentialRecord listed) {
        Begun begun = beginUpdate(listed);
        if (begun.refused() != null) {
            return begun.refused();
        }
        Lease lease = begun.lease();
        CredentialRecord record = ledger.find(listed.id()).orElseThrow();
        CredentialSpec spec = new CredentialSpec(record.kind(), record.hybrid(), record.appId(), record.appName(),
                record.developer(), record.apis(), lease.operationId(), record.id());
        try {
            Convergence done = runner.run(lease, record.resources(),
                    operations.update(AuditTrail.RECONCILE, provider, record, spec));
            retirement.deleteRetiredKeys(provider, record.id(), done.retired());
            LOG.warnf("reconcile re-converged drifted credential %s", record.id());
            return AuditTrail.DONE;
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        }
    }

    /** The lease of a reconcile UPDATE, or the action that says why there is none. */
    record Begun(Lease lease, String refused) {
    }

    /**
     * Takes the listed credential's lease for an UPDATE (every repair reconcile makes to an active
     * credential): refused as {@code changed} when it is no longer active, as busy or as the
     * failure's outcome otherwise.
     */
    Begun beginUpdate(CredentialRecord listed) {
        try {
            return new Begun(runner.begin(() -> ledger.beginOperation(Operation.Kind.UPDATE, listed.id(),
                    CredentialRecord.Status.ACTIVE, runner.leaseFor(), clock.instant())), null);
        } catch (LeaseRefused notActive) {
            return new Begun(null, "changed");
        } catch (WebhookException e) {
            return new Begun(null, e.kind() == WebhookException.Kind.BUSY ? Reconciler.BUSY : AuditTrail.outcome(e));
        }
    }
}
