package io.devportal.webhook.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One journal entry: a thing a provider created (or is about to create) for a credential, or the
 * state a resource had before an operation changed it. It is journaled before and after the
 * provider acts, so that a teardown can find it again: by {@code id} when known, or by
 * {@code name} plus the {@code operationId} marker when a crash came between the create call and
 * its journal entry.
 *
 * @param type   a provider-specific type, such as {@code apigateway:api-key}
 * @param target the name of the configured target (see {@code webhook.targets}) it was made through,
 *               {@link #DEFAULT_TARGET} for the service's own settings. Records written before
 *               targets existed carry none and read as the default target. A name only: where the
 *               resource lives is {@code place}.
 * @param place  where it lives (account, Region, user pool); null in rows written before places were
 *               recorded: for those, "not found" in the configured place never counts as gone
 * @param before for an entry of the state before a change, that state (typed); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceRef(String type, String id, String name, String operationId, String target, Place place,
                          Before before) {
    /** The target made of the service's own settings (AWS_REGION, webhook.cognito.*). */
    public static final String DEFAULT_TARGET = "default";

    public ResourceRef {
        target = target == null || target.isEmpty() ? DEFAULT_TARGET : target;
    }

    /** A resource of a target whose place is not recorded (the local provider, tests, old rows). */
    public ResourceRef(String type, String id, String name, String operationId, String target) {
        this(type, id, name, operationId, target, null, null);
    }

    /** A resource of the default target. */
    public ResourceRef(String type, String id, String name, String operationId) {
        this(type, id, name, operationId, DEFAULT_TARGET, null, null);
    }

    public ResourceRef withId(String newId) {
        return new ResourceRef(type, newId, name, operationId, target, place, before);
    }

    public ResourceRef withPlace(Place where) {
        return new ResourceRef(type, id, name, operationId, target, where, before);
    }

    public boolean hasId() {
        return id != null && !id.isEmpty();
    }

    /** Whether the place it lives in was recorded with it. */
    public boolean placeRecorded() {
        return place != null && place.region() != null;
    }
}
