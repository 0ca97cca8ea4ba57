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
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    private static final String WHAT_TO_DO = ". It encrypts the secrets of the local provider: restore it from a "
            + "backup, or set WEBHOOK_LOCAL_ENCRYPTION_KEY. Only if no credential was ever issued with it (a first "
            + "start that was interrupted), delete the file and start again to generate a new key.";

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
    void aGeneratedKeyIsWholeInAnOwnerOnlyDirectoryAndNoTemporaryFileIsLeft(@TempDir Path parent) throws Exception {
        Path dir = parent.resolve("data");
        box(dir, null);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(dir.resolve("local-encryption.key"))).length);
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("local-encryption.key"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aTemporaryKeyFileAbandonedByACrashIsRemovedAndNeverUsed(@TempDir Path dir) throws Exception {
        Path abandoned = dir.resolve("local-encryption.key.4711.tmp");
        Files.writeString(abandoned, "");
        box(dir, null);
        assertFalse(Files.exists(abandoned));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(dir.resolve("local-encryption.key"))).length);
    }

    @Test
    void anExistingKeyFileIsUsedNotReplaced(@TempDir Path dir) throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        Files.writeString(dir.resolve("local-encryption.key"), key + "\n");
        String sealed = box(dir, null).encrypt("id1", "the-secret");
        assertEquals(key + "\n", Files.readString(dir.resolve("local-encryption.key")));
        assertEquals("the-secret", box(dir, key).decrypt("id1", sealed), "the file's key was used");
    }

    @Test
    void anEmptyKeyFileStopsTheStartNamingTheFileAndWhatToDo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-encryption.key");
        Files.writeString(file, "");
        assertEquals("the local encryption key file " + file + " is empty" + WHAT_TO_DO,
                assertThrows(IllegalStateException.class, () -> box(dir, null)).getMessage());
        assertEquals("", Files.readString(file), "the file is left for the operator to look at");
    }

    @Test
    void aKeyFileOfTheWrongLengthStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-encryption.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[10]));
        assertEquals("the local encryption key file " + file + " holds 10 bytes, not a 16, 24 or 32-byte AES key"
                + WHAT_TO_DO, assertThrows(IllegalStateException.class, () -> box(dir, null)).getMessage());
    }

    @Test
    void aKeyFileThatIsNotBase64StopsTheStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-encryption.key");
        Files.writeString(file, "%%% not a key %%%");
        assertEquals("the local encryption key file " + file + " is not base64" + WHAT_TO_DO,
                assertThrows(IllegalStateException.class, () -> box(dir, null)).getMessage());
    }

    @Test
    void anUnreadableKeyFileStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-encryption.key");
        Files.createDirectory(file); // unreadable as a file, also for root
        String message = assertThrows(IllegalStateException.class, () -> box(dir, null)).getMessage();
        assertTrue(message.startsWith("the local encryption key file " + file + " cannot be read (IOException: "),
                message);
        assertTrue(message.endsWith(WHAT_TO_DO), message);
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
