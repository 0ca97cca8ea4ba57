package io.devportal.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code webhook.*} property. The README's configuration reference lists each one with its
 * environment variable; keep the two in step.
 */
@ConfigMapping(prefix = "webhook")
public interface WebhookConfig {

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

    /** Default credential type when no per-API override applies. */
    @WithName("credential-type")
    @WithDefault("API_KEY")
    String credentialType();

    /** Whether APIs needing different types may be served by a client plus an API key. */
    @WithName("hybrid-enabled")
    @WithDefault("true")
    boolean hybridEnabled();

    /** Per-API settings, keyed by the API Gateway API id. */
    Map<String, ApiSettings> apis();

    /**
     * Where APIs live besides the default target (the service's own Region and Cognito settings):
     * an account, reached through an assumed role, and a Region ({@link Targets}).
     */
    Map<String, Target> targets();

    interface Target {
        /** The target's Region (required). */
        Optional<String> region();

        /** A role to assume in the target's account; unset: the service's own credentials. */
        @WithName("role-arn")
        Optional<String> roleArn();

        /** The external id the role's trust policy demands. */
        @WithName("external-id")
        Optional<String> externalId();

        /** The target's user pool; unset: client credentials of its APIs use the default target's pool. */
        @WithName("user-pool-id")
        Optional<String> userPoolId();

        /** The domain of the target's user pool (a prefix, or a full custom-domain URL). */
        @WithName("cognito-domain")
        Optional<String> cognitoDomain();

        /** APIs that live in this target (the same as webhook.apis."<id>".target=<name>). */
        Optional<List<String>> apis();
    }

    /**
     * The same per-API settings as one JSON object ({@code WEBHOOK_APIS_JSON}), expanded into
     * {@link #apis()} by {@link ApisJson}; read there, declared here so that it is a known property.
     */
    @WithName("apis-json")
    Optional<String> apisJson();

    /** webhook.targets in one JSON value, for environment-only deployments ({@link TargetsJson}). */
    @WithName("targets-json")
    Optional<String> targetsJson();

    /**
     * How many distinct usage plans one API key may be in: API Gateway's quota is 10 per key;
     * raise it for an account whose quota was raised ({@code WEBHOOK_MAX_USAGE_PLANS_PER_KEY}).
     */
    @WithName("max-usage-plans-per-key")
    @WithDefault("10")
    int maxUsagePlansPerKey();

    /** {@code local} (default) or {@code aws}. */
    @WithDefault("local")
    String provider();

    /** Where the embedded default keeps its files. */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    Local local();

    Auth auth();

    Sweeper sweeper();

    Lease lease();

    Retention retention();

    interface Retention {
        /**
         * Data retention: the developer's e-mail and the app's name are erased, in the ledger and the
         * audit trail, from credentials that ended (revoked, or rolled back) longer ago than this
         * (for example {@code P90D}). Ids, statuses, times and outcomes stay. Unset: kept for good.
         */
        @WithName("personal-data")
        Optional<Duration> personalData();
    }

    Request request();

    Aws aws();

    Cognito cognito();

    Metrics metrics();

    /** {@code jdbc} (default: H2 or PostgreSQL by JDBC URL) or {@code dynamodb}: {@code WEBHOOK_LEDGER}. */
    @WithDefault("jdbc")
    String ledger();

    /** The DynamoDB ledger's table (when {@code webhook.ledger=dynamodb}). */
    Dynamodb dynamodb();

    interface Dynamodb {
        /** The table: {@code WEBHOOK_DYNAMODB_TABLE}. */
        @WithDefault("devportal-webhook")
        String table();

        /** Create the table at start if it is missing (local runs and tests): {@code WEBHOOK_DYNAMODB_CREATE_TABLE}. */
        @WithName("create-table")
        @WithDefault("false")
        boolean createTable();

        /** How long a finished journal row is kept before DynamoDB's TTL removes it. */
        @WithName("journal-retention")
        @WithDefault("P90D")
        Duration journalRetention();
    }

    interface Account {
        String username();

        Optional<String> password();

        @WithName("password-hash")
        Optional<String> passwordHash();
    }

    interface ApiSettings {
        @WithName("credential-type")
        Optional<String> credentialType();

        /** The target (webhook.targets."<name>") this API lives in; unset: the default target. */
        Optional<String> target();

        Optional<List<String>> scopes();

        /**
         * The only usage plans the portal may hand out for this API (unset: any, as
         * {@code webhook.aws.assignable-plans} says).
         */
        @WithName("usage-plans")
        Optional<List<String>> usagePlans();
    }

    interface Local {
        /** Base64 AES key (128, 192 or 256 bits): {@code WEBHOOK_LOCAL_ENCRYPTION_KEY}. */
        @WithName("encryption-key")
        Optional<String> encryptionKey();
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

    interface Lease {
        /**
         * How long one operation holds its credential: the sweeper takes over only an operation
         * whose lease has expired. Must be longer than the request deadline, the undo time and the
         * clock-skew margin together (checked at start-up and by check-config).
         */
        @WithDefault("PT2M")
        Duration duration();

        /**
         * DynamoDB has no server clock: a lease counts as expired there only this long after its
         * end by the instance's own clock. (JDBC leases expire in database time.)
         */
        @WithName("clock-skew")
        @WithDefault("PT5S")
        Duration clockSkew();

        /** How long a request waits for a busy credential before it answers 409 credential_busy. */
        @WithName("wait")
        @WithDefault("PT3S")
        Duration busyWait();
    }

    interface Request {
        /**
         * The hard deadline of an operation's own work (AWS calls, their retries, pacing waits).
         * Past it the request stops, undoes what it made and answers 503 deadline_exceeded.
         */
        @WithDefault("PT15S")
        Duration deadline();

        /** The time an undo may take after the deadline; the request answers by deadline + undo-time. */
        @WithName("undo-time")
        @WithDefault("PT10S")
        Duration undoTime();
    }

    interface Sweeper {
        /** How often the sweeper runs, as a Quarkus scheduler interval ({@code off} disables it). */
        @WithDefault("60s")
        String every();
    }

    interface Aws {
        /** Template of the API key name; {appName}, {developer} and {appId} are replaced. */
        @WithName("key-name-template")
        @WithDefault("{appName} ({developer})")
        String keyNameTemplate();

        /** {@code DELETE} (default) or {@code DISABLE}: what revoke does to an API key. */
        @WithName("revoke-mode")
        @WithDefault("DELETE")
        String revokeMode();

        @WithName("connect-timeout")
        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Time limit of one attempt of an AWS call. */
        @WithName("attempt-timeout")
        @WithDefault("PT5S")
        Duration attemptTimeout();

        /** Time limit of an AWS call, retries included. */
        @WithName("call-timeout")
        @WithDefault("PT15S")
        Duration callTimeout();

        @WithName("max-attempts")
        @WithDefault("4")
        int maxAttempts();

        /** How many usage-plan attachments run at once for one key. */
        @WithName("max-concurrency")
        @WithDefault("10")
        int maxConcurrency();

        /**
         * API key creates and deletes a second, per instance: API Gateway allows 5 a second per
         * account, and spacing them here avoids a burst of approvals turning into 429s.
         */
        @WithName("key-writes-per-second")
        @WithDefault("5")
        double keyWritesPerSecond();

        /** How long /v1/health reuses its last AWS check. */
        @WithName("health-cache")
        @WithDefault("PT5S")
        Duration healthCache();

        /**
         * Refuse (422) a usage plan that serves no stage of the API it is requested under, as read
         * from the plan's apiStages.
         */
        @WithName("check-plan-api-stage")
        @WithDefault("true")
        boolean checkPlanApiStage();

        /**
         * After an ambiguous create failure, how long the lookup for what the lost attempt made keeps
         * looking: GetApiKeys and ListUserPoolClients are eventually consistent.
         */
        @WithName("lookup-settle")
        @WithDefault("PT2S")
        Duration lookupSettle();

        /**
         * How long an answer AWS changes rarely (a usage plan's stages and tags, a resource server's
         * scopes) is reused, by every instance, after it was read; 0 reads it every time.
         */
        @WithName("cache-ttl")
        @WithDefault("PT5M")
        Duration cacheTtl();

        /**
         * Which usage plans the portal may hand out: {@code ANY} plan of the API's stage, or only
         * those {@code TAGGED} {@code devportal-webhook:assignable=true} by the platform team (the
         * SAM template's default). A per-API list ({@code webhook.apis."<apiId>".usage-plans})
         * narrows either. See docs/aws-rules.md.
         */
        @WithName("assignable-plans")
        @WithDefault("ANY")
        PlanRule assignablePlans();

        /**
         * The key of the mark the webhook puts in the name of every Cognito app client it makes
         * (an HMAC of the name's app and operation hashes): a client is deleted without the ledger
         * knowing it only when its name carries a mark made with this key. Unset: no mark, and the
         * rule of clients made before marks (docs/aws-rules.md).
         */
        @WithName("client-mark-key")
        Optional<String> clientMarkKey();

        /**
         * API Gateway calls a second that every instance and the CLI together may make in one account
         * and Region (a share of AWS's 10, shared with the account's other tools); 0: no shared budget.
         */
        @WithName("budget-per-second")
        @WithDefault("5")
        double budgetPerSecond();

        /** How many of those calls may go at once (the shared bucket's depth; AWS's is 40). */
        @WithName("budget-burst")
        @WithDefault("20")
        double budgetBurst();

        /** How many calls of the burst only revokes may use: creates and updates wait or get 429 first. */
        @WithName("budget-revoke-reserve")
        @WithDefault("5")
        double budgetRevokeReserve();
    }

    /** {@link Aws#assignablePlans()}. */
    enum PlanRule { ANY, TAGGED }

    interface Cognito {
        @WithName("user-pool-id")
        Optional<String> userPoolId();

        /** A domain prefix, or a full custom-domain URL. */
        Optional<String> domain();

        @WithName("access-token-validity")
        @WithDefault("PT1H")
        Duration accessTokenValidity();
    }

    interface Metrics {
        /**
         * Also write every figure to standard output in CloudWatch embedded metric format (for
         * Lambda, where nobody scrapes {@code /q/metrics}).
         */
        @WithDefault("false")
        boolean emf();

        /** The CloudWatch namespace of the embedded metric format. */
        @WithDefault("devportal-webhook")
        String namespace();

        /** How long the gauges that read the ledger (active credentials, stale operations) keep a reading. */
        @WithName("gauge-cache")
        @WithDefault("PT30S")
        Duration gaugeCache();
    }
}
