package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.provider.WebhookException;
import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.sql.SQLException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every failure of the CLI is one line {@code error: <code>: <message>}, whatever its cause. */
class CliErrorsTest {

    @Test
    void theSdksMissingRegionAndCredentialsBecomeAwsConfigLinesNamingTheVariables() {
        assertEquals("error: aws_config: no Region configured: set AWS_REGION (or a region in the profile AWS_PROFILE "
                + "names)", CliErrors.line(new IllegalStateException("wrapped", SdkClientException.create(
                "Unable to load region from any of the providers in the chain ..."))));
        assertEquals("error: aws_config: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                + "AWS_PROFILE, or run with an instance, task or Lambda role", CliErrors.line(SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain ...")));
    }

    @Test
    void theH2FileHeldByAnotherProcessSaysWhatToDoWhereverItIsInTheCauses() {
        Throwable startup = new RuntimeException("Failed to start", new IllegalStateException("flyway",
                new SQLException("Database may be already in use: \"/data/webhook.mv.db\". Possible solutions: ...",
                        "90020", 90020)));
        assertEquals(Optional.of("error: " + CliErrors.DATABASE_IN_USE), CliErrors.startupLine(startup));
        assertEquals("error: " + CliErrors.DATABASE_IN_USE, CliErrors.line(new LedgerException("list", startup)));
    }

    @Test
    void otherFailuresKeepTheirCodeAndOneLine() {
        assertEquals("error: not_found: no such thing", CliErrors.line(new CliException("not_found", "no such thing")));
        assertEquals("error: unavailable: AWS is busy", CliErrors.line(
                new WebhookException(WebhookException.Kind.UNAVAILABLE, "AWS is busy")));
        assertEquals("error: ledger_error: ledger: list failed (SQLException)",
                CliErrors.line(new LedgerException("list", new SQLException("connection refused"))));
        assertEquals(Optional.of("error: startup_failed: the first line (run with --verbose for the details)"),
                CliErrors.startupLine(new RuntimeException("outer", new IllegalStateException("the first line\nmore"))));
        assertEquals(Optional.empty(), CliErrors.startupLine(new ConfigValidationException(new io.smallrye.config
                .ConfigValidationException.Problem[]{new ConfigValidationException.Problem("bad value")})),
                "Quarkus prints an invalid value itself, one line a value");
    }
}
