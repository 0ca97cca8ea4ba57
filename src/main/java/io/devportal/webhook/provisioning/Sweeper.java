package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.metrics.LedgerGauges;
import io.devportal.webhook.metrics.Metrics;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * Finishes what a crash or a failed undo left: journal rows still in progress whose lease has
 * expired. It acts only after taking the lease over (one winner across instances, the CLI's
 * {@code sweep} and duplicate schedule deliveries), and runs the undo of the row's kind, the same
 * one the request's failure path runs ({@link Operations#undoOf}): a create is undone (its resources
 * torn down, its app released), a revoke or retire is completed, and an update is undone (the
 * provider restores what it journaled before changing anything) and closed as failed.
 */
@ApplicationScoped
public class Sweeper {
    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    /** What the ledger records as the outcome of an operation the sweeper finished. */
    private static final java.util.Map<Operation.Kind, String> ABANDONED = java.util.Map.of(
            Operation.Kind.CREATE, "abandoned: undone by the sweeper",
            Operation.Kind.UPDATE, "abandoned: the previous state was restored by the sweeper",
            Operation.Kind.REVOKE, "abandoned: completed by the sweeper",
            Operation.Kind.RETIRE, "abandoned: completed by the sweeper");

    @Inject
    Ledger ledger;

    @Inject
    OperationRunner runner;

    @Inject
    Operations operations;

    @Inject
    Retention retention;

    @Inject
    Clock clock;

    @Inject
    Metrics metrics;

    @Inject
    LedgerGauges gauges;

    @Inject
    AuditTrail audit;

    @Scheduled(every = "${webhook.sweeper.every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.errorf("sweeper run failed: %s", CredentialService.describe(e));
        }
    }

    /** One pass at the clock's current time; returns how many operations it finished. */
    public int sweep() {
        runner.requireTimings();
        int finished = 0;
        for (Operation op : ledger.staleOperations(clock.instant())) {
            if (takeOverAndFinish(op.id())) {
                finished++;
            }
        }
        retention.applyIfDue(clock.instant());
        gauges.publish();
        return finished;
    }

    /**
     * Takes over an operation whose lease has expired (the ledger's compare-and-set, which raises
     * the fence, so its old holder can change nothing more) and finishes it: a create is undone,
     * a revoke or retire completed, an update restored and closed as failed. Returns whether this
     * call finished it; false when the lease was not expired or another process took it first.
     */
    boolean takeOverAndFinish(String operationId) {
        return takeOverAndFinish(operationId, false);
    }

    /**
     * A request's takeover on its way to its own operation ({@link OperationRunner#begin}), under its
     * deadline: as {@link #takeOverAndFinish}, but a failure to finish is thrown (the row is handed
     * back at once, as for the sweeper), for the request to answer at once.
     */
    boolean takeOverForRequest(String operationId) {
        return takeOverAndFinish(operationId, true);
    }

    private boolean takeOverAndFinish(String operationId, boolean rethrow) {
        Optional<Operation> found = ledger.findOperation(operationId);
        if (found.isEmpty() || found.get().status() != Operation.Status.IN_PROGRESS) {
            return false;
        }
        Operation op = found.get();
        Optional<Lease> taken = ledger.takeOver(op.id(), runner.leaseFor(), clock.instant());
        if (taken.isEmpty()) {
            return false;
        }
        Lease lease = taken.get();
        // read again under the new fence: nothing the old holder journals can be added any more
        Operation journaled = ledger.findOperation(op.id()).orElse(op);
        try {
            runner.resume(lease, operations.undoOf(journaled, lease, ABANDONED.get(journaled.kind())));
            LOG.warnf("sweeper finished abandoned %s %s of credential %s", op.kind(), op.id(), op.credentialId());
            metrics.sweeperAction(op.kind().name(), "finished");
            ledger.find(op.credentialId()).ifPresent(r -> audit.done(AuditTrail.SWEEP, r, journaled.resources()));
            return true;
        } catch (RuntimeException e) {
            metrics.sweeperAction(op.kind().name(), "failed");
            ledger.find(op.credentialId()).ifPresent(r -> audit.failed(AuditTrail.SWEEP, r, op.resources(), e));
            LOG.errorf("%s could not finish %s operation %s (handed back): %s", rethrow ? "a request" : "sweeper",
                    op.kind(), op.id(), CredentialService.describe(e));
            if (rethrow) {
                throw e;
            }
            return false;
        }
    }

}
