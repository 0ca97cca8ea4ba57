package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Managed API keys found by what AWS holds rather than by the ledger: by id (a revoke of an id the
 * ledger lost), with a hybrid's client, and what their tags say for {@code reconcile --adopt}.
 */
@ApplicationScoped
class KeyLookup {

    @Inject
    ApiKeys apiKeys;

    @Inject
    AwsPlaces places;

    @Inject
    PlaceResolver where;

    /**
     * The key, when it exists and carries the tag devportal-webhook:managed: made by this webhook.
     * A key without it is never touched.
     */
    Optional<ResourceRef> findManaged(AwsTarget t, String keyId) {
        GetApiKeyResponse key;
        try {
            key = t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                places.proveApiGatewayRegion(t);
                return Optional.empty();
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
        if (!"true".equals(key.tags().get(ApiKeys.TAG_MANAGED))) {
            return Optional.empty();
        }
        return Optional.of(new ResourceRef(ApiKeys.TYPE, keyId, key.name(), key.tags().get(ApiKeys.TAG_OPERATION), t.name())
                .withPlace(where.of(t)));
    }

    /** The ledger id a managed key was issued under (its {@code devportal-webhook:credential} tag), or null. */
    String credentialOf(AwsTarget t, String keyId) {
        return tag(t, keyId, ApiKeys.TAG_CREDENTIAL);
    }

    /**
     * What tells a key of several targets apart: the id of the portal's key that it is a twin of
     * (null on the portal's own, and on keys made before the tag existed), and when it was made.
     */
    record Twin(ResourceRef key, String twinOf, java.time.Instant created) {
    }

    /** A key that is gone sorts last and counts as nobody's twin. */
    Twin twin(AwsTarget t, ResourceRef key) {
        GetApiKeyResponse found = get(t, key.id());
        String twinOf = found == null || found.tags() == null ? null : found.tags().get(ApiKeys.TAG_TWIN_OF);
        return new Twin(key, twinOf,
                found == null || found.createdDate() == null ? java.time.Instant.MAX : found.createdDate());
    }

    private String tag(AwsTarget t, String keyId, String tag) {
        GetApiKeyResponse found = get(t, keyId);
        return found == null || found.tags() == null ? null : found.tags().get(tag);
    }

    /** The key, or null when it is gone; any other failure mapped as every AWS call's is. */
    private static GetApiKeyResponse get(AwsTarget t, String keyId) {
        try {
            return t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return null;
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
    }

    /** The managed, enabled keys of the target that pass {@code which}: every page of GetApiKeys, without values. */
    private List<ResourceRef> managedEnabled(AwsTarget t,
                                                    java.util.function.Predicate<software.amazon.awssdk.services.apigateway.model.ApiKey> which) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys", AwsErrors.Missing.CONFIGURED,
                        () -> t.api(() -> t.apiGateway().getApiKeys(b -> b.limit(500).position(from).includeValues(false)))),
                        GetApiKeysResponse::items, GetApiKeysResponse::position)
                .stream()
                .filter(k -> k.tags() != null && "true".equals(k.tags().get(ApiKeys.TAG_MANAGED))
                        && Boolean.TRUE.equals(k.enabled()) && which.test(k))
                .map(k -> new ResourceRef(ApiKeys.TYPE, k.id(), k.name(), k.tags().get(ApiKeys.TAG_OPERATION), t.name())
                        .withPlace(where.of(t)))
                .toList();
    }

    /** The managed, enabled keys in the target issued under that ledger id (every page of GetApiKeys). */
    List<ResourceRef> findManagedOfCredential(AwsTarget t, String credentialId) {
        return managedEnabled(t, k -> credentialId.equals(k.tags().get(ApiKeys.TAG_CREDENTIAL)));
    }

    /**
     * The managed, enabled keys that belong with a managed app client (a hybrid's key): made by the
     * same operation when the client's name carries its operation marker ({@link ClientNames#name(String, String, String)}),
     * else (a client named before that marker existed) the keys of the same app, by the hash of
     * their {@code devportal-webhook:app} tag. Reads every page of GetApiKeys, without values.
     *
     * @param appHash       the 10 hex digits at the end of the client's name
     * @param operationHash the client's operation marker (8 hex digits), or null
     */
    List<ResourceRef> findManagedOfClient(AwsTarget t, String appHash, String operationHash) {
        return managedEnabled(t, k -> operationHash != null
                        ? k.tags().get(ApiKeys.TAG_OPERATION) != null
                                && operationHash.equals(ClientNames.operationHash(k.tags().get(ApiKeys.TAG_OPERATION)))
                        : k.tags().get(ApiKeys.TAG_APP) != null
                                && appHash.equals(ClientNames.appHash(k.tags().get(ApiKeys.TAG_APP))));
    }

    /**
     * What a managed key says about its credential, for {@code reconcile --adopt}: the ledger id and
     * the exact app id from its tags, the app's name from its description (as it was at create),
     * the developer from its customerId (kept current by updates), and its usage plans now.
     */
    CredentialProvider.Marks marks(AwsTarget t, String keyId) {
        GetApiKeyResponse key = apiKeys.provenMissing(t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                AwsErrors.Missing.CREDENTIAL, () -> t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)))));
        Map<String, String> tags = key.tags() == null ? Map.of() : key.tags();
        String appName = key.description() != null && key.description().startsWith(ApiKeys.DESCRIPTION)
                ? key.description().substring(ApiKeys.DESCRIPTION.length()) : key.name();
        String developer = key.customerId() != null ? key.customerId() : tags.get(ApiKeys.TAG_DEVELOPER);
        return new CredentialProvider.Marks(tags.get(ApiKeys.TAG_CREDENTIAL), KeyTags.appIdOf(tags),
                appName, developer, List.copyOf(new TreeSet<>(apiKeys.attachedPlans(t, keyId))), List.of());
    }
}
