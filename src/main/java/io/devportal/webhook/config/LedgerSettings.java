package io.devportal.webhook.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** The ledger: its store, the leases on its credentials and how long it keeps personal data ({@link WebhookConfig}). */
public interface LedgerSettings {

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

    Lease lease();

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
}
