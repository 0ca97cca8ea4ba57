package io.devportal.webhook.provider;

import java.util.Map;

/** The result of a provider's dependency check: each failing service with its reason. */
public record ProviderHealth(Map<String, String> failures) {
    public static final ProviderHealth UP = new ProviderHealth(Map.of());

    public ProviderHealth {
        failures = Map.copyOf(failures);
    }

    public boolean isUp() {
        return failures.isEmpty();
    }
}
