package io.devportal.webhook.provider.aws;

import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one API Gateway budget of an account and Region, shared by every instance and the CLI
 * through the ledger ({@link SharedBudget}, GCRA): before an operation calls API Gateway it reserves
 * all the calls it will make in one conditional write, then waits its turn. Its share is
 * {@code webhook.aws.budget-per-second} (burst {@code budget-burst}) of AWS's 10 a second (burst 40),
 * so that the account's other tools keep theirs. Revokes may use the whole burst; creates and
 * updates leave {@code budget-revoke-reserve} calls of it to revokes, so a deleted app's key is not
 * left live behind queued approvals. When the turn would come later than the request's deadline
 * allows (the deadline less the time its own calls take), the request is refused at once, 429 with
 * a Retry-After of when it would fit, before anything is made in AWS.
 */
@ApplicationScoped
class ControlPlaneBudget {
    /** How long an operation without a deadline (the CLI, the sweeper) waits its turn at most. */
    static final Duration NO_DEADLINE_WAIT = Duration.ofSeconds(30);

    @Inject
    SharedBudget budget;

    @Inject
    WebhookConfig config;

    @Inject
    RareReads reads;

    @Inject
    Clock clock;

    /** A create or an update: {@code calls} API Gateway calls, within the share less the revokes' reserve. */
    void reserve(AwsTarget t, int calls) {
        reserve(t, calls, false);
    }

    /** A revoke's calls: it may use the whole burst. */
    void reserveRevoke(AwsTarget t, int calls) {
        reserve(t, calls, true);
    }

    /** Takes the calls from the shared budget, waiting for them; a side effect, none while priming. */
    @SideEffect
    void reserve(AwsTarget t, int calls, boolean revoke) {
        WebhookConfig.Aws aws = config.aws();
        if (calls <= 0 || aws.budgetPerSecond() <= 0) {
            return;
        }
        double burst = Math.max(1, revoke ? aws.budgetBurst() : aws.budgetBurst() - aws.budgetRevokeReserve());
        SharedBudget.Rate rate = new SharedBudget.Rate(aws.budgetPerSecond(), burst);
        Optional<Deadline> deadline = Deadline.current();
        // the calls themselves must fit in the deadline too: two rounds of attempts
        Duration maxWait = deadline.map(d -> d.remaining().minus(aws.attemptTimeout().multipliedBy(2)))
                .orElse(NO_DEADLINE_WAIT);
        if (maxWait.isNegative()) {
            maxWait = Duration.ZERO;
        }
        SharedBudget.Grant grant = budget.reserve("apigateway:" + reads.place(t), calls, rate, clock.instant(), maxWait);
        if (!grant.granted()) {
            Duration retryAfter = grant.delay().minus(maxWait);
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            throw new WebhookException(WebhookException.Kind.THROTTLED, "the AWS API Gateway budget of target "
                    + t.label() + " is spoken for (" + aws.budgetPerSecond() + " calls a second shared by every "
                    + "instance); nothing was changed; retry after " + seconds + " s",
                    Duration.ofSeconds(seconds), null);
        }
        sleep(grant.delay());
    }

    private static void sleep(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "interrupted while waiting for the AWS budget",
                    AwsErrors.UNAVAILABLE_RETRY_AFTER, e);
        }
    }
}
