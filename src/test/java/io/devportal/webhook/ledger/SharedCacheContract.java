package io.devportal.webhook.ledger;

import io.devportal.webhook.model.SharedCache;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every ledger's {@link SharedCache} promises: what is put is got back with its time, replaced in place, removed. */
public abstract class SharedCacheContract {

    @Inject
    protected SharedCache cache;

    static String key() {
        return "test:" + UUID.randomUUID();
    }

    @Test
    void aValueIsReadBackWithTheTimeItWasStored() {
        String key = key();
        Instant at = Instant.parse("2026-12-07T10:15:30.123Z");
        cache.put(key, "{\"stages\":[\"api1:prod\"],\"tags\":{\"tier\":\"gold\"}}", at);
        SharedCache.Entry entry = cache.get(key).orElseThrow();
        assertEquals("{\"stages\":[\"api1:prod\"],\"tags\":{\"tier\":\"gold\"}}", entry.value());
        assertEquals(at.truncatedTo(ChronoUnit.MILLIS), entry.storedAt().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aSecondPutReplacesTheFirst() {
        String key = key();
        cache.put(key, "old", Instant.parse("2026-12-07T10:00:00Z"));
        cache.put(key, "new", Instant.parse("2026-12-07T11:00:00Z"));
        assertEquals(new SharedCache.Entry("new", Instant.parse("2026-12-07T11:00:00Z")), cache.get(key).orElseThrow());
    }

    @Test
    void aRemovedOrUnknownKeyHasNoEntry() {
        String key = key();
        assertEquals(Optional.empty(), cache.get(key));
        cache.remove(key);  // nothing to remove: no failure
        cache.put(key, "v", Instant.now());
        cache.remove(key);
        assertEquals(Optional.empty(), cache.get(key));
    }
}
