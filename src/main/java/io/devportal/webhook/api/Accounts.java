package io.devportal.webhook.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The portal's Basic-auth accounts: the primary one ({@code webhook.username} with
 * {@code webhook.password} or {@code webhook.password-hash}) and any under {@code webhook.accounts},
 * so that a new password can be added before the old one is removed. Without any, the local
 * provider gets a generated password ({@link GeneratedPassword}); anything else refuses to start.
 * The admin CLI has no account at all.
 *
 * <p>Every check compares SHA-256 digests with {@link MessageDigest#isEqual} against every
 * account, so timing does not tell which part was wrong. A bcrypt hash is verified once per
 * distinct password; the digest of a password that verified is remembered for later calls.</p>
 */
@ApplicationScoped
@Startup
public class Accounts {

    /** The label of the primary account ({@code webhook.username}) in the audit trail. */
    public static final String PRIMARY_LABEL = "default";

    private static final class Account {
        final String label;
        final byte[] usernameDigest;
        final String bcryptHash;
        volatile byte[] passwordDigest;

        Account(String label, String username, byte[] passwordDigest, String bcryptHash) {
            this.label = label;
            this.usernameDigest = sha256(username);
            this.passwordDigest = passwordDigest;
            this.bcryptHash = bcryptHash;
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
            accounts.add(new Account("generated", GeneratedPassword.USERNAME, sha256(generated), null));
        }
    }

    private void add(String label, String property, Optional<String> username, Optional<String> password,
                     Optional<String> hash) {
        Optional<String> user = username.map(String::strip).filter(u -> !u.isEmpty());
        Optional<String> plain = password.filter(p -> !p.isEmpty());
        Optional<String> bcrypt = hash.map(String::strip).filter(h -> !h.isEmpty());
        if (user.isEmpty() && plain.isEmpty() && bcrypt.isEmpty()) {
            return;
        }
        if (user.isEmpty()) {
            throw new IllegalStateException(property + ".username is required when a password is set");
        }
        if (plain.isPresent() == bcrypt.isPresent()) {
            throw new IllegalStateException(property + ": set exactly one of password and password-hash");
        }
        if (bcrypt.isPresent() && !bcrypt.get().matches("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalStateException(property + ".password-hash is not a bcrypt hash ($2b$12$...)");
        }
        accounts.add(new Account(label, user.get(), plain.map(Accounts::sha256).orElse(null), bcrypt.orElse(null)));
    }

    /**
     * True when the pair matches a configured account. Digests of plaintext passwords, and of
     * bcrypt passwords that verified before, are compared first for every account; bcrypt runs
     * only when none matched, so a valid call costs microseconds and a wrong one a bcrypt.
     */
    boolean verify(String username, String password) {
        return match(username, password) != null;
    }

    /**
     * The label of the account the pair matches ({@value #PRIMARY_LABEL} for the primary one, the
     * key under {@code webhook.accounts} for the others), or null. Checked as {@link #verify} says.
     */
    String match(String username, String password) {
        byte[] user = sha256(username);
        byte[] pass = sha256(password);
        Account matched = null;
        for (Account account : accounts) {
            byte[] known = account.passwordDigest;
            boolean passMatches = known != null && MessageDigest.isEqual(pass, known);
            boolean both = MessageDigest.isEqual(user, account.usernameDigest) & passMatches;
            matched = both && matched == null ? account : matched;
        }
        if (matched != null) {
            return matched.label;
        }
        for (Account account : accounts) {
            if (account.bcryptHash != null && MessageDigest.isEqual(user, account.usernameDigest)
                    && BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                    account.bcryptHash.getBytes(StandardCharsets.UTF_8)).verified) {
                account.passwordDigest = pass;
                return account.label;
            }
        }
        return null;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
