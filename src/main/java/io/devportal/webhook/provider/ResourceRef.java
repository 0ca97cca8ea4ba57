package io.devportal.webhook.provider;

/**
 * One thing a provider created (or is about to create) for a credential. It is journaled before
 * and after the provider acts, so that a teardown can find it again: by {@code id} when known, or
 * by {@code name} plus the {@code operationId} marker when a crash came between the create call and
 * its journal entry.
 *
 * @param type a provider-specific type, such as {@code apigateway:api-key}
 */
public record ResourceRef(String type, String id, String name, String operationId) {

    public ResourceRef withId(String newId) {
        return new ResourceRef(type, newId, name, operationId);
    }

    public boolean hasId() {
        return id != null && !id.isEmpty();
    }
}
