package io.devportal.webhook.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast hash for a generated machine password: {@code sha256$<salt>$<digest>}, where the salt is 16
 * random bytes and the digest is SHA-256 of the salt followed by the password's UTF-8 bytes, both in
 * unpadded base64url. It is only as strong as the password is random: use it only with a password of at
 * least 128 random bits ({@link #generatePassword}: 256), never with one a person chose. It verifies in
 * microseconds, with a constant-time comparison, so a guess never costs more than a fast refusal.
 */
public final class SaltedSha256 {
    public static final String PREFIX = "sha256$";
    private static final Pattern FORMAT = Pattern.compile("sha256\\$([A-Za-z0-9_-]{22})\\$([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] salt;
    private final byte[] digest;

    private SaltedSha256(byte[] salt, byte[] digest) {
        this.salt = salt;
        this.digest = digest;
    }

    /** The hash, when the text is one ({@code sha256$} and 22 + 43 base64url characters), else empty. */
    public static Optional<SaltedSha256> parse(String encoded) {
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches()) {
            return Optional.empty();
        }
        Base64.Decoder d = Base64.getUrlDecoder();
        return Optional.of(new SaltedSha256(d.decode(m.group(1)), d.decode(m.group(2))));
    }

    /** A new password: 32 random bytes (256 bits), 43 base64url characters (no colon, nothing to quote). */
    public static String generatePassword() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return B64.encodeToString(raw);
    }

    /** The hash of a password with a new random salt. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + B64.encodeToString(salt) + "$" + B64.encodeToString(digest(salt, password));
    }

    /** Whether the password is the one hashed; the comparison takes the same time wherever it differs. */
    public boolean verify(String password) {
        return MessageDigest.isEqual(digest(salt, password), digest);
    }

    private static byte[] digest(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
