package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth scopes of an app's APIs in the user pool of its client's target: configured ones
 * ({@code webhook.apis."<apiId>".scopes}), or every scope of the resource server named after the
 * API; each checked to exist before Cognito would refuse it.
 */
@ApplicationScoped
class ClientScopes {

    @Inject
    AwsClients clients;

    @Inject
    WebhookConfig config;

    @Inject
    RareReads reads;

    @Inject
    ControlPlaneBudget budget;

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() { };

    /**
     * The scope names of the pool's resource server {@code identifier}; empty when the pool has no
     * such server. Read through {@link RareReads}: a pool's resource servers change rarely.
     */
    private Optional<List<String>> scopesOf(AwsTarget t, String pool, String identifier) {
        String key = "cognito:resource-server:" + reads.place(t) + ":" + pool + ":" + identifier;
        return reads.get(key, () -> {
            budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, 1, false);  // a miss: one more read
            try {
                return Optional.of(Json.write(t.clientRead(() -> t.cognito().describeResourceServer(b -> b.userPoolId(pool)
                        .identifier(identifier))).resourceServer().scopes().stream()
                        .map(ResourceServerScopeType::scopeName).toList()));
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, "cognito-idp:DescribeResourceServer", "resource server " + identifier,
                            AwsErrors.Missing.REQUESTED);
                }
                return Optional.empty();
            }
        }).map(json -> Json.read(json, NAMES));
    }

    /**
     * The scopes of the apps' APIs: configured ones, or every scope of the resource server named
     * after the API. An API with neither is a 422 that says what to configure.
     */
    List<String> of(AwsTarget t, List<ApiAccess> apis) {
        String pool = t.userPoolId();
        List<ApiAccess> protectedByScopes = apis.stream().filter(ApiAccess::needsScopes).toList();
        if (protectedByScopes.isEmpty()) {
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: a client-credentials app needs at "
                    + "least one API protected by OAuth scopes; none of " + apis.stream().map(ApiAccess::apiId).toList()
                    + " is");
        }
        List<List<String>> perApi = Parallel.map(clients.executor(), config.aws().maxConcurrency(), protectedByScopes,
                api -> {
            if (!api.scopes().isEmpty()) {
                return api.scopes();
            }
            List<String> found = scopesOf(t, pool, api.apiId()).orElse(List.of());
            if (found.isEmpty()) {
                throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: API " + api.apiId()
                        + " has no OAuth scopes: set webhook.apis.\"" + api.apiId() + "\".scopes, or create a "
                        + "resource server with identifier " + api.apiId() + " and scopes in user pool " + pool);
            }
            return found.stream().map(s -> api.apiId() + "/" + s).toList();
        });
        Set<String> all = new LinkedHashSet<>();
        perApi.forEach(all::addAll);
        if (all.size() > AppClients.MAX_SCOPES) {
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: the app's APIs need " + all.size()
                    + " OAuth scopes; a Cognito app client can have at most " + AppClients.MAX_SCOPES);
        }
        refuseUndefinedScopes(t, pool, protectedByScopes.stream().flatMap(a -> a.scopes().stream()).distinct().toList());
        return List.copyOf(all);
    }

    /**
     * Cognito refuses a scope no resource server of the pool defines (ScopeDoesNotExistException or
     * InvalidParameterException): refuse it first, naming it. One DescribeResourceServer per server.
     */
    private void refuseUndefinedScopes(AwsTarget t, String pool, List<String> configured) {
        Map<String, List<String>> byServer = new LinkedHashMap<>();
        for (String scope : configured) {
            int slash = scope.lastIndexOf('/');
            String server = slash < 0 ? "" : scope.substring(0, slash);
            byServer.computeIfAbsent(server, k -> new ArrayList<>()).add(scope.substring(slash + 1));
        }
        List<String> servers = List.copyOf(byServer.keySet());
        List<String> problems = Parallel.map(clients.executor(), config.aws().maxConcurrency(), servers, server -> {
            Set<String> defined = new HashSet<>();
            boolean exists = !server.isEmpty();
            if (exists) {
                Optional<List<String>> scopes = scopesOf(t, pool, server);
                scopes.ifPresent(defined::addAll);
                exists = scopes.isPresent();
            }
            if (!exists) {
                return "OAuth scope " + server + "/" + byServer.get(server).get(0) + " is not defined: user pool "
                        + pool + " has no resource server " + server;
            }
            List<String> undefined = byServer.get(server).stream().filter(n -> !defined.contains(n)).toList();
            return undefined.isEmpty() ? null : "OAuth scope " + server + "/" + undefined.get(0)
                    + " is not defined: resource server " + server + " has no scope " + undefined.get(0);
        });
        problems.stream().filter(p -> p != null).findFirst().ifPresent(problem -> {
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: " + problem
                    + " (check webhook.apis.\"<apiId>\".scopes)");
        });
    }

}
