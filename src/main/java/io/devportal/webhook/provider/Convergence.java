package io.devportal.webhook.provider;

import java.util.List;

/** The state of a credential after {@link CredentialProvider#converge}. */
public record Convergence(List<ResourceRef> resources, List<String> scopes) {
    public Convergence {
        resources = List.copyOf(resources);
        scopes = List.copyOf(scopes);
    }
}
