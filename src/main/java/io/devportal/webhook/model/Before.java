package io.devportal.webhook.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * A typed write-ahead entry: the state a resource had before an operation changed it, journaled
 * (durably) before the change, so that the operation's undo, on the request's failure path or in
 * the sweeper, puts exactly this back. Stored as structured JSON inside the journaled
 * {@link ResourceRef} ({@code "before": {"entry": "key/1", ...}}); the {@code entry} name carries
 * the type and its version, so a later version can add a type or a version without a reader
 * mistaking one for another.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "entry")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Before.Key.class, name = "key/1"),
        @JsonSubTypes.Type(value = Before.Client.class, name = "client/1")
})
public sealed interface Before {

    /**
     * An API key before an update: its usage plans, name and customerId.
     *
     * @param name       null when unknown (journal rows of the first format held only the plans)
     * @param customerId null when unknown or absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Key(List<String> plans, String name, String customerId) implements Before {
        public Key {
            plans = plans == null ? List.of() : List.copyOf(plans);
        }
    }

    /**
     * An app client before an update: what an update may change (its name, scopes and access-token
     * validity in minutes).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Client(String name, List<String> scopes, Integer accessTokenMinutes) implements Before {
        public Client {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }
}
