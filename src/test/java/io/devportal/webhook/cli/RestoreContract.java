package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup and restore procedure of docs/operate.md against moto (the AWS provider, so that AWS
 * is not restored with the ledger): back up; issue more credentials and revoke one; restore the
 * ledger underneath the running service; {@code reconcile --apply} deletes no orphan;
 * {@code reconcile --adopt} re-imports every live credential with its app; an idempotent create
 * then returns the same credential. Each store implements {@link #backup} and {@link #restore}.
 */
abstract class RestoreContract {
    static final String UNKNOWN = "(not recoverable from AWS)";

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    Ledger ledger;

    /** Writes a backup of the ledger to {@code file}, as docs/operate.md says. */
    abstract void backup(Path file) throws Exception;

    /** Replaces the ledger with {@code file}'s, as docs/operate.md says. */
    abstract void restore(Path file) throws Exception;

    CliRunner.Result cli(String... args) {
        return CliRunner.run(factory, args);
    }

    private static Set<String> findings(JsonNode report) {
        Set<String> found = new HashSet<>();
        report.path("findings").forEach(f -> found.add(f.path("kind").asText() + " " + f.path("resourceId").asText()
                + (f.path("action").isNull() ? "" : " -> " + f.path("action").asText())));
        return found;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    @Test
    void afterARestoreAdoptReimportsEveryLiveCredentialWithItsAppDeletesNoneAndCreateReturnsTheSameOne()
            throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String p0 = plans.get(0);
        String p1 = plans.get(1);
        String bodyA = Api.createBody("Restore A " + s, "a@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + p0 + "\"}]}]");
        String keyA = Api.create(bodyA).then().statusCode(200).extract().path("apiKeyId");
        Path file = Files.createTempDirectory("webhook-backup-").resolve("ledger.backup");
        backup(file);

        // after the backup: more credentials, and a revoke
        String bodyB = Api.createBody("Restore B " + s, "b@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + p0 + "\"},{\"id\":\"" + p1 + "\"}]}]");
        JsonPath b = Api.create(bodyB).then().statusCode(200).extract().jsonPath();
        String bodyH = Api.createBody("Restore H " + s, "h@example.com",
                "[{\"id\":\"orders\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"" + p0 + "\"}]}]");
        JsonPath h = Api.create(bodyH).then().statusCode(200).extract().jsonPath();
        String bodyC = Api.createBody("Restore C " + s, "c@example.com", "[{\"id\":\"orders\"}]");
        String clientC = Api.create(bodyC).then().statusCode(200).extract().path("clientId");
        Api.revoke("{\"apiKeyId\":\"" + keyA + "\"}").then().statusCode(204);
        String keyB = b.getString("apiKeyId");
        String clientH = h.getString("clientId");
        String keyH = h.getString("customCredentials.apiKeyId");
        CredentialRecord beforeB = ledger.findByExternalId(CredentialKind.API_KEY, keyB).orElseThrow();
        CredentialRecord beforeH = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientH).orElseThrow();
        CredentialRecord beforeC = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientC).orElseThrow();

        restore(file);
        assertTrue(ledger.findByExternalId(CredentialKind.API_KEY, keyB).isEmpty(), "the ledger is the backup's");
        assertEquals(CredentialRecord.Status.ACTIVE,
                ledger.findByExternalId(CredentialKind.API_KEY, keyA).orElseThrow().status());

        CliRunner.Result dryRun = cli("reconcile", "--json");
        assertEquals(2, dryRun.exit(), dryRun.toString());
        assertEquals(Set.of("ORPHAN " + keyB, "ORPHAN " + keyH, "ORPHAN " + clientH, "ORPHAN " + clientC,
                "STALE " + keyA), findings(dryRun.json()));
        // --apply retires the stale record and deletes no orphan
        CliRunner.Result applied = cli("reconcile", "--apply");
        assertEquals(2, applied.exit(), applied.toString());
        assertTrue(applied.out().endsWith("4 orphan(s), 1 stale record(s), 0 drift(s); orphans are left as they "
                + "are: --adopt re-imports them (after a restore), --delete-orphans deletes them\n"), applied.out());
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyA).orElseThrow().status());
        try (ApiGatewayClient apigw = Aws.apiGateway(); CognitoIdentityProviderClient cognito = Aws.cognito()) {
            for (String key : List.of(keyB, keyH)) {
                assertTrue(apigw.getApiKey(x -> x.apiKey(key)).enabled(), key);
            }
            for (String client : List.of(clientH, clientC)) {
                cognito.describeUserPoolClient(x -> x.userPoolId(pool).clientId(client));
            }
        }

        CliRunner.Result adopted = cli("reconcile", "--adopt", "--json");
        assertEquals(0, adopted.exit(), adopted.toString());
        assertEquals(Set.of("ORPHAN " + keyB + " -> done", "ORPHAN " + keyH + " -> done",
                "ORPHAN " + clientH + " -> done", "ORPHAN " + clientC + " -> done"), findings(adopted.json()));
        assertEquals("clean: the ledger and the provider agree\n", cli("reconcile").out());

        CredentialRecord afterB = ledger.findByExternalId(CredentialKind.API_KEY, keyB).orElseThrow();
        assertEquals(List.of("ACTIVE", "API_KEY", "false", beforeB.appId(), beforeB.appName(), beforeB.developer()),
                List.of(afterB.status().name(), afterB.kind().name(), "" + afterB.hybrid(), afterB.appId(),
                        afterB.appName(), afterB.developer()));
        assertEquals(sorted(List.of(p0, p1)), sorted(ApiAccess.usagePlansOf(afterB.apis())));
        CredentialRecord afterH = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientH).orElseThrow();
        assertEquals(List.of("ACTIVE", "CLIENT_CREDENTIALS", "true", keyH, beforeH.appId(), beforeH.appName(),
                        beforeH.developer()), List.of(afterH.status().name(), afterH.kind().name(), "" + afterH.hybrid(),
                afterH.apiKeyId(), afterH.appId(), afterH.appName(), afterH.developer()));
        assertEquals(sorted(beforeH.scopes()), sorted(afterH.scopes()));
        assertEquals(List.of(p0), ApiAccess.usagePlansOf(afterH.apis()));
        // a client alone carries 10 hex digits of its app's hash, not the app id: adopted without it
        CredentialRecord afterC = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientC).orElseThrow();
        assertEquals(List.of("ACTIVE", "unknown-to-ledger:CLIENT_CREDENTIALS:" + clientC, beforeC.appName(), UNKNOWN),
                List.of(afterC.status().name(), afterC.appId(), afterC.appName(), afterC.developer()));
        assertEquals(sorted(beforeC.scopes()), sorted(afterC.scopes()));
        for (CredentialRecord r : List.of(afterB, afterH, afterC)) {
            assertEquals(List.of("CREATE DONE"), ledger.operationsOf(r.id()).stream()
                    .map(o -> o.kind() + " " + o.status()).toList(), r.id());
            assertEquals(List.of("ADOPT done system"), ledger.audit(new AuditRecord.Query(null, null, r.id(), 0))
                    .stream().map(a -> a.operation() + " " + a.outcome() + " " + a.account()).toList(), r.id());
        }

        // the portal's retry of a create gets the same credential: the same ids and the same secrets
        JsonPath againB = Api.create(bodyB).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(keyB, b.getString("apiKey")), List.of(againB.getString("apiKeyId"),
                againB.getString("apiKey")));
        JsonPath againH = Api.create(bodyH).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(clientH, h.getString("clientSecret"), keyH, h.getString("customCredentials.apiKey")),
                List.of(againH.getString("clientId"), againH.getString("clientSecret"),
                        againH.getString("customCredentials.apiKeyId"), againH.getString("customCredentials.apiKey")));
        // the documented limit: a client-only credential's app is not known again, so its app gets a new one
        String newC = Api.create(bodyC).then().statusCode(200).extract().path("clientId");
        assertNotEquals(clientC, newC);
        assertEquals(CredentialRecord.Status.ACTIVE,
                ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientC).orElseThrow().status());
        assertEquals(List.of(Operation.Kind.CREATE), ledger.operationsOf(afterC.id()).stream().map(Operation::kind)
                .toList());
    }
}
