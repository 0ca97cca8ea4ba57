package io.devportal.webhook.config;

import io.devportal.webhook.model.CredentialKind;

import java.util.Locale;

/**
 * The credential type each API needs: {@code webhook.apis."<apiId>".credential-type}, else
 * {@code webhook.credential-type}. One reading for the request path and for check-config alike.
 */
public final class CredentialTypes {
    private CredentialTypes() {
    }

    public static CredentialKind defaultType(WebhookConfig config) {
        return parse(config.credentialType(), "webhook.credential-type");
    }

    public static CredentialKind of(WebhookConfig config, String apiId) {
        WebhookConfig.ApiSettings settings = config.apis().get(apiId);
        if (settings != null && settings.credentialType().isPresent()) {
            return parse(settings.credentialType().get(), "webhook.apis.\"" + apiId + "\".credential-type");
        }
        return defaultType(config);
    }

    /** Reads every configured type, so that a wrong value stops the service at start. */
    public static void validate(WebhookConfig config) {
        defaultType(config);
        config.apis().keySet().forEach(apiId -> of(config, apiId));
    }

    private static CredentialKind parse(String value, String property) {
        try {
            return CredentialKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " must be API_KEY or CLIENT_CREDENTIALS");
        }
    }
}
