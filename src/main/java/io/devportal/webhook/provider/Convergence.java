package io.devportal.webhook.provider;

import io.devportal.webhook.model.ResourceRef;

import java.util.List;

/**
 * The state of a credential after {@link CredentialProvider#converge}.
 *
 * @param resources what the credential consists of now (the ledger records it)
 * @param retired   what the change left out and made harmless (an API key of a target the app no
 *                  longer uses, in no usage plan now): deleted once the change is confirmed, under
 *                  the credential's lease again and only if the credential does not list it by then
 *                  (a later change may take it back); a key whose delete fails stays in no plan, for
 *                  {@code reconcile --delete-orphans} (or a change that takes its target back)
 */
public record Convergence(List<ResourceRef> resources, List<String> scopes, List<ResourceRef> retired) {
    public Convergence {
        resources = List.copyOf(resources);
        scopes = List.copyOf(scopes);
        retired = retired == null ? List.of() : List.copyOf(retired);
    }

    public Convergence(List<ResourceRef> resources, List<String> scopes) {
        this(resources, scopes, List.of());
    }
}
