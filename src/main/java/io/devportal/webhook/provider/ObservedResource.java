package io.devportal.webhook.provider;

import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;

import java.util.List;

/**
 * A resource as its provider sees it now, for the admin CLI's reconcile. Ids, names and
 * settings only: never a secret.
 *
 * @param type        the provider's resource type, as in {@link ResourceRef#type()}
 * @param operationId the journal operation that made it, when the provider marks it (API key tags), else null
 * @param live        false for a key that exists but is disabled (revoked with revoke-mode DISABLE)
 * @param usagePlans  an API key's usage plans (empty for a client, and in {@link CredentialProvider#inventory()})
 * @param scopes      a client's OAuth scopes (empty for an API key)
 * @param target      the target it lives in ({@link ResourceRef#target()})
 * @param place       where it lives (account, Region, user pool), as the provider saw it; null when the
 *                    provider records none (the local provider)
 */
public record ObservedResource(String type, String id, String name, String operationId, boolean live,
                               List<String> usagePlans, List<String> scopes, String target, Place place) {

    public ObservedResource {
        usagePlans = usagePlans == null ? List.of() : List.copyOf(usagePlans);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        target = target == null || target.isEmpty() ? ResourceRef.DEFAULT_TARGET : target;
    }

    /** A resource whose place is not known. */
    public ObservedResource(String type, String id, String name, String operationId, boolean live,
                            List<String> usagePlans, List<String> scopes, String target) {
        this(type, id, name, operationId, live, usagePlans, scopes, target, null);
    }

    /** A resource of the default target. */
    public ObservedResource(String type, String id, String name, String operationId, boolean live,
                            List<String> usagePlans, List<String> scopes) {
        this(type, id, name, operationId, live, usagePlans, scopes, ResourceRef.DEFAULT_TARGET);
    }

    /** A reference a teardown can act on. */
    public ResourceRef ref() {
        return new ResourceRef(type, id, name, operationId, target).withPlace(place);
    }
}
