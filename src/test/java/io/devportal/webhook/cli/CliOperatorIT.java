package io.devportal.webhook.cli;

import io.devportal.webhook.support.BuiltService;
import io.devportal.webhook.support.CliJar;
import io.devportal.webhook.support.CliJar.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin CLI as an operator runs it (the built jar, a child process, configured by environment):
 * no portal account needed, no listener, only the result on stdout, and every failure one line
 * {@code error: <code>: <message>} on stderr. Run by failsafe after package.
 */
class CliOperatorIT {

    private static Map<String, String> local(Path dataDir) {
        // no WEBHOOK_USERNAME / WEBHOOK_PASSWORD: the CLI needs no portal account
        return Map.of("WEBHOOK_DATA_DIR", dataDir.toString());
    }

    @Test
    void withNoPortalAccountEveryCommandPrintsOnlyItsResultAndNoPassword(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Run list = CliJar.run(dir, local(data), "list", "--json");
        assertEquals(0, list.exit(), list.toString());
        assertEquals("[ ]\n", list.out());
        assertEquals("", list.err(), "nothing on stderr at the default level");
        Run help = CliJar.run(dir, local(data), "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().startsWith("Usage: java -jar quarkus-run.jar [-hV] [--verbose] [COMMAND]\n"), help.out());
        assertEquals("", help.err());
        Run sweep = CliJar.run(dir, local(data), "sweep", "--json");
        assertEquals("{\n  \"finished\" : 0\n}\n", sweep.out(), sweep.toString());
        assertFalse(Files.exists(data.resolve("generated-portal-password")), "no password was generated");
    }

    @Test
    void versionIsThePomsAndVerboseShowsTheStartUpLineWithItAndNoListener(@TempDir Path dir) throws Exception {
        String version = CliJar.pomVersion();
        Run v = CliJar.run(dir, local(dir.resolve("data")), "--version");
        assertEquals(0, v.exit(), v.toString());
        assertEquals("devportal-webhook " + version + "\n", v.out());

        // the service's environment may enable listeners and the sweeper: the CLI still opens none
        Run verbose = CliJar.run(dir, Map.of("WEBHOOK_DATA_DIR", dir.resolve("data").toString(),
                "QUARKUS_HTTP_HOST_ENABLED", "true", "QUARKUS_MANAGEMENT_HOST_ENABLED", "true",
                "QUARKUS_LOG_CONSOLE_STDERR", "false", "WEBHOOK_SWEEPER_EVERY", "1s"), "list", "--verbose");
        assertEquals(0, verbose.exit(), verbose.toString());
        assertEquals("ID\tSTATUS\tTYPE\tAPI_KEY_ID\tCLIENT_ID\tAPP_NAME\tDEVELOPER\tCREATED_AT\n0 credential(s)\n",
                verbose.out(), "the logs stay on stderr");
        String startLine = verbose.err().lines().filter(l -> l.contains(" on JVM (powered by Quarkus ")).findFirst()
                .orElseThrow(() -> new AssertionError("no start-up line:\n" + verbose.err()));
        assertTrue(startLine.contains("devportal-webhook " + version + " on JVM"), startLine);
        // Quarkus names every listener it opens on this line: the CLI opens none
        assertTrue(startLine.matches(".* started in [0-9.]+s\\.\\s*"), startLine);
        assertFalse(verbose.err().contains("Management interface listening"), verbose.err());
    }

    @Test
    void anUnknownIdAndABadOptionAreOneLineEach(@TempDir Path dir) throws Exception {
        Run unknown = CliJar.run(dir, local(dir.resolve("data")), "show", "lk-never-issued");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertEquals("", unknown.out());
        assertEquals("error: not_found: no credential has the id, apiKeyId or clientId lk-never-issued\n", unknown.err());
        Run bad = CliJar.run(dir, local(dir.resolve("data")), "audit", "--since", "yesterday");
        assertEquals(1, bad.exit(), bad.toString());
        assertEquals(List.of("error: usage: --since: expected an instant such as 2026-11-28T00:00:00Z or a duration "
                + "such as PT24H, P7D or 90m (see 'java -jar quarkus-run.jar audit --help')"), bad.err().lines().toList());
    }

    @Test
    void besideTheServiceOnTheSameH2FileACommandSaysInOneLineWhatToDoInstead(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (BuiltService service = new BuiltService(data, dir).start()) {
            Run list = CliJar.run(dir, local(data), "list");
            assertEquals(1, list.exit(), list.toString());
            assertEquals("", list.out());
            assertEquals("error: " + CliErrors.DATABASE_IN_USE + "\n", list.err());
            assertTrue(list.err().startsWith("error: database_in_use: the H2 database file is held by another process, "
                    + "the running service most likely (H2 allows one process per file): stop the service and run the "
                    + "command again, or run the service on PostgreSQL"), list.err());
        }
    }

    @Test
    void checkConfigNamesAMissingRegionAndCredentialsAndChecksNothingInAwsForTheLocalProvider(@TempDir Path dir)
            throws Exception {
        Run aws = CliJar.run(dir, Map.of("WEBHOOK_PROVIDER", "aws", "WEBHOOK_DATA_DIR", dir.resolve("d1").toString()),
                "check-config");
        assertEquals(1, aws.exit(), aws.toString());
        assertEquals(List.of(
                "OK    timings: webhook.lease.duration PT2M outlives webhook.request.deadline PT15S + undo-time PT10S + 2 x attempt-timeout PT5S + clock-skew PT5S",
                "ERROR AWS Region: no Region configured: set AWS_REGION (or a region in the profile AWS_PROFILE names)",
                "ERROR AWS credentials: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                        + "AWS_PROFILE, or run with an instance, task or Lambda role",
                "configuration has errors"), aws.out().lines().toList());
        assertEquals("", aws.err());

        // an endpoint nobody answers: the local provider's check never calls it
        Run local = CliJar.run(dir, Map.of("WEBHOOK_DATA_DIR", dir.resolve("d2").toString(),
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_REGION", "us-east-1"), "check-config");
        assertEquals(0, local.exit(), local.toString());
        assertEquals(List.of("OK    timings: webhook.lease.duration PT2M outlives webhook.request.deadline PT15S + undo-time PT10S + 2 x attempt-timeout PT5S + clock-skew PT5S",
                "OK    webhook.provider: local (the embedded default): it calls no AWS service, so "
                + "nothing is checked in AWS; set WEBHOOK_PROVIDER=aws to issue real credentials",
                "configuration OK"), local.out().lines().toList());
    }

    @Test
    void aLeaseThatDoesNotOutliveTheDeadlineIsAnErrorOfCheckConfigAndNoCommandRunsAnOperation(@TempDir Path dir)
            throws Exception {
        Map<String, String> env = Map.of("WEBHOOK_DATA_DIR", dir.resolve("d").toString(),
                "WEBHOOK_LEASE_DURATION", "PT30S");
        Run check = CliJar.run(dir, env, "check-config");
        assertEquals(1, check.exit(), check.toString());
        assertEquals("ERROR timings: webhook.lease.duration (PT30S) must be longer than webhook.request.deadline "
                + "(PT15S) + webhook.request.undo-time (PT10S) + 2 x webhook.aws.attempt-timeout (PT5S) + "
                + "webhook.lease.clock-skew (PT5S) = PT40S: otherwise the sweeper could take over an operation that is "
                + "still running", check.out().lines().findFirst()
                .orElseThrow());
        Run sweep = CliJar.run(dir, env, "sweep");
        assertEquals(1, sweep.exit(), sweep.toString());
        assertTrue(sweep.err().contains("webhook.lease.duration (PT30S) must be longer"), sweep.err());
    }
}
