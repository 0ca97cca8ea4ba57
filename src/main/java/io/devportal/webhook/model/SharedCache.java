package io.devportal.webhook.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A small key-value store kept in the ledger and shared by every instance and the CLI, for answers
 * that AWS changes rarely (a usage plan, a user pool's resource server): reading it costs none of
 * the account's control-plane budget. It holds no secret. The ledger implements it
 * ({@code ledger.jdbc}, {@code ledger.dynamodb}); the provider reads and writes it and decides how
 * old an entry may be. Values are opaque text (JSON) to the store.
 */
public interface SharedCache {

    /** A value and when it was read from AWS. */
    record Entry(String value, Instant storedAt) {
    }

    /** The entry under {@code key}, if any, whatever its age. */
    Optional<Entry> get(String key);

    /** Stores (or replaces) the entry under {@code key}. */
    void put(String key, String value, Instant storedAt);

    /** Forgets the entry under {@code key}; nothing when there is none. */
    void remove(String key);
}
