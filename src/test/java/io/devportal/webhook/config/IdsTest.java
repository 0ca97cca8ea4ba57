package io.devportal.webhook.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class IdsTest {

    @Test
    void idsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.uuid();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void reseedReplacesTheGeneratorSoRestoredCopiesDoNotShareItsState() {
        Object before = Ids.generator();
        Ids.reseed();
        assertNotSame(before, Ids.generator());
    }
}
