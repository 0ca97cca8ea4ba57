package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.CliJar;
import io.devportal.webhook.support.CliJar.Run;
import io.devportal.webhook.support.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin CLI through the real entry point: {@code java -jar target/quarkus-app/quarkus-run.jar <command>}
 * as a child process, configured by environment like the service, against moto. Run by failsafe after package.
 */
class CliJarIT {
    private static ApiGatewayClient apigw;
    private static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        MotoServer.reset();
        apigw = Aws.apiGateway();
        dataDir = Files.createTempDirectory("cli-jar-it");
    }

    @AfterAll
    static void stop() {
        apigw.close();
    }

    private static Run jar(String... args) throws IOException, InterruptedException {
        return CliJar.run(dataDir, Map.of("WEBHOOK_DATA_DIR", dataDir.toString(), "WEBHOOK_USERNAME", "portal",
                "WEBHOOK_PASSWORD", "jar-test-password", "WEBHOOK_PROVIDER", "aws",
                "AWS_ENDPOINT_URL", MotoServer.endpoint(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"), args);
    }

    @Test
    void theJarRunsEveryCommandWithJsonOnStdoutAndTheDocumentedExitCodes() throws Exception {
        Run help = jar("--help");
        assertEquals(0, help.exit(), help.toString());
        for (String command : List.of("list", "show", "audit", "reconcile", "revoke", "backup", "sweep",
                "check-config")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " missing from\n" + help.out());
        }

        String orphan = apigw.createApiKey(b -> b.name("jar orphan").enabled(true)
                .tags(Map.of("devportal-webhook:managed", "true"))).id();
        String unmanaged = apigw.createApiKey(b -> b.name("jar unmanaged").enabled(true)).id();

        Run found = jar("reconcile", "--json");
        assertEquals(2, found.exit(), found.toString());
        JsonNode report = found.json();
        assertEquals(1, report.path("findings").size(), found.out());
        assertEquals("ORPHAN", report.path("findings").get(0).path("kind").asText());
        assertEquals(orphan, report.path("findings").get(0).path("resourceId").asText());

        // --apply never deletes an orphan (after a restore it would be a live credential): --delete-orphans does
        Run kept = jar("reconcile", "--apply", "--json");
        assertEquals(2, kept.exit(), kept.toString());
        assertTrue(apigw.getApiKey(b -> b.apiKey(orphan)).enabled(), "--apply deleted an orphan");
        Run applied = jar("reconcile", "--delete-orphans", "--verbose");
        assertEquals(0, applied.exit(), applied.toString());
        assertThrows(NotFoundException.class, () -> apigw.getApiKey(b -> b.apiKey(orphan)));
        Run clean = jar("reconcile", "--json");
        assertEquals(0, clean.exit(), clean.toString());
        assertTrue(clean.json().path("clean").asBoolean(), clean.out());
        assertTrue(apigw.getApiKey(b -> b.apiKey(unmanaged)).enabled(), "a key without the managed tag is never touched");

        Run audit = jar("audit", "--json");
        assertEquals(0, audit.exit(), audit.toString());
        JsonNode records = audit.json();
        assertEquals(1, records.size(), audit.out());
        assertEquals(List.of("RECONCILE", "done", "[\"" + orphan + "\"]", "system"), List.of(
                records.get(0).path("operation").asText(), records.get(0).path("outcome").asText(),
                records.get(0).path("resources").toString(), records.get(0).path("account").asText()));
        assertTrue(applied.err().contains("[audit] (main) requestId= audit at="),
                "the audit line is logged on stderr:\n" + applied.err());
        assertTrue(applied.out().endsWith("1 orphan(s), 0 stale record(s), 0 drift(s); fixed\n"), applied.out());

        // the orphan's deletion is journaled: it is in the ledger now, revoked
        Run list = jar("list", "--json");
        assertEquals(0, list.exit(), list.toString());
        assertEquals(1, list.json().size(), list.out());
        assertEquals(List.of(orphan, "REVOKED"), List.of(list.json().get(0).path("apiKeyId").asText(),
                list.json().get(0).path("status").asText()));

        Run bad = jar("list", "--no-such-option");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("Unknown option: '--no-such-option'"), bad.err());
    }
}
