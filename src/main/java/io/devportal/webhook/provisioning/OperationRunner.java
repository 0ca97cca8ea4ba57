package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.TimingCheck;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseLost;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.metrics.Metrics;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one journaled-operation sequence: take the credential's lease, act under the request's
 * deadline, then complete, or undo at once, or leave the operation to the sweeper (which runs the same
 * undo, {@link JournaledOperation}). Create, update,
 * revoke, retire, reconcile's converge and the sweeper's takeover all run through here; the lease,
 * the fence and the deadline live nowhere else.
 */
@ApplicationScoped
public class OperationRunner {
    static final Logger LOG = Logger.getLogger(OperationRunner.class);
    private static final long POLL_MILLIS = 50;

    @Inject
    Ledger ledger;

    @Inject
    Clock clock;

    @Inject
    WebhookConfig config;

    @Inject
    RequestTakeover takeover;

    @Inject
    Metrics metrics;

    /** Refuses to run anything under timings that let a lease expire while its holder works. */
    public void requireTimings() {
        TimingCheck.require(config);
    }

    /**
     * Runs a whole request under one deadline ({@code webhook.request.deadline} from now): its
     * reads, the wait for a busy credential, a takeover it does on the way, and its own operation.
     * Nested calls share the outer deadline.
     */
    public <T> T withinDeadline(Supplier<T> request) {
        if (Deadline.current().isPresent()) {
            return request.get();
        }
        return new Deadline(clock, clock.instant().plus(config.request().deadline())).run(request);
    }

    public Duration leaseFor() {
        return config.lease().duration();
    }

    /**
     * Takes the lease with {@code attempt} (a ledger begin). A busy credential is waited for a
     * bounded moment ({@code webhook.lease.wait}), so that a portal's retry of an operation still
     * running succeeds once it ends; a holder whose lease expired is taken over and finished first,
     * within this request's deadline, or handed back at once and this request refused (429 with the
     * AWS budget's Retry-After, or 503). A request that finished another's operation starts its own
     * only with the time for it left ({@link RequestTakeover}).
     *
     * @throws WebhookException BUSY when the credential stays busy
     * @throws LeaseRefused when the credential is not in the status the operation expects
     */
    public Lease begin(Supplier<Lease> attempt) {
        requireTimings();
        long giveUp = System.nanoTime() + config.lease().busyWait().toNanos();
        boolean waited = false;
        Operation.Kind tookOver = null;
        while (true) {
            try {
                Lease lease = attempt.get();
                if (tookOver != null) {
                    takeover.requireTimeLeft(lease, tookOver);
                }
                return lease;
            } catch (LeaseRefused refused) {
                if (!refused.busy()) {
                    throw refused;
                }
                // no holder named: others kept taking and releasing it (contended), busy all the same
                LeaseState holder = refused.holder().orElse(null);
                // an abandoned holder is finished first, within this request's deadline
                if (holder != null && holder.expired() && !deadlinePassed() && takeover.finish(holder)) {
                    tookOver = holder.kind();
                    continue;
                }
                if (System.nanoTime() - giveUp > 0 || deadlinePassed()) {
                    throw holder != null ? busy(holder) : busy();
                }
                if (!waited && holder != null) {
                    waited = true;
                    metrics.leaseWait(holder.kind().name());
                }
                pause();
            }
        }
    }

    /**
     * Runs {@code op} under {@code lease}: act, then complete; on failure its one undo at once
     * ({@link JournaledOperation.Recovery#UNDO}), or hands it to the sweeper ({@code FORWARD}, or an
     * undo that failed too), which runs the same undo.
     */
    public <T> T run(Lease lease, List<ResourceRef> journaled, JournaledOperation<T> op) {
        requireTimings();
        // the request's deadline when there is one (begun with withinDeadline), else this operation's own
        Deadline deadline = Deadline.current()
                .orElseGet(() -> new Deadline(clock, clock.instant().plus(config.request().deadline())));
        Deadline undoBy = new Deadline(clock, deadline.at().plus(config.request().undoTime()));
        OperationJournal journal = new OperationJournal(ledger, clock, lease, journaled);
        T result;
        try {
            result = deadline.run(() -> op.act(journal));
            deadline.check("confirming the change");
        } catch (LeaseLost lost) {
            // another process has taken the operation over and finishes it; what this one made
            // after the takeover is not in the journal it read, so this one removes its own again
            undoBy.run(() -> {
                removeOwn(journal, op);
                return null;
            });
            throw taken(lost);
        } catch (RuntimeException failure) {
            recover(undoBy, journal, op, failure);
            throw failure;
        }
        try {
            op.complete(lease, result);
            return result;
        } catch (LeaseLost lost) {
            throw taken(lost);
        } catch (RuntimeException failure) {
            // the outcome of the completion is unknown (the commit may have landed): no undo here;
            // the sweeper undoes it only if the operation is still in progress when the lease expires
            abandon(lease);
            throw failure;
        }
    }

    /**
     * The sweeper's side: runs {@code undo} (the undo of the taken-over row's kind, {@link
     * Operations#undoOf}) under {@code lease} and a deadline of its own. A failure hands the row
     * back (it is retried on the next pass).
     */
    void resume(Lease lease, Runnable undo) {
        requireTimings();
        Deadline deadline = Deadline.current()
                .orElseGet(() -> new Deadline(clock, clock.instant().plus(config.request().deadline())));
        try {
            deadline.run(() -> {
                undo.run();
                return null;
            });
        } catch (LeaseLost lost) {
            throw taken(lost);
        } catch (RuntimeException failure) {
            abandon(lease);
            throw failure;
        }
    }

    private <T> void recover(Deadline deadline, OperationJournal journal, JournaledOperation<T> op,
                             RuntimeException failure) {
        if (op.recovery() == JournaledOperation.Recovery.FORWARD) {
            op.report(failure, journal.resources(), null);
            abandon(journal.lease());
            return;
        }
        try {
            deadline.run(() -> {
                op.undo(journal.lease(), journal.resources(), CredentialService.describe(failure));
                return null;
            });
            op.report(failure, journal.resources(), null);
        } catch (LeaseLost lost) {
            LOG.warnf("operation %s was taken over while it undid its work", journal.operationId());
            op.report(failure, journal.resources(), lost);
        } catch (RuntimeException undoFailure) {
            op.report(failure, journal.resources(), undoFailure);
            abandon(journal.lease());
        }
    }

    private static <T> void removeOwn(OperationJournal journal, JournaledOperation<T> op) {
        try {
            op.removeOwnAfterLoss(journal.resources());
        } catch (RuntimeException e) {
            LOG.warnf("operation %s lost its lease and could not remove what it made; reconcile reports what is "
                    + "left: %s", journal.operationId(), CredentialService.describe(e));
        }
    }

    private static boolean deadlinePassed() {
        return Deadline.current().map(Deadline::passed).orElse(false);
    }

    /** Leaves the operation to the sweeper at once (best effort: an expiring lease does the same). */
    private void abandon(Lease lease) {
        try {
            ledger.abandon(lease);
        } catch (RuntimeException e) {
            LOG.warnf("could not hand operation %s to the sweeper early (%s); it takes over when the lease expires",
                    lease.operationId(), CredentialService.describe(e));
        }
    }

    private static WebhookException taken(LeaseLost lost) {
        LOG.errorf("%s", lost.getMessage());
        return new WebhookException(WebhookException.Kind.DEADLINE_EXCEEDED, "the request outlived its lease on "
                + "this credential and another process took over its work; retry shortly", Deadline.RETRY_AFTER, lost);
    }

    /**
     * When a request that found {@code credentialId} held by another should come back: when the holder
     * is done at the latest ({@link BusyRetryAfter}); 1 s when nobody holds it any more.
     */
    Duration retryAfterBusy(String credentialId) {
        return ledger.lease(credentialId).map(this::retryAfter).orElse(Duration.ofSeconds(1));
    }

    private Duration retryAfter(LeaseState holder) {
        return BusyRetryAfter.of(holder, config.request().deadline(), config.request().undoTime());
    }

    /** 409 credential_busy, to come back when the holder is done at the latest ({@link BusyRetryAfter}). */
    WebhookException busy(LeaseState holder) {
        Duration retryAfter = retryAfter(holder);
        return new WebhookException(WebhookException.Kind.BUSY, "another request is changing this credential ("
                + holder.kind().name().toLowerCase(java.util.Locale.ROOT) + "); retry in " + retryAfter.toSeconds()
                + " s", retryAfter, null);
    }

    /** 409 credential_busy when the lease was contended and no holder is known: come back shortly. */
    private static WebhookException busy() {
        return new WebhookException(WebhookException.Kind.BUSY, "other requests are changing this credential; retry in "
                + BusyRetryAfter.UNKNOWN.toSeconds() + " s", BusyRetryAfter.UNKNOWN, null);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "interrupted while waiting for a busy "
                    + "credential", BusyRetryAfter.UNKNOWN, e);
        }
    }
}
