package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;

/**
 * A request's takeover of an abandoned operation on its way to its own ({@link OperationRunner#begin}):
 * it finishes the abandoned one within its own deadline, or hands it back at once and answers at
 * once (429 or 503, never a 5xx of the failure's own, never a 409 loop); having finished it, it
 * starts its own only with the time for it left.
 */
@ApplicationScoped
class RequestTakeover {

    @Inject
    Sweeper sweeper;

    @Inject
    Ledger ledger;

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    /**
     * Takes over and finishes the abandoned holder (false when another process took it first). When
     * it cannot be finished now, the sweeper has already handed it back (expired at once, for the next
     * retry or the sweeper), and this request answers at once: 429 with the budget's Retry-After when
     * AWS's budget could not serve it within the deadline, else 503; never a 409 loop.
     */
    boolean finish(LeaseState holder) {
        try {
            return sweeper.takeOverForRequest(holder.operationId());
        } catch (RuntimeException failure) {
            String what = "an earlier " + holder.kind().name().toLowerCase(java.util.Locale.ROOT) + " of this "
                    + "credential was left unfinished, and this request could not finish it";
            WebhookException w = failure instanceof WebhookException e ? e : null;
            if (w != null && w.kind() == WebhookException.Kind.THROTTLED) {
                throw new WebhookException(WebhookException.Kind.THROTTLED, what + ": " + w.getMessage(),
                        w.retryAfter(), failure);
            }
            if (Deadline.isExceeded(failure)) {
                throw new WebhookException(WebhookException.Kind.DEADLINE_EXCEEDED, what + " within its deadline; it is "
                        + "handed back; nothing of this request's own was started; retry shortly", Deadline.RETRY_AFTER,
                        failure);
            }
            // whatever AWS or the ledger said, this request's own change was never started: 503, not a 5xx of its own
            String why = w != null && w.kind().exposesMessage() ? " (" + w.getMessage() + ")" : "";
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, what + why + "; it is handed back; nothing "
                    + "of this request's own was started; retry shortly",
                    w != null && w.retryAfter() != null ? w.retryAfter() : Deadline.RETRY_AFTER, failure);
        }
    }

    /**
     * A request that spent part of its deadline finishing another's operation starts its own only if
     * its AWS calls still fit in what is left (two rounds of attempts, as the AWS budget reckons):
     * otherwise the operation just begun is closed before it acts, and the request answers 503.
     */
    void requireTimeLeft(Lease lease, Operation.Kind finished) {
        if (timeLeft()) {
            return;
        }
        try {
            ledger.failOperation(lease, "not started: the request's deadline was spent finishing an abandoned "
                    + finished.name().toLowerCase(java.util.Locale.ROOT), clock.instant());
        } catch (RuntimeException e) {
            OperationRunner.LOG.warnf("could not close operation %s that never started (%s); it is handed back",
                    lease.operationId(), CredentialService.describe(e));
            try {
                ledger.abandon(lease);
            } catch (RuntimeException again) {
                OperationRunner.LOG.warnf("could not hand operation %s back either; its lease expires",
                        lease.operationId());
            }
        }
        throw tooLate(finished);
    }

    /** The same for a create, before it has journaled anything of its own. */
    void requireTimeLeft(Operation.Kind finished) {
        if (!timeLeft()) {
            throw tooLate(finished);
        }
    }

    private boolean timeLeft() {
        Duration left = Deadline.current().map(Deadline::remaining).orElse(null);
        return left == null || left.compareTo(config.aws().attemptTimeout().multipliedBy(2)) >= 0;
    }

    private static WebhookException tooLate(Operation.Kind finished) {
        return new WebhookException(WebhookException.Kind.DEADLINE_EXCEEDED, "this request finished an earlier "
                + finished.name().toLowerCase(java.util.Locale.ROOT) + " of this credential that was left unfinished, "
                + "and too little of its deadline is left for its own change; nothing of its own was started; retry now",
                Duration.ofSeconds(1), null);
    }
}
