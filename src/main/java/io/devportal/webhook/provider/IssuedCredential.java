package io.devportal.webhook.provider;

import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.model.CredentialKind;

import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a provider issued. Secrets live only in this object on their way to the response; they are
 * never logged ({@link #toString()} masks them) and never written to the ledger.
 *
 * @param custom extra values for the portal's {@code customCredentials} (token URL, scopes, hybrid key), in order
 * @param resources everything created, for the ledger and for teardown
 * @param scopes the OAuth scopes granted (client credentials only)
 */
public record IssuedCredential(
        CredentialKind kind,
        String apiKeyId,
        String apiKey,
        String clientId,
        String clientSecret,
        List<String> scopes,
        Map<String, String> custom,
        List<ResourceRef> resources) {

    public IssuedCredential {
        scopes = List.copyOf(scopes);
        custom = Collections.unmodifiableMap(new LinkedHashMap<>(custom));
        resources = List.copyOf(resources);
    }

    /** The id the portal will send back on update and revoke. */
    public String externalId() {
        return kind == CredentialKind.API_KEY ? apiKeyId : clientId;
    }

    @Override
    public String toString() {
        return "IssuedCredential[kind=" + kind + ", apiKeyId=" + apiKeyId + ", clientId=" + clientId
                + ", scopes=" + scopes + ", resources=" + resources + ", secrets=***]";
    }
}
