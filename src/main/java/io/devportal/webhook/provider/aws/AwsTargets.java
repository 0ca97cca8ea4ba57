package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS of every target ({@link Targets}), each built once on first use. The default target is
 * the service's own clients (the {@link ApiGatewayClient} and {@link CognitoIdentityProviderClient}
 * beans), so that a configuration without targets runs exactly as before.
 */
@ApplicationScoped
class AwsTargets {

    @Inject
    Targets targets;

    @Inject
    AwsClients clients;

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    ControlPlaneBudget budget;

    @Inject
    CognitoIdentityProviderClient cognito;

    private final Map<String, AwsTarget> built = new ConcurrentHashMap<>();

    /** The target of that name; a 500-class failure for a name no longer configured (a journal entry of an old setup). */
    AwsTarget get(String name) {
        AwsTarget target = built.get(name);
        return target != null ? target : built.computeIfAbsent(name, this::build);
    }

    AwsTarget of(ResourceRef ref) {
        return get(ref.target());
    }

    AwsTarget defaultTarget() {
        return get(ResourceRef.DEFAULT_TARGET);
    }

    /** Every target, the default first. */
    List<AwsTarget> all() {
        return targets.all().stream().map(t -> get(t.name())).toList();
    }

    /** The target an API lives in. */
    AwsTarget forApi(String apiId) {
        return get(targets.targetOf(apiId));
    }

    /**
     * The APIs grouped by the target they live in, in request order: the first group is the target
     * of the first API.
     */
    Map<AwsTarget, List<ApiAccess>> byTarget(List<ApiAccess> apis) {
        Map<AwsTarget, List<ApiAccess>> groups = new LinkedHashMap<>();
        for (ApiAccess api : apis) {
            groups.computeIfAbsent(forApi(api.apiId()), t -> new ArrayList<>()).add(api);
        }
        return groups;
    }

    /**
     * The target whose user pool serves an API's client credentials: the API's target when it has a
     * pool of its own, else the default target (whose pool an authorizer anywhere can reference).
     */
    AwsTarget poolFor(String apiId) {
        AwsTarget target = forApi(apiId);
        return target.ownUserPool().isPresent() ? target : defaultTarget();
    }

    /**
     * The one target whose pool serves every API that needs scopes; a 422 naming the APIs and the
     * pools when they resolve to two (a client lives in one pool). With no such API: the default target.
     */
    AwsTarget poolFor(List<ApiAccess> apis) {
        Map<AwsTarget, List<String>> pools = new LinkedHashMap<>();
        apis.stream().filter(ApiAccess::needsScopes)
                .forEach(api -> pools.computeIfAbsent(poolFor(api.apiId()), t -> new ArrayList<>()).add(api.apiId()));
        if (pools.size() > 1) {
            List<String> parts = new ArrayList<>();
            pools.forEach((t, ids) -> parts.add(String.join(", ", ids) + " in user pool "
                    + t.ownUserPool().orElse("(none)") + " of target " + t.label()));
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: the app's client-credentials "
                    + "APIs need two user pools (" + String.join("; ", parts) + "); an app client lives in one user "
                    + "pool: map these APIs to targets that share one pool");
        }
        return pools.isEmpty() ? defaultTarget() : pools.keySet().iterator().next();
    }

    private AwsTarget build(String name) {
        Targets.Target config;
        try {
            config = targets.get(name);
        } catch (IllegalArgumentException e) {
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "a journaled resource lives in target "
                    + name + ", which is no longer configured (webhook.targets): configure it again; nothing was "
                    + "changed there", AwsErrors.UNAVAILABLE_RETRY_AFTER, null);
        }
        if (config.isDefault()) {
            return new AwsTarget(config, apiGateway, clients.apiGatewayOnce(), cognito, clients.cognitoOnce(),
                    clients.keyWrites(), null, budget);
        }
        return clients.target(config, budget);
    }
}
