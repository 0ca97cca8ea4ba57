package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One cheap read per service and target (GetUsagePlans with limit 1; DescribeUserPool when a pool
 * is configured; another target's failures are named {@code apigateway@<target>}), reused for {@code webhook.aws.health-cache}. Concurrent callers wait for the one
 * check in flight, so a burst of health calls costs one AWS call per service.
 */
@ApplicationScoped
class AwsHealth {
    private static final Logger LOG = Logger.getLogger(AwsHealth.class);

    @Inject
    AwsTargets targets;

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    private ProviderHealth last;
    private Instant checkedAt = Instant.MIN;

    synchronized ProviderHealth check() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(checkedAt.plus(config.aws().healthCache()))) {
            return last;
        }
        Map<String, String> failures = new LinkedHashMap<>();
        // every target: its API Gateway, and its user pool when it has one (the default one's is webhook.cognito)
        for (AwsTarget t : targets.all()) {
            String suffix = t.isDefault() ? "" : "@" + t.name();
            probe("apigateway" + suffix, "apigateway:GET", "usage plans",
                    () -> t.apiGateway().getUsagePlans(b -> b.limit(1)))
                    .ifPresent(reason -> failures.put("apigateway" + suffix, reason));
            t.ownUserPool().ifPresent(pool -> probe("cognito-idp" + suffix, "cognito-idp:DescribeUserPool",
                    "user pool " + pool, () -> t.cognito().describeUserPool(b -> b.userPoolId(pool)))
                    .ifPresent(reason -> failures.put("cognito-idp" + suffix, reason)));
        }
        last = new ProviderHealth(failures);
        checkedAt = clock.instant();
        return last;
    }

    /** Empty when the call worked; otherwise the reason, in words an operator can act on. */
    private Optional<String> probe(String service, String permission, String what, Runnable call) {
        try {
            call.run();
            return Optional.empty();
        } catch (SdkException e) {
            WebhookException mapped = AwsErrors.map(e, permission, what, AwsErrors.Missing.CONFIGURED);
            String reason = switch (mapped.kind()) {
                case UPSTREAM_DENIED -> "access denied: " + (service.contains("@")
                        ? "the role of target " + service.substring(service.indexOf('@') + 1) + " lacks " + permission
                        : "the webhook's role lacks " + permission);
                case UNAVAILABLE -> AwsErrors.isNotFound(e) ? what + " not found" : "unreachable";
                case THROTTLED -> "throttled";
                default -> "failing (" + mapped.getMessage() + ")";
            };
            LOG.warnf("health: %s %s: %s", service, reason, e.getMessage());
            return Optional.of(reason);
        }
    }
}
