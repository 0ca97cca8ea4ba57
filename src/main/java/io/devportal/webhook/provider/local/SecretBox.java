package io.devportal.webhook.provider.local;

import io.devportal.webhook.config.DataDirectory;
import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-GCM encryption of the local provider's secrets. The key comes from
 * {@code WEBHOOK_LOCAL_ENCRYPTION_KEY} (base64, 16, 24 or 32 bytes); without it a 256-bit key is
 * generated once into {@code <data-dir>/local-encryption.key}, readable by its owner only, written
 * atomically (never half a file); a key file that is empty, damaged or unreadable stops the start.
 * Each secret is bound to its credential id as associated data, so ciphertexts cannot be swapped.
 */
@ApplicationScoped
class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    static final String KEY_FILE = "local-encryption.key";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    @Inject
    SecretBox(WebhookConfig config) {
        this.key = new SecretKeySpec(loadKey(config), "AES");
    }

    String encrypt(String credentialId, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(credentialId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("local secret could not be encrypted", e);
        }
    }

    String decrypt(String credentialId, String stored) {
        try {
            byte[] in = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(credentialId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("local secret could not be decrypted: wrong encryption key?", e);
        }
    }

    /**
     * With the local provider the key is loaded at start-up, so that a missing, empty or damaged
     * key file stops the service with a message instead of failing every create.
     */
    static void loadAtStart(@Observes StartupEvent started, WebhookConfig config, Instance<SecretBox> box) {
        if (LocalCredentialProvider.NAME.equals(config.provider())) {
            box.get().ready();
        }
    }

    /** Nothing: calling it creates the bean, which loads the key. */
    void ready() {
    }

    private byte[] loadKey(WebhookConfig config) {
        if (config.local().encryptionKey().isPresent()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(config.local().encryptionKey().get().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("webhook.local.encryption-key is not valid base64");
            }
            if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
                throw new IllegalStateException("webhook.local.encryption-key must decode to 16, 24 or 32 bytes");
            }
            return raw;
        }
        Path dir = Path.of(config.dataDir());
        Path file = dir.resolve(KEY_FILE);
        try {
            DataDirectory.ensurePrivate(dir);
            removeAbandonedTemporaries(dir);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                generate(dir, file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the local encryption key file " + file + " (" + e
                    + "): make " + dir + " writable by this user, or set WEBHOOK_LOCAL_ENCRYPTION_KEY", e);
        }
        return readKeyFile(file);
    }

    /**
     * A fresh key, written so that the file is either absent or complete: into a temporary file
     * (owner-only), forced to disk, then linked to its name in one step, which fails if another
     * instance made the key first (theirs is used). Where hard links are not supported, an atomic
     * rename does the same. The directory entry is forced to disk too.
     */
    private void generate(Path dir, Path file) throws IOException {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        Path temporary = DataDirectory.posix()
                ? Files.createTempFile(dir, KEY_FILE + ".", TEMPORARY_SUFFIX, PosixFilePermissions.asFileAttribute(
                        DataDirectory.FILE))
                : Files.createTempFile(dir, KEY_FILE + ".", TEMPORARY_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(Base64.getEncoder().encode(fresh)));
                out.force(true);
            }
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException raced) {
                return; // another instance wrote it first: use theirs
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            forceDirectory(dir);
            LOG.infof("generated the local encryption key file %s (owner-only)", file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Reads and checks a key file; anything but a base64 key of 16, 24 or 32 bytes stops the start. */
    static byte[] readKeyFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw badKeyFile(file, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (text.isEmpty()) {
            throw badKeyFile(file, "is empty");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw badKeyFile(file, "is not base64");
        }
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw badKeyFile(file, "holds " + raw.length + " bytes, not a 16, 24 or 32-byte AES key");
        }
        return raw;
    }

    private static IllegalStateException badKeyFile(Path file, String problem) {
        return new IllegalStateException("the local encryption key file " + file + " " + problem
                + ". It encrypts the secrets of the local provider: restore it from a backup, or set "
                + "WEBHOOK_LOCAL_ENCRYPTION_KEY. Only if no credential was ever issued with it (a first start "
                + "that was interrupted), delete the file and start again to generate a new key.");
    }

    /** Temporary key files left by a crash in the middle of {@link #generate}: never used, removed. */
    private static void removeAbandonedTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, KEY_FILE + ".*" + TEMPORARY_SUFFIX)) {
            for (Path p : left) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // some platforms cannot open a directory; the file itself is forced already
        }
    }
}
