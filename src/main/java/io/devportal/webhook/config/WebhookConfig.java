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
 * environment variable; keep the two in step. Grouped by what they configure: who may call
 * ({@link AccessSettings}), where and how AWS is reached ({@link AwsSettings}), the ledger, its
 * leases and retention ({@link LedgerSettings}); the rest here. The groups' member types are
 * inherited, so {@code WebhookConfig.Aws} still names {@link AwsSettings.Aws}.
 */
@ConfigMapping(prefix = "webhook")
public interface WebhookConfig extends AccessSettings, AwsSettings, LedgerSettings {

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
     * The same per-API settings as one JSON object ({@code WEBHOOK_APIS_JSON}), expanded into
     * {@link #apis()} by {@link ApisJson}; read there, declared here so that it is a known property.
     */
    @WithName("apis-json")
    Optional<String> apisJson();

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

    Sweeper sweeper();

    Request request();

    Metrics metrics();

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
