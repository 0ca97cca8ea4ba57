package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.CredentialTypes;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which credential an app gets, since the portal does not say: the default type, per-API
 * overrides, and the hybrid case (a client plus an API key) when the APIs need both.
 */
@ApplicationScoped
class CredentialTypeResolver {

    /** The decision: the type returned, and whether an API key rides along in customCredentials. */
    record Decision(CredentialKind kind, boolean withApiKey) {
    }

    @Inject
    WebhookConfig config;

    Decision decide(List<RequestedApi> apis) {
        Set<CredentialKind> kinds = new LinkedHashSet<>();
        for (RequestedApi api : apis) {
            kinds.add(typeOf(api.id()));
        }
        if (kinds.isEmpty()) {
            kinds.add(CredentialTypes.defaultType(config));
        }
        boolean anyPlans = apis.stream().anyMatch(a -> !a.usagePlans().isEmpty());
        if (kinds.size() > 1) {
            if (!config.hybridEnabled()) {
                throw new WebhookException(WebhookException.Kind.UNPROCESSABLE,
                        "apis: the requested APIs need different credential types (" + describe(apis)
                                + ") and hybrid credentials are disabled (webhook.hybrid-enabled=false); "
                                + "request the APIs in separate apps or enable hybrid credentials");
            }
            return new Decision(CredentialKind.CLIENT_CREDENTIALS, true);
        }
        CredentialKind only = kinds.iterator().next();
        if (only == CredentialKind.CLIENT_CREDENTIALS) {
            return new Decision(only, anyPlans && config.hybridEnabled());
        }
        return new Decision(only, false);
    }

    /**
     * A 422 when an update's APIs need a part the credential lacks: a client-credentials API on an
     * API key, or an API-key API on a client without a key. The type is fixed at create: the update
     * would answer 204 and grant nothing for those APIs. APIs that need a subset of its parts pass.
     */
    void requireParts(List<RequestedApi> apis, CredentialKind kind, boolean hybrid) {
        boolean hasClient = kind == CredentialKind.CLIENT_CREDENTIALS;
        boolean hasKey = kind == CredentialKind.API_KEY || hybrid;
        List<String> needClient = new ArrayList<>();
        List<String> needKey = new ArrayList<>();
        for (RequestedApi api : apis) {
            CredentialKind needs = typeOf(api.id());
            if (needs == CredentialKind.CLIENT_CREDENTIALS && !hasClient) {
                needClient.add(api.id());
            } else if (needs == CredentialKind.API_KEY && !hasKey) {
                needKey.add(api.id());
            }
        }
        if (needClient.isEmpty() && needKey.isEmpty()) {
            return;
        }
        String has = hasClient ? "an OAuth client without an API key" : "an API key without an OAuth client";
        List<String> missing = new ArrayList<>();
        if (!needClient.isEmpty()) {
            missing.add(String.join(", ", needClient) + (needClient.size() == 1 ? " needs" : " need")
                    + " an OAuth client (client credentials)");
        }
        if (!needKey.isEmpty()) {
            missing.add(String.join(", ", needKey) + (needKey.size() == 1 ? " needs" : " need") + " an API key");
        }
        throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: " + String.join("; ", missing)
                + ", which this credential lacks (it is " + has + "); the credential type is fixed when it is "
                + "created: revoke it and create it again with these APIs");
    }

    /** The request's APIs with their configured scopes; scopes without a resource server get the API id. */
    List<ApiAccess> access(List<RequestedApi> apis) {
        List<ApiAccess> result = new ArrayList<>();
        for (RequestedApi api : apis) {
            List<String> scopes = new ArrayList<>();
            WebhookConfig.ApiSettings settings = config.apis().get(api.id());
            if (settings != null && settings.scopes().isPresent()) {
                for (String scope : settings.scopes().get()) {
                    String s = scope.trim();
                    if (!s.isEmpty()) {
                        scopes.add(s.contains("/") ? s : api.id() + "/" + s);
                    }
                }
            }
            result.add(new ApiAccess(api.id(), api.usagePlans(), scopes, typeOf(api.id())));
        }
        return result;
    }

    private CredentialKind typeOf(String apiId) {
        return CredentialTypes.of(config, apiId);
    }

    private String describe(List<RequestedApi> apis) {
        List<String> parts = new ArrayList<>();
        for (RequestedApi api : apis) {
            parts.add(api.id() + " needs " + typeOf(api.id()));
        }
        return String.join(", ", parts);
    }
}
