package io.devportal.webhook.provider.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK retry strategy of every AWS client the webhook makes: the SDK's standard one (5xx faults,
 * timeouts, broken connections, with its backoff and retry quota), except that a call AWS throttled
 * is not retried by the SDK. A throttled call waits for the shared budget instead, and is made again
 * by {@link ControlPlaneBudget#call} or refused with an honest Retry-After: the SDK's own backoff
 * knows neither the other instances nor the request's deadline. The client's defaults are not
 * applied on top ({@link #useClientDefaults}), which would rebuild the standard strategy without
 * this rule.
 */
final class NoThrottleRetries implements RetryStrategy {
    private final RetryStrategy standard;

    private NoThrottleRetries(RetryStrategy standard) {
        this.standard = standard;
    }

    /** At most {@code maxAttempts} attempts of a call that fails with a fault, one of a throttled call. */
    static RetryStrategy of(int maxAttempts) {
        return new NoThrottleRetries(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build());
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        return standard.acquireInitialToken(request);
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        if (request.failure() instanceof SdkException e && AwsErrors.isThrottled(e)) {
            throw new TokenAcquisitionFailedException("throttled: waits for the shared budget, not retried by the SDK",
                    request.token(), request.failure());
        }
        return standard.refreshRetryToken(request);
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return standard.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return standard.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        return standard.toBuilder();
    }

    @Override
    public void close() {
        standard.close();
    }
}
