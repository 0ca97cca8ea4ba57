package io.devportal.webhook.provider.aws;

import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proof that the place a "not found" came from is the right place, before that "not found" is
 * taken as "already gone" (no silent 204 on a wrong user pool or Region):
 * <ul>
 *   <li>a user pool: DescribeUserPool of it succeeds in the client's Region;</li>
 *   <li>API Gateway's Region: GetUsagePlans (limit 1) succeeds <em>and returns a plan</em>. Every key
 *   this webhook issues is attached to at least one usage plan of its Region when it is created
 *   (create refuses a plan that does not exist), so a Region without a single usage plan can never
 *   have held one of its keys: it is the wrong Region (or the wrong account). GetAccount or an empty
 *   GetUsagePlans would succeed in any Region and prove nothing.</li>
 * </ul>
 * Otherwise a 503 that names the misconfiguration. Only success is cached, for {@link #POSITIVE}
 * (short: a pool deleted or a Region changed is seen within seconds); a failure is never cached.
 */
@ApplicationScoped
class AwsPlaces {
    static final Duration POSITIVE = Duration.ofSeconds(30);
    private static final String API_GATEWAY = "apigateway";

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    CognitoIdentityProviderClient cognito;

    @Inject
    Clock clock;

    private final Map<String, Instant> provenUntil = new ConcurrentHashMap<>();

    /** Throws 503 unless user pool {@code pool} exists in the Cognito client's Region. */
    void proveUserPool(String pool) {
        proveUserPool(cognito, pool);
    }

    void proveUserPool(CognitoIdentityProviderClient client, String pool) {
        proveUserPool("default", client, pool);
    }

    /** Throws 503 unless user pool {@code pool} exists in the target's account and Region. */
    void proveUserPool(AwsTarget target, String pool) {
        proveUserPool(target.name(), target.cognito(), pool);
    }

    private void proveUserPool(String target, CognitoIdentityProviderClient client, String pool) {
        String region = region(client.serviceClientConfiguration().region());
        String key = "cognito:" + target + ":" + region + ":" + pool;
        if (cached(key)) {
            return;
        }
        try {
            client.describeUserPool(b -> b.userPoolId(pool));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e) || "InvalidParameterException".equals(AwsErrors.code(e))) {
                throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "user pool " + pool
                        + " does not exist in Region " + region
                        + ("default".equals(target) ? "" : " (target " + target + ")") + ": check webhook.cognito.user-pool-id and the "
                        + "Region; nothing was removed", AwsErrors.UNAVAILABLE_RETRY_AFTER, e);
            }
            throw AwsErrors.map(e, "cognito-idp:DescribeUserPool", "user pool " + pool, AwsErrors.Missing.CONFIGURED);
        }
        proven(key);
    }

    /** Throws 503 unless API Gateway's Region (of the webhook's client) holds at least one usage plan. */
    void proveApiGatewayRegion() {
        proveApiGatewayRegion(apiGateway);
    }

    void proveApiGatewayRegion(ApiGatewayClient client) {
        proveApiGatewayRegion("default", client);
    }

    /** Throws 503 unless API Gateway of the target's account and Region holds at least one usage plan. */
    void proveApiGatewayRegion(AwsTarget target) {
        proveApiGatewayRegion(target.name(), target.apiGateway());
    }

    private void proveApiGatewayRegion(String target, ApiGatewayClient client) {
        String region = region(client.serviceClientConfiguration().region());
        String key = API_GATEWAY + ":" + target + ":" + region;
        if (cached(key)) {
            return;
        }
        boolean any = AwsErrors.call("apigateway:GET", "usage plans", AwsErrors.Missing.CONFIGURED,
                () -> client.getUsagePlans(b -> b.limit(1))).items().size() > 0;
        if (!any) {
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "API Gateway in Region " + region
                    + ("default".equals(target) ? "" : " (target " + target + ")")
                    + " has no usage plan, so no API key of this webhook can have been there: is the Region (or the "
                    + "account) wrong? Nothing was removed", AwsErrors.UNAVAILABLE_RETRY_AFTER, null);
        }
        proven(key);
    }

    /** Forgets every proof (tests). */
    void forget() {
        provenUntil.clear();
    }

    /** Keeps a proof: a side effect, since a priming answer (in the process) proves nothing. */
    @SideEffect
    void proven(String key) {
        provenUntil.put(key, clock.instant().plus(POSITIVE));
    }

    private boolean cached(String key) {
        Instant until = provenUntil.get(key);
        return until != null && clock.instant().isBefore(until);
    }

    private static String region(software.amazon.awssdk.regions.Region region) {
        return region == null ? "(unset)" : region.id();
    }
}
