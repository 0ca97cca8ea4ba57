package io.devportal.webhook.model;

import java.util.List;

/**
 * One API of an app: its id, the usage plans a key must join, the OAuth scopes a client must be
 * granted (empty when none were configured; a provider may then derive them), and the credential
 * type this API is protected by (null in rows written before it was recorded: taken as a client's).
 */
public record ApiAccess(String apiId, List<String> usagePlans, List<String> scopes, CredentialKind kind) {
    public ApiAccess {
        usagePlans = List.copyOf(usagePlans);
        scopes = List.copyOf(scopes);
    }

    /** Every usage plan of these APIs, each once, in request order. */
    public static List<String> usagePlansOf(List<ApiAccess> apis) {
        return apis.stream().flatMap(a -> a.usagePlans().stream()).distinct().toList();
    }

    /** Whether a client's scopes must cover this API: every API not protected by an API key alone. */
    public boolean needsScopes() {
        return kind != CredentialKind.API_KEY;
    }
}
