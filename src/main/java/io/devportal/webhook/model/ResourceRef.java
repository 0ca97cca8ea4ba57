package io.devportal.webhook.model;

/**
 * One thing a provider created (or is about to create) for a credential. It is journaled before
 * and after the provider acts, so that a teardown can find it again: by {@code id} when known, or
 * by {@code name} plus the {@code operationId} marker when a crash came between the create call and
 * its journal entry.
 *
 * @param type   a provider-specific type, such as {@code apigateway:api-key}
 * @param target where it lives: the name of a configured target (an account and Region, see
 *               {@code webhook.targets}), {@link #DEFAULT_TARGET} for today's settings. Records written
 *               before targets existed carry none and read as the default target.
 */
public record ResourceRef(String type, String id, String name, String operationId, String target) {
    /** The target made of the service's own settings (AWS_REGION, webhook.cognito.*). */
    public static final String DEFAULT_TARGET = "default";

    public ResourceRef {
        target = target == null || target.isEmpty() ? DEFAULT_TARGET : target;
    }

    /** A resource of the default target. */
    public ResourceRef(String type, String id, String name, String operationId) {
        this(type, id, name, operationId, DEFAULT_TARGET);
    }

    public ResourceRef withId(String newId) {
        return new ResourceRef(type, newId, name, operationId, target);
    }

    public boolean hasId() {
        return id != null && !id.isEmpty();
    }
}
