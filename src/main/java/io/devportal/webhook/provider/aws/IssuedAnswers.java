package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.IssuedCredential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the portal is answered for an issued or fetched credential ({@link AwsCredentialProvider}):
 * the key (its id, value and, when it lives in several targets, every target's key in
 * {@code customCredentials.apiKeys}), or the client with its token URL, grant and scopes, and the
 * key beside it for a hybrid.
 */
@ApplicationScoped
class IssuedAnswers {

    @Inject
    AppClients appClients;

    @Inject
    AwsTargets targets;

    @Inject
    PlaceResolver where;

    /** The keys, the first target's first: it is the id the portal holds. */
    IssuedCredential apiKey(List<ResourceRef> keys, String value) {
        Map<String, String> custom = new LinkedHashMap<>();
        everyTarget(keys).ifPresent(listing -> custom.put("apiKeys", listing));
        return new IssuedCredential(CredentialKind.API_KEY, keys.get(0).id(), value, null, null, List.of(), custom,
                keys);
    }

    IssuedCredential client(ResourceRef client, String secret, List<String> scopes, List<ResourceRef> keys,
                            String keyValue) {
        Map<String, String> custom = new LinkedHashMap<>();
        appClients.tokenUrl(where.at(client)).ifPresent(url -> custom.put("tokenUrl", url));
        custom.put("grantType", "client_credentials");
        custom.put("scopes", String.join(" ", scopes));
        List<ResourceRef> resources = new ArrayList<>();
        resources.add(client);
        if (!keys.isEmpty()) {
            custom.put("apiKeyId", keys.get(0).id());
            custom.put("apiKey", keyValue);
            everyTarget(keys).ifPresent(listing -> custom.put("apiKeys", listing));
            resources.addAll(keys);
        }
        return new IssuedCredential(CredentialKind.CLIENT_CREDENTIALS, keys.isEmpty() ? null : keys.get(0).id(),
                keyValue, client.id(), secret, scopes, custom, resources);
    }

    /**
     * "target:Region:keyId" of every key, space-separated, when the key lives in more than one target
     * (one value everywhere); empty for a key in one target, whose answer stays as it always was.
     */
    private Optional<String> everyTarget(List<ResourceRef> keys) {
        if (keys.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", keys.stream()
                .map(k -> k.target() + ":" + (k.placeRecorded() ? k.place().region() : targets.of(k).region()) + ":"
                        + k.id()).toList()));
    }

}
