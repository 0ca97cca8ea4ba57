package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.provider.aws.AwsEnvironment;
import io.smallrye.config.ConfigValidationException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Every failure of the CLI as one line on stderr, {@code error: <code>: <message>}, with exit code
 * {@link Cli#ERROR}: what a command throws, and what stops Quarkus before the command runs (the H2
 * file held by the running service, first of all). Messages are the ones the service logs, which
 * never hold a secret; {@code --verbose} shows the stack traces.
 */
public final class CliErrors {
    /** H2's DATABASE_ALREADY_OPEN_1: another process holds the file lock. */
    static final int H2_DATABASE_IN_USE = 90020;

    static final String DATABASE_IN_USE = "database_in_use: the H2 database file is held by another process, the "
            + "running service most likely (H2 allows one process per file): stop the service and run the command again, or run the service "
            + "on PostgreSQL (QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql:...) or DynamoDB (WEBHOOK_LEDGER=dynamodb), "
            + "which the CLI can use beside it";

    private CliErrors() {
    }

    /** The line for a failure while a command ran. */
    public static String line(Throwable e) {
        return "error: " + describe(e);
    }

    static String describe(Throwable e) {
        if (e instanceof CliException c) {
            return c.code() + ": " + c.getMessage();
        }
        if (e instanceof WebhookException w) {
            return w.kind().code + ": " + w.getMessage();
        }
        Optional<String> aws = aws(e);
        if (aws.isPresent()) {
            return "aws_config: " + aws.get();
        }
        if (databaseInUse(e)) {
            return DATABASE_IN_USE;
        }
        if (e instanceof LedgerException) {
            return "ledger_error: " + e.getMessage() + rootCause(e);
        }
        return "internal_error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * The line for a failure that stopped Quarkus before the command ran, or empty when Quarkus has
     * already printed it (an invalid configuration value is printed by Quarkus, one line a value).
     */
    public static Optional<String> startupLine(Throwable e) {
        if (e instanceof ConfigValidationException) {
            return Optional.empty();
        }
        if (databaseInUse(e) || aws(e).isPresent()) {
            return Optional.of(line(e));
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Optional.of("error: startup_failed: " + (root.getMessage() == null
                ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse(""))
                + " (run with --verbose for the details)");
    }

    private static Optional<String> aws(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkClientException sdk) {
                Optional<String> known = AwsEnvironment.explain(sdk);
                if (known.isPresent()) {
                    return known;
                }
            }
        }
        return Optional.empty();
    }

    static boolean databaseInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e.getCause();
        if (root == null) {
            return "";
        }
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return " (" + root.getClass().getSimpleName() + ")";
    }
}
