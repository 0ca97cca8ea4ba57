package io.devportal.webhook.provider.aws;

import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The budgets of an account and Region that every instance and the CLI share through the ledger
 * ({@link SharedBudget}, GCRA): API Gateway's control plane ({@code webhook.aws.budget-*}, a share of
 * AWS's 10 a second, burst 40) and Cognito's user-pool-client reads and writes
 * ({@code webhook.aws.cognito-budget-*}, a share of AWS's about 15 a second each). Before an
 * operation calls AWS it reserves all the calls it knows it will make in one conditional write, then
 * waits its turn. Revokes may use the whole burst; creates and updates leave the revoke reserve to
 * revokes. When the turn would come later than the request's deadline allows (the deadline less the
 * time its own calls take), the request is refused at once, 429 with a Retry-After of when it would
 * fit, before anything is made in AWS.
 *
 * <p>It is also the one place for a call AWS throttles anyway ({@link #call}): the SDK does not retry
 * throttling ({@link NoThrottleRetries}); the budget is pushed back for every instance, and the call
 * waits its turn in it like any other and is made again, or the request is refused as above.
 */
@ApplicationScoped
class ControlPlaneBudget {
    /** How long an operation without a deadline (the CLI, the sweeper) waits its turn at most. */
    static final Duration NO_DEADLINE_WAIT = Duration.ofSeconds(30);

    /** A shared budget of an account and Region: which of AWS's limits it is a share of. */
    enum Bucket {
        API_GATEWAY("apigateway", "API Gateway"),
        /** DescribeUserPoolClient, ListUserPoolClients (and, to be safe, the pool's other reads). */
        COGNITO_CLIENT_READ("cognito-client-read", "Cognito client read"),
        /** Create/Update/DeleteUserPoolClient. */
        COGNITO_CLIENT_WRITE("cognito-client-write", "Cognito client write");

        final String key;
        final String label;

        Bucket(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

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
        reserve(t, Bucket.API_GATEWAY, calls, false);
    }

    /** A revoke's API Gateway calls: it may use the whole burst. */
    void reserveRevoke(AwsTarget t, int calls) {
        reserve(t, Bucket.API_GATEWAY, calls, true);
    }

    /** Takes the calls from the shared budget, waiting for them; a side effect, none while priming. */
    @SideEffect
    void reserve(AwsTarget t, Bucket bucket, int calls, boolean revoke) {
        SharedBudget.Rate rate = rate(bucket, revoke);
        if (calls <= 0 || rate == null) {
            return;
        }
        Duration maxWait = maxWait();
        SharedBudget.Grant grant = budget.reserve(key(t, bucket), calls, rate, clock.instant(), maxWait);
        if (!grant.granted()) {
            throw refused(grant.delay().minus(maxWait), "the AWS " + bucket.label + " budget of target "
                    + t.label() + " is spoken for (" + rate(bucket, true).perSecond() + " calls a second shared by "
                    + "every instance)");
        }
        sleep(grant.delay());
    }

    /**
     * Makes a call of {@code bucket} (already reserved), and makes it again when AWS throttles it
     * anyway: the budget is pushed back for every instance ({@link #throttled}), then the call waits
     * its turn like any other; at most {@code webhook.aws.max-attempts} attempts in all. A turn that
     * does not fit the deadline is a 429 with a Retry-After of when it would; after the last attempt
     * the throttling itself is thrown (AwsErrors maps it to the same 429).
     */
    <T> T call(AwsTarget t, Bucket bucket, boolean revoke, Supplier<T> call) {
        int attempts = Math.max(1, config.aws().maxAttempts());
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!AwsErrors.isThrottled(e) || attempt >= attempts) {
                    throw e;
                }
                throttled(t, bucket, revoke);
            }
        }
    }

    /**
     * AWS throttled a call of {@code bucket}: its budget is pushed back for everyone (empty, and
     * {@code webhook.aws.throttle-backoff} on top), then one call is reserved again and waited for.
     * Without a shared budget the call waits the backoff alone. A side effect (nothing while priming).
     */
    @SideEffect
    void throttled(AwsTarget t, Bucket bucket, boolean revoke) {
        Duration backoff = config.aws().throttleBackoff();
        SharedBudget.Rate full = rate(bucket, true);
        if (full != null) {
            budget.pushBack(key(t, bucket), SharedBudget.pushedBack(full, clock.instant(), backoff));
            reserve(t, bucket, 1, revoke);
            return;
        }
        Duration maxWait = maxWait();
        if (backoff.compareTo(maxWait) > 0) {
            throw refused(backoff.minus(maxWait), "AWS is throttling the webhook's " + bucket.label + " calls in target "
                    + t.label());
        }
        sleep(backoff);
    }

    /** The bucket's share (a revoke's with the whole burst); null when that budget is off. */
    private SharedBudget.Rate rate(Bucket bucket, boolean revoke) {
        WebhookConfig.Aws aws = config.aws();
        boolean api = bucket == Bucket.API_GATEWAY;
        double perSecond = api ? aws.budgetPerSecond() : aws.cognitoBudgetPerSecond();
        if (perSecond <= 0) {
            return null;
        }
        double burst = api ? aws.budgetBurst() : aws.cognitoBudgetBurst();
        double reserve = api ? aws.budgetRevokeReserve() : aws.cognitoBudgetRevokeReserve();
        return new SharedBudget.Rate(perSecond, Math.max(1, revoke ? burst : burst - reserve));
    }

    private String key(AwsTarget t, Bucket bucket) {
        return bucket.key + ":" + reads.place(t);
    }

    /** How long a turn may be waited for: the deadline less two rounds of attempts for the calls themselves. */
    private Duration maxWait() {
        Duration maxWait = Deadline.current()
                .map(d -> d.remaining().minus(config.aws().attemptTimeout().multipliedBy(2)))
                .orElse(NO_DEADLINE_WAIT);
        return maxWait.isNegative() ? Duration.ZERO : maxWait;
    }

    private static WebhookException refused(Duration retryAfter, String why) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new WebhookException(WebhookException.Kind.THROTTLED, why + "; retry after "
                + seconds + " s", Duration.ofSeconds(seconds), null);
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
