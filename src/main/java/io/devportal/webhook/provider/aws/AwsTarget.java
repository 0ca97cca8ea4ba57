package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.provider.WebhookException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One target's AWS: its clients (signed with the target's credentials, in its Region), its pace of
 * API key writes (API Gateway allows 5 a second per account and Region), and its user pool.
 *
 * @param apiGatewayOnce and {@code cognitoOnce}: clients that never retry, for creates ({@link IdempotentCreate})
 * @param budget         the shared budgets its calls are reserved from and wait for when AWS throttles them
 */
record AwsTarget(Targets.Target config, ApiGatewayClient apiGateway, ApiGatewayClient apiGatewayOnce,
                 CognitoIdentityProviderClient cognito, CognitoIdentityProviderClient cognitoOnce,
                 RateLimiter keyWrites, AwsCredentialsProvider roleCredentials, ControlPlaneBudget budget) {

    /** An API Gateway call, made again through the shared budget when AWS throttles it ({@link ControlPlaneBudget#call}). */
    <T> T api(Supplier<T> call) {
        return budget.call(this, ControlPlaneBudget.Bucket.API_GATEWAY, false, call);
    }

    /** A revoke's API Gateway call: as {@link #api}, within the whole burst. */
    <T> T apiRevoke(Supplier<T> call) {
        return budget.call(this, ControlPlaneBudget.Bucket.API_GATEWAY, true, call);
    }

    /** A Cognito client read (and the pool's other reads), as {@link #api}. */
    <T> T clientRead(Supplier<T> call) {
        return budget.call(this, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, false, call);
    }

    /** A Cognito client write, as {@link #api}. */
    <T> T clientWrite(Supplier<T> call) {
        return budget.call(this, ControlPlaneBudget.Bucket.COGNITO_CLIENT_WRITE, false, call);
    }

    /** A revoke's Cognito client write, within the whole burst. */
    <T> T clientRevoke(Supplier<T> call) {
        return budget.call(this, ControlPlaneBudget.Bucket.COGNITO_CLIENT_WRITE, true, call);
    }

    /**
     * Assumes the target's role now (a cached session is reused), before anything is journaled
     * in it: a role that cannot be assumed is refused while nothing can have been made there, so
     * the rollback has nothing to look for with the credentials it lacks. Nothing without a role.
     */
    void requireCredentials() {
        if (roleCredentials == null) {
            return;
        }
        try {
            roleCredentials.resolveCredentials();
        } catch (SdkException e) {
            throw AwsErrors.map(e, "sts:AssumeRole", "role " + config.roleArn().orElse("") + " of target " + label(),
                    AwsErrors.Missing.CONFIGURED);
        }
    }

    String name() {
        return config.name();
    }

    boolean isDefault() {
        return config.isDefault();
    }

    /** The Region its clients call. */
    String region() {
        var region = apiGateway.serviceClientConfiguration().region();
        return region == null ? "(unset)" : region.id();
    }

    /** The target's own user pool, if it has one. */
    Optional<String> ownUserPool() {
        return config.userPoolId().map(String::strip).filter(p -> !p.isEmpty());
    }

    /** The user pool its clients are made in; 503 when none is configured. */
    String userPoolId() {
        return ownUserPool().orElseThrow(() -> new WebhookException(WebhookException.Kind.UNAVAILABLE,
                "client credentials are not configured" + (isDefault() ? ": set webhook.cognito.user-pool-id"
                        : " in target " + name() + ": set webhook.targets.\"" + name() + "\".user-pool-id"),
                AwsErrors.UNAVAILABLE_RETRY_AFTER, null));
    }

    /** "target (Region)" for messages. */
    String label() {
        return name() + " (" + region() + ")";
    }

    @Override
    public String toString() {
        return "AwsTarget[" + label() + "]";
    }
}
