package io.devportal.webhook.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.devportal.webhook.api.auth.SaltedSha256;
import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The portal's Basic-auth accounts: the primary one ({@code webhook.username} with
 * {@code webhook.password} or {@code webhook.password-hash}) and any under {@code webhook.accounts},
 * so that a new password can be added before the old one is removed. Without any, the local
 * provider gets a generated password ({@link GeneratedPassword}); anything else refuses to start.
 * The admin CLI has no account at all.
 *
 * <p>A hash is either the fast {@code sha256$salt$digest} of a generated password ({@link SaltedSha256})
 * or bcrypt. {@link #fastMatch} compares SHA-256 digests (of plaintext passwords, and of bcrypt
 * passwords that verified before) with {@link MessageDigest#isEqual} and verifies every fast hash, for
 * every account, so timing does not tell which part was wrong. {@link #slowMatch} runs one bcrypt for
 * every bcrypt account whose password is not remembered yet, against that account's own hash,
 * <em>whatever the username</em>: the work for a wrong password does not depend on whether the username
 * exists, nor on how many accounts share it. A password over 72 UTF-8 bytes (bcrypt's limit) never
 * matches a bcrypt hash and runs none.</p>
 */
@ApplicationScoped
@Startup
public class Accounts {
    private static final Logger LOG = Logger.getLogger(Accounts.class);

    /** The label of the primary account ({@code webhook.username}) in the audit trail. */
    public static final String PRIMARY_LABEL = "default";
    /** bcrypt reads at most this many bytes of a password. */
    static final int BCRYPT_MAX_BYTES = 72;
    /** Below this cost a bcrypt hash is warned about ({@code htpasswd -B} defaults to 5). */
    static final int BCRYPT_MIN_COST = 10;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private static final class Account {
        final String label;
        final byte[] usernameDigest;
        final byte[] bcryptHash;
        final SaltedSha256 fastHash;
        volatile byte[] passwordDigest;

        Account(String label, String username, byte[] passwordDigest, byte[] bcryptHash, SaltedSha256 fastHash) {
            this.label = label;
            this.usernameDigest = sha256(username);
            this.passwordDigest = passwordDigest;
            this.bcryptHash = bcryptHash;
            this.fastHash = fastHash;
        }

        boolean slow() {
            return bcryptHash != null && passwordDigest == null;
        }
    }

    private final List<Account> accounts = new ArrayList<>();

    @Inject
    Accounts(WebhookConfig config) {
        this(config, RunMode.current());
    }

    Accounts(WebhookConfig config, RunMode mode) {
        if (mode == RunMode.CLI) {
            // the admin CLI serves no portal: it needs no account and never makes one
            return;
        }
        add(PRIMARY_LABEL, "webhook", config.username(), config.password(), config.passwordHash());
        for (Map.Entry<String, WebhookConfig.Account> e : config.accounts().entrySet()) {
            WebhookConfig.Account a = e.getValue();
            add(e.getKey(), "webhook.accounts." + e.getKey(), Optional.of(a.username()), a.password(), a.passwordHash());
        }
        if (accounts.isEmpty()) {
            String generated = GeneratedPassword.create(config, mode);
            accounts.add(new Account("generated", GeneratedPassword.USERNAME, sha256(generated), null, null));
        }
        weakHashes(config).forEach(LOG::warn);
    }

    private void add(String label, String property, Optional<String> username, Optional<String> password,
                     Optional<String> hash) {
        Optional<String> user = username.map(String::strip).filter(u -> !u.isEmpty());
        Optional<String> plain = password.filter(p -> !p.isEmpty());
        Optional<String> hashed = hash.map(String::strip).filter(h -> !h.isEmpty());
        if (user.isEmpty() && plain.isEmpty() && hashed.isEmpty()) {
            return;
        }
        if (user.isEmpty()) {
            throw new IllegalStateException(property + ".username is required when a password is set");
        }
        if (plain.isPresent() == hashed.isPresent()) {
            throw new IllegalStateException(property + ": set exactly one of password and password-hash");
        }
        SaltedSha256 fast = hashed.flatMap(SaltedSha256::parse).orElse(null);
        if (hashed.isPresent() && fast == null && !BCRYPT.matcher(hashed.get()).matches()) {
            throw new IllegalStateException(property + ".password-hash is neither a sha256$<salt>$<digest> hash "
                    + "(java -jar devportal-webhook.jar hash-password --generate) nor a bcrypt hash ($2b$12$...)");
        }
        byte[] bcrypt = fast == null ? hashed.map(h -> h.getBytes(StandardCharsets.UTF_8)).orElse(null) : null;
        accounts.add(new Account(label, user.get(), plain.map(Accounts::sha256).orElse(null), bcrypt, fast));
    }

    /** One warning per configured bcrypt hash below cost {@value #BCRYPT_MIN_COST} (start-up, check-config). */
    public static List<String> weakHashes(WebhookConfig config) {
        List<String> warnings = new ArrayList<>();
        weakHash("webhook.password-hash", config.passwordHash(), warnings);
        config.accounts().forEach((label, a) -> weakHash("webhook.accounts." + label + ".password-hash",
                a.passwordHash(), warnings));
        return warnings;
    }

    private static void weakHash(String property, Optional<String> hash, List<String> warnings) {
        Matcher m = BCRYPT.matcher(hash.map(String::strip).orElse(""));
        if (m.matches() && Integer.parseInt(m.group(1)) < BCRYPT_MIN_COST) {
            warnings.add(property + " is a bcrypt hash of cost " + Integer.parseInt(m.group(1)) + ", below "
                    + BCRYPT_MIN_COST + ": a stolen hash is cheap to crack; prefer a generated password with a "
                    + "sha256$ hash (hash-password --generate), or bcrypt cost 12");
        }
    }

    /** True when the pair matches a configured account, fast or slow (tests and the CLI-free paths). */
    boolean verify(String username, String password) {
        return match(username, password) != null;
    }

    /** {@link #fastMatch}, then {@link #slowMatch} when it found nothing and a slow hash is left. */
    String match(String username, String password) {
        String fast = fastMatch(username, password);
        return fast != null || !needsSlow() ? fast : slowMatch(username, password);
    }

    /**
     * The label of the account the pair matches among plaintext passwords, remembered bcrypt passwords and
     * fast hashes ({@value #PRIMARY_LABEL} for the primary one, the key under {@code webhook.accounts} for
     * the others), or null. Microseconds; the same work for every pair.
     */
    String fastMatch(String username, String password) {
        byte[] user = sha256(username);
        byte[] pass = sha256(password);
        Account matched = null;
        for (Account account : accounts) {
            byte[] known = account.passwordDigest;
            boolean passMatches = known != null && MessageDigest.isEqual(pass, known);
            passMatches |= account.fastHash != null && account.fastHash.verify(password);
            boolean both = MessageDigest.isEqual(user, account.usernameDigest) & passMatches;
            matched = both && matched == null ? account : matched;
        }
        return matched == null ? null : matched.label;
    }

    /** Whether a bcrypt account's password has not verified yet: only then can {@link #slowMatch} match. */
    boolean needsSlow() {
        for (Account account : accounts) {
            if (account.slow()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The label of the bcrypt account the pair matches, or null; one bcrypt per account not yet remembered,
     * whatever the username (see the class comment). Slow: never on an I/O thread ({@link SlowVerifications}).
     * A match is remembered, so the next call with it is a {@link #fastMatch}.
     */
    String slowMatch(String username, String password) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (secret.length > BCRYPT_MAX_BYTES) {
            return null;
        }
        byte[] user = sha256(username);
        Account matched = null;
        for (Account account : accounts) {
            if (!account.slow()) {
                continue;
            }
            boolean verified = bcrypt(secret, account.bcryptHash);
            boolean both = MessageDigest.isEqual(user, account.usernameDigest) & verified;
            matched = both && matched == null ? account : matched;
        }
        if (matched == null) {
            return null;
        }
        matched.passwordDigest = sha256(password);
        return matched.label;
    }

    private static boolean bcrypt(byte[] secret, byte[] hash) {
        try {
            return BCrypt.verifyer().verify(secret, hash).verified;
        } catch (RuntimeException e) {
            return false; // never an answer other than "wrong" for what a caller sent
        }
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
