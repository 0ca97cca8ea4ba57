package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.metrics.LedgerGauges;
import io.devportal.webhook.metrics.Metrics;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Finishes what a crash left: journal rows still in progress after {@code webhook.sweeper.max-age}.
 * A create is undone (its resources torn down, its app released), a revoke is completed, and an
 * update is undone (the provider restores what it journaled before changing anything, such as an
 * API key's previous usage plans) and closed as failed.
 */
@ApplicationScoped
public class Sweeper {
    private static final Logger LOG = Logger.getLogger(Sweeper.class);

    @Inject
    Ledger ledger;

    @Inject
    ProviderSelection providers;

    @Inject
    WebhookConfig config;

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
        Instant now = clock.instant();
        List<Operation> stale = ledger.staleOperations(now.minus(config.sweeper().maxAge()));
        int finished = 0;
        for (Operation op : stale) {
            try {
                finish(op, now);
                metrics.sweeperAction(op.kind().name(), "finished");
                ledger.find(op.credentialId()).ifPresent(r -> audit.done(AuditTrail.SWEEP, r, op.resources()));
                finished++;
            } catch (RuntimeException e) {
                metrics.sweeperAction(op.kind().name(), "failed");
                ledger.find(op.credentialId()).ifPresent(r -> audit.failed(AuditTrail.SWEEP, r, op.resources(), e));
                LOG.errorf(e, "sweeper could not finish %s operation %s: %s", op.kind(), op.id(),
                        CredentialService.describe(e));
            }
        }
        gauges.publish();
        return finished;
    }

    private void finish(Operation op, Instant now) {
        switch (op.kind()) {
            case CREATE -> {
                providers.provider().teardown(op.resources());
                ledger.rollBackCreate(op.id(), op.credentialId(), "abandoned: undone by the sweeper", now);
                LOG.warnf("sweeper undid abandoned create %s of credential %s", op.id(), op.credentialId());
            }
            case REVOKE -> {
                CredentialRecord record = ledger.find(op.credentialId()).orElseThrow();
                providers.provider().revoke(record.resources());
                ledger.completeRevoke(op.id(), op.credentialId(), now);
                LOG.warnf("sweeper completed abandoned revoke %s of credential %s", op.id(), op.credentialId());
            }
            case UPDATE -> {
                if (superseded(op)) {
                    // a later update or revoke of the credential was confirmed: restoring this one's
                    // snapshot would undo it (the later update converged from AWS's own state)
                    ledger.failOperation(op.id(), "abandoned and superseded by a later operation: not restored", now);
                    LOG.warnf("sweeper closed abandoned update %s of credential %s without restoring: a later "
                            + "operation was confirmed", op.id(), op.credentialId());
                } else {
                    providers.provider().restore(op.resources());
                    ledger.failOperation(op.id(), "abandoned: the previous state was restored by the sweeper", now);
                    LOG.warnf("sweeper restored the previous state of credential %s after abandoned update %s",
                            op.credentialId(), op.id());
                }
            }
        }
    }

    /** Whether another operation of the same credential, started no earlier, has been confirmed. */
    private boolean superseded(Operation op) {
        return ledger.operationsOf(op.credentialId()).stream().anyMatch(other -> !other.id().equals(op.id())
                && other.status() == Operation.Status.DONE && !other.startedAt().isBefore(op.startedAt()));
    }
}
