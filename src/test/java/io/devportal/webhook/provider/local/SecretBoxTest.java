package io.devportal.webhook.provider.local;

import io.devportal.webhook.support.ConfigStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretBoxTest {

    static SecretBox box(Path dir, String key) {
        Map<String, Object> local = key == null ? Map.of() : Map.of("encryptionKey", key);
        return new SecretBox(ConfigStub.webhook(Map.of("dataDir", dir.toString(),
                "local", ConfigStub.of(io.devportal.webhook.config.WebhookConfig.Local.class, local))));
    }

    @Test
    void withoutAKeyOneIsGeneratedIntoAnOwnerOnlyFileAndReused(@TempDir Path dir) throws Exception {
        SecretBox first = box(dir, null);
        Path file = dir.resolve("local-encryption.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String sealed = first.encrypt("id1", "the-secret");
        assertEquals("the-secret", box(dir, null).decrypt("id1", sealed), "a restart reads the same key");
    }

    @Test
    void ciphertextsAreRandomisedBoundToTheirIdAndUselessUnderAnotherKey(@TempDir Path dir) {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SecretBox box = box(dir, key);
        String a = box.encrypt("id1", "the-secret");
        assertNotEquals(a, box.encrypt("id1", "the-secret"));
        assertFalse(a.contains("the-secret"));
        assertThrows(IllegalStateException.class, () -> box.decrypt("id2", a));
        String other = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThrows(IllegalStateException.class, () -> box(dir, other).decrypt("id1", a));
    }

    @Test
    void aMalformedKeyStopsTheService(@TempDir Path dir) {
        assertEquals("webhook.local.encryption-key is not valid base64",
                assertThrows(IllegalStateException.class, () -> box(dir, "%%%")).getMessage());
        assertEquals("webhook.local.encryption-key must decode to 16, 24 or 32 bytes",
                assertThrows(IllegalStateException.class, () -> box(dir, "AAAA")).getMessage());
    }
}
