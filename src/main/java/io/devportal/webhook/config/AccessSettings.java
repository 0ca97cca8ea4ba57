package io.devportal.webhook.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Who may call the webhook: the portal's accounts, and how failed logins are throttled ({@link WebhookConfig}). */
public interface AccessSettings {

    /** The portal's account: {@code WEBHOOK_USERNAME}. */
    Optional<String> username();

    /** Plaintext password of the primary account: {@code WEBHOOK_PASSWORD}. */
    Optional<String> password();

    /** bcrypt hash of the primary account's password: {@code WEBHOOK_PASSWORD_HASH}. */
    @WithName("password-hash")
    Optional<String> passwordHash();

    /** Further accounts, keyed by a label, so that the portal's password can be rotated. */
    Map<String, Account> accounts();

    /**
     * Proxies (CIDR blocks) whose connections carry the client's address as the right-most
     * {@code X-Forwarded-For} entry (api.auth.ClientAddress); unset: the connection's address is the client's.
     */
    @WithName("trusted-proxies")
    Optional<List<String>> trustedProxies();

    /** When set, only callers from these networks (CIDR blocks) are served; others get 403 source_not_allowed. */
    @WithName("allowed-sources")
    Optional<List<String>> allowedSources();

    Auth auth();

    interface Account {
        String username();

        Optional<String> password();

        @WithName("password-hash")
        Optional<String> passwordHash();
    }

    interface Auth {
        /** Failed attempts from one address, within {@link #failureWindow()}, before it is throttled. */
        @WithName("max-failures")
        @WithDefault("10")
        int maxFailures();

        @WithName("failure-window")
        @WithDefault("PT1M")
        Duration failureWindow();

        /** How long a throttled address is refused. */
        @WithName("lockout")
        @WithDefault("PT1M")
        Duration lockout();

        /**
         * Failed attempts from all addresses together, within {@link #failureWindow()}, after which this
         * instance starts no slow (bcrypt) verification of a password it has not verified before (429).
         */
        @WithName("instance-max-failures")
        @WithDefault("100")
        int instanceMaxFailures();

        /** Slow (bcrypt) verifications running at once on this instance; past it, 429 auth_busy at once. */
        @WithName("concurrent-slow-hashes")
        @WithDefault("2")
        int concurrentSlowHashes();
    }
}
