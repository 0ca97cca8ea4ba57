package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.CredentialTypes;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.CredentialProvider;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The provider chosen by {@code webhook.provider}. Resolved at start-up, together with the
 * credential-type settings, so that a wrong value stops the service instead of failing requests.
 */
@ApplicationScoped
@Startup
class ProviderSelection {
    private final CredentialProvider provider;

    @Inject
    ProviderSelection(@Any Instance<CredentialProvider> providers, WebhookConfig config) {
        if (!providers.isResolvable()) {
            throw new IllegalStateException("webhook.provider=" + config.provider()
                    + " names no provider; use local or aws");
        }
        this.provider = providers.get();
        CredentialTypes.validate(config);
    }

    CredentialProvider provider() {
        return provider;
    }
}
