package io.devportal.webhook.provider;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to issue or converge to.
 *
 * @param kind      the credential type returned to the portal
 * @param withApiKey for {@code CLIENT_CREDENTIALS}: also issue an API key for the usage plans (hybrid)
 * @param appId     the app identity (slug, or name and developer), stable across calls
 * @param operationId the journal row this work belongs to; providers mark what they create with it
 * @param credentialId the ledger's credential id (known before anything is created), or null; the AWS
 *                  provider tags a new key with it, so that {@code reconcile --adopt} keeps it after a restore
 */
public record CredentialSpec(
        CredentialKind kind,
        boolean withApiKey,
        String appId,
        String appName,
        String developer,
        List<ApiAccess> apis,
        String operationId,
        String credentialId) {

    public CredentialSpec {
        apis = List.copyOf(apis);
    }

    /** A spec without the ledger's credential id (an update, or a caller that does not pass it). */
    public CredentialSpec(CredentialKind kind, boolean withApiKey, String appId, String appName, String developer,
                          List<ApiAccess> apis, String operationId) {
        this(kind, withApiKey, appId, appName, developer, apis, operationId, null);
    }

    /** Every usage plan of every API, deduplicated, in request order. */
    public List<String> usagePlans() {
        return ApiAccess.usagePlansOf(apis);
    }

    /** Every configured scope of every API, deduplicated, in request order. */
    public List<String> configuredScopes() {
        Set<String> scopes = new LinkedHashSet<>();
        apis.forEach(a -> scopes.addAll(a.scopes()));
        return List.copyOf(scopes);
    }

    public boolean needsApiKey() {
        return kind == CredentialKind.API_KEY || withApiKey;
    }

    public boolean needsClient() {
        return kind == CredentialKind.CLIENT_CREDENTIALS;
    }
}
