package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUserPoolClientsResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the webhook manages in AWS, as AWS has it now, for the admin CLI's reconcile: API keys
 * tagged {@code devportal-webhook:managed} (every page of GetApiKeys), and app clients whose name
 * carries the webhook's marker (see {@link ClientNames#name(String, String, String)}: up to 117 characters of Cognito's
 * alphabet, a space and 10 hex digits of the app's hash) and that allow only the
 * client-credentials flow. Nothing here reads a key value or a client secret into a result.
 */
@ApplicationScoped
class AwsInventory {
    /** The name {@link ClientNames#name(String, String, String)} gives every client the webhook creates. */
    static final Pattern CLIENT_NAME_MARKER = Pattern.compile("[\\w\\s+=,.@-]{1,117} [0-9a-f]{10}");

    @Inject
    AwsTargets targets;

    @Inject
    ApiKeys apiKeys;

    @Inject
    AppClients appClients;

    @Inject
    ClientMarks clientMarks;

    @Inject
    WebhookConfig config;

    @Inject
    AwsPlaces places;

    @Inject
    PlaceResolver where;

    /**
     * Every managed key (enabled or not) and every marked client of every target, without plans; a
     * user pool that two targets share is listed once.
     */
    List<ObservedResource> all() {
        List<ObservedResource> found = new ArrayList<>();
        java.util.Set<String> pools = new java.util.HashSet<>();
        for (AwsTarget t : targets.all()) {
            found.addAll(managedKeys(t));
            if (t.ownUserPool().isPresent() && pools.add(t.region() + "/" + t.ownUserPool().get())) {
                found.addAll(markedClients(t));
            }
        }
        return found;
    }

    /** API keys tagged devportal-webhook:managed=true, following every page. */
    List<ObservedResource> managedKeys(AwsTarget t) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys", AwsErrors.Missing.CONFIGURED,
                        () -> t.api(() -> t.apiGateway().getApiKeys(b -> b.limit(500).position(from).includeValues(false)))),
                        GetApiKeysResponse::items, GetApiKeysResponse::position)
                .stream()
                .filter(k -> k.tags() != null && "true".equals(k.tags().get(ApiKeys.TAG_MANAGED)))
                .map(k -> key(t, k))
                .toList();
    }

    /** App clients of the user pool that the webhook provably made ({@link ClientMarks#proves}). */
    List<ObservedResource> markedClients(AwsTarget t) {
        String pool = t.userPoolId();
        List<UserPoolClientDescription> named = Pages.all(from -> AwsErrors.call("cognito-idp:ListUserPoolClients",
                        "user pool " + pool, AwsErrors.Missing.CONFIGURED,
                        () -> t.clientRead(() -> t.cognito().listUserPoolClients(b -> b.userPoolId(pool).maxResults(60).nextToken(from)))),
                        ListUserPoolClientsResponse::userPoolClients, ListUserPoolClientsResponse::nextToken)
                .stream().filter(c -> c.clientName() != null && CLIENT_NAME_MARKER.matcher(c.clientName()).matches())
                .toList();
        List<ObservedResource> found = new ArrayList<>();
        for (UserPoolClientDescription description : named) {
            // only a client the webhook provably made ({@link ClientMarks}): reconcile may adopt or delete it
            describe(t, description.clientId())
                    .filter(clientMarks::proves)
                    .ifPresent(c -> found.add(client(t, pool, c)));
        }
        return found;
    }

    /**
     * One resource now, where it lives ({@link PlaceResolver#at}): a key with its usage plans, a
     * client with its scopes, each with its place; empty when gone. A resource recorded before
     * places is looked for in its target's configured place, and found missing there only once
     * that Region or user pool is proved to exist ({@link AwsPlaces}), else 503: reconcile reports it
     * as stale, and a retire of it answers 503 ({@link PlaceResolver#notFound}).
     */
    Optional<ObservedResource> observe(ResourceRef ref) {
        if (!ref.hasId()) {
            return Optional.empty();
        }
        AwsTarget t = where.at(ref);
        return switch (ref.type()) {
            case ApiKeys.TYPE -> observeKey(ref, t);
            case AppClients.TYPE -> {
                String pool = where.pool(ref, t);
                // a row before places: the configured pool's client, "gone" once that pool is proved
                yield ref.placeRecorded() ? recorded(ref).map(c -> client(t, pool, c))
                        : describe(t, ref.id()).map(c -> client(t, pool, c));
            }
            default -> throw new WebhookException(WebhookException.Kind.INTERNAL,
                    "resource type " + ref.type() + " belongs to another provider; was webhook.provider changed?");
        };
    }

    private Optional<ObservedResource> observeKey(ResourceRef ref, AwsTarget t) {
        String keyId = ref.id();
        GetApiKeyResponse key;
        try {
            key = t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId).includeValue(false)));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                if (!ref.placeRecorded()) {
                    // a row before places: "gone" from the configured place only where the Region is proved
                    places.proveApiGatewayRegion(t);
                }
                return Optional.empty();
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
        List<String> plans;
        try {
            plans = apiKeys.attachedPlans(t, keyId).stream().sorted().toList();
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new ObservedResource(ApiKeys.TYPE, key.id(), key.name(),
                key.tags() == null ? null : key.tags().get(ApiKeys.TAG_OPERATION), Boolean.TRUE.equals(key.enabled()),
                plans, List.of(), t.name(), where.of(t)));
    }

    private Optional<UserPoolClientType> recorded(ResourceRef client) {
        try {
            return Optional.of(appClients.describe(client));
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<UserPoolClientType> describe(AwsTarget t, String clientId) {
        try {
            return Optional.of(appClients.describe(t, clientId));
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private ObservedResource key(AwsTarget t, ApiKey key) {
        return new ObservedResource(ApiKeys.TYPE, key.id(), key.name(), key.tags().get(ApiKeys.TAG_OPERATION),
                Boolean.TRUE.equals(key.enabled()), List.of(), List.of(), t.name(), where.of(t));
    }

    /** A client's id, name and scopes, and where it lives; its secret is left where it is. */
    private ObservedResource client(AwsTarget t, String pool, UserPoolClientType client) {
        return new ObservedResource(AppClients.TYPE, client.clientId(), client.clientName(), null, true, List.of(),
                client.allowedOAuthScopes(), t.name(), where.ofClient(t, pool));
    }
}
