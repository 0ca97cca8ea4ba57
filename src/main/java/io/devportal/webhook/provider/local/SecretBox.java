package io.devportal.webhook.provider.local;

import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-GCM encryption of the local provider's secrets. The key comes from
 * {@code WEBHOOK_LOCAL_ENCRYPTION_KEY} (base64, 16, 24 or 32 bytes); without it a 256-bit key is
 * generated once into {@code <data-dir>/local-encryption.key}, readable by its owner only.
 * Each secret is bound to its credential id as associated data, so ciphertexts cannot be swapped.
 */
@ApplicationScoped
class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    private static final String KEY_FILE = "local-encryption.key";
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
        Path file = Path.of(config.dataDir(), KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                try {
                    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(file);
                    }
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                    LOG.infof("generated the local encryption key file %s (owner-only)", file);
                } catch (FileAlreadyExistsException raced) {
                    // another instance wrote it first: use theirs
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create " + file, e);
        }
    }
}
