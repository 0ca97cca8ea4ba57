package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reconcile against moto: orphans, a key and nothing else deleted by hand, plans and scopes changed
 * by hand. AWS's state is read back through the SDK after --apply.
 */
@QuarkusTest
// its own moto estate and ledger (a boot of its own): it asserts that reconcile finds the whole estate clean
// first, which other classes' leftovers in a shared estate would break, whatever order they run in
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class ReconcileAwsTest {
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    Ledger ledger;

    @AfterAll
    static void close() {
        APIGW.close();
        COGNITO.close();
    }

    private CliRunner.Result cli(String... args) {
        return CliRunner.run(factory, args);
    }

    private String issueKey(String name, String... planIds) {
        String apis = "[{\"id\":\"api1\",\"usagePlans\":[" + java.util.Arrays.stream(planIds)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}]";
        return Api.create(Api.createBody(name + " " + UUID.randomUUID().toString().substring(0, 6), "r@example.com",
                apis)).then().statusCode(200).extract().path("apiKeyId");
    }

    private Set<String> plansOf(String keyId) {
        return APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    private Set<String> scopesOf(String clientId) {
        return new HashSet<>(COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId))
                .userPoolClient().allowedOAuthScopes());
    }

    private String handMadeClient(String name) {
        return COGNITO.createUserPoolClient(b -> b.userPoolId(pool).clientName(name).generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("orders/read")).userPoolClient().clientId();
    }

    private static Set<String> findings(JsonNode report) {
        Set<String> found = new HashSet<>();
        report.path("findings").forEach(f -> found.add(f.path("kind").asText() + " " + f.path("resourceId").asText()
                + (f.path("kind").asText().equals("DRIFT") ? " ledger=" + f.path("expected") + " actual="
                + f.path("actual") : "") + (f.path("action").isNull() ? "" : " -> " + f.path("action").asText())));
        return found;
    }

    @Test
    void reconcileFindsOrphansStaleRecordsAndDriftFixesThemAndNeverTouchesWhatItDoesNotManage() {
        String p0 = plans.get(0);
        String p1 = plans.get(1);
        String p2 = plans.get(2);
        String keep = issueKey("Keep", p0);
        String gone = issueKey("Gone", p0);
        String drifted = issueKey("Drift", p0, p1);
        String client = Api.create(Api.createBody("Scoped " + UUID.randomUUID().toString().substring(0, 6),
                "c@example.com", "[{\"id\":\"orders\"}]")).then().statusCode(200).extract().path("clientId");
        assertEquals(0, cli("reconcile").exit(), "clean before anything is changed by hand");

        // by hand, behind the webhook's back
        String orphan = APIGW.createApiKey(b -> b.name("hand made").enabled(true)
                .tags(Map.of("devportal-webhook:managed", "true"))).id();
        String unmanaged = APIGW.createApiKey(b -> b.name("someone else's key").enabled(true)).id();
        String otherTag = APIGW.createApiKey(b -> b.name("other tags").enabled(true)
                .tags(Map.of("team", "payments"))).id();
        String orphanClient = handMadeClient("Hand made 0123456789");
        String plainClient = handMadeClient("Someone else's client");
        APIGW.deleteApiKey(b -> b.apiKey(gone));
        APIGW.deleteUsagePlanKey(b -> b.usagePlanId(p1).keyId(drifted));
        APIGW.createUsagePlanKey(b -> b.usagePlanId(p2).keyId(drifted).keyType("API_KEY"));
        COGNITO.updateUserPoolClient(b -> b.userPoolId(pool).clientId(client)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("orders/read"));

        Set<String> expected = Set.of(
                "ORPHAN " + orphan,
                "ORPHAN " + orphanClient,
                "STALE " + gone,
                "DRIFT " + drifted + " ledger=" + jsonSorted(p0, p1) + " actual=" + jsonSorted(p0, p2),
                "DRIFT " + client + " ledger=[\"orders/read\",\"orders/write\"] actual=[\"orders/read\"]");
        CliRunner.Result dryRun = cli("reconcile", "--json");
        assertEquals(2, dryRun.exit(), dryRun.toString());
        assertEquals(expected, findings(dryRun.json()));
        assertEquals(false, dryRun.json().path("clean").asBoolean());
        CliRunner.Result text = cli("reconcile");
        assertEquals(2, text.exit(), text.toString());
        assertTrue(text.out().endsWith("2 orphan(s), 1 stale record(s), 2 drift(s); run with --apply to fix stale "
                + "records and drift, --adopt to re-import orphans (after a restore) or --delete-orphans to delete "
                + "them\n"), text.out());
        // a dry run changes nothing
        assertEquals(Set.of(p0, p2), plansOf(drifted));
        APIGW.getApiKey(b -> b.apiKey(orphan));

        Instant beforeApply = Instant.now();
        CliRunner.Result both = cli("reconcile", "--adopt", "--delete-orphans");
        assertEquals(1, both.exit(), both.toString());
        assertEquals("error: usage: --adopt and --delete-orphans exclude each other (see 'java -jar quarkus-run.jar "
                + "reconcile --help')\n", both.err());
        CliRunner.Result applied = cli("reconcile", "--apply", "--delete-orphans", "--json");
        assertEquals(0, applied.exit(), applied.toString());
        assertEquals(expected.stream().map(f -> f + " -> done").collect(Collectors.toSet()), findings(applied.json()));

        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(orphan)));
        assertThrows(ResourceNotFoundException.class,
                () -> COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(orphanClient)));
        assertEquals(Set.of(p0, p1), plansOf(drifted));
        assertEquals(Set.of("orders/read", "orders/write"), scopesOf(client));
        assertEquals(Set.of(p0), plansOf(keep));
        CredentialRecord retired = ledger.findByExternalId(CredentialKind.API_KEY, gone).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, retired.status());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.REVOKE),
                ledger.operationsOf(retired.id()).stream().map(Operation::kind).toList());
        // each orphan's deletion is journaled: adopted into the ledger, then retired (always deleted)
        for (Map.Entry<CredentialKind, String> deleted : Map.of(CredentialKind.API_KEY, orphan,
                CredentialKind.CLIENT_CREDENTIALS, orphanClient).entrySet()) {
            CredentialRecord adopted = ledger.findByExternalId(deleted.getKey(), deleted.getValue()).orElseThrow();
            assertEquals(CredentialRecord.Status.REVOKED, adopted.status());
            assertEquals(List.of("CREATE DONE", "RETIRE DONE"), ledger.operationsOf(adopted.id()).stream()
                    .map(o -> o.kind() + " " + o.status()).toList());
        }
        CredentialRecord converged = ledger.findByExternalId(CredentialKind.API_KEY, drifted).orElseThrow();
        assertEquals(List.of("CREATE DONE", "UPDATE DONE"), ledger.operationsOf(converged.id()).stream()
                .map(o -> o.kind() + " " + o.status()).toList());
        Set<String> audited = ledger.audit(new AuditRecord.Query(beforeApply, null, null, 0)).stream()
                .map(a -> a.operation() + " " + a.outcome() + " " + a.resources() + " " + a.account())
                .collect(Collectors.toSet());
        assertEquals(Set.of("RECONCILE done [" + orphan + "] system", "RECONCILE done [" + orphanClient + "] system",
                "RETIRE done [" + gone + "] system", "RECONCILE done [" + drifted + "] system",
                "RECONCILE done [" + client + "] system"), audited);

        CliRunner.Result again = cli("reconcile", "--json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(true, again.json().path("clean").asBoolean());
        assertEquals("clean: the ledger and the provider agree\n", cli("reconcile").out());
        // what the webhook does not manage was never touched
        for (String id : List.of(unmanaged, otherTag)) {
            assertTrue(APIGW.getApiKey(b -> b.apiKey(id)).enabled(), id);
        }
        assertEquals(Set.of("orders/read"), scopesOf(plainClient));
    }

    @Test
    void aFailedCreateIsAuditedWithItsErrorCodeAndItsRollbackToo() {
        String name = "Missing plan " + UUID.randomUUID().toString().substring(0, 6);
        Api.create(Api.createBody(name, "m@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"nope\"}]}]"))
                .then().statusCode(422);
        List<AuditRecord> records = ledger.audit(new AuditRecord.Query(null, name, null, 0));
        assertEquals(List.of("CREATE unprocessable", "ROLLBACK done"),
                records.stream().map(r -> r.operation() + " " + r.outcome()).toList());
        assertEquals(1, records.get(1).resources().size(), records.toString());
        String keyId = records.get(1).resources().get(0);
        assertEquals(records.get(0).resources(), records.get(1).resources());
        assertEquals(records.get(0).credentialId(), records.get(1).credentialId());
        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
    }

    @Test
    void adoptKeepsTheLedgerIdAndTheExactAppIdTaggedOnAKeyAndAnAdoptedAppIsKnownByIt() {
        String credentialId = UUID.randomUUID().toString();
        String appId = "app:Tagged \u00e9 " + credentialId.substring(0, 6) + "\nt@example.com";
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("devportal-webhook:managed", "true");
        tags.put("devportal-webhook:credential", credentialId);
        tags.put("devportal-webhook:operation", UUID.randomUUID().toString());
        tags.put("devportal-webhook:app-id", java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(appId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String keyId = APIGW.createApiKey(b -> b.name("Tagged (t@example.com)").enabled(true).customerId("t@example.com")
                .description("Issued by devportal-webhook for the Developer Portal app Tagged \u00e9").tags(tags)).id();
        APIGW.createUsagePlanKey(b -> b.usagePlanId(plans.get(0)).keyId(keyId).keyType("API_KEY"));

        CliRunner.Result adopted = cli("reconcile", "--adopt", "--json");
        assertEquals(0, adopted.exit(), adopted.toString());
        assertEquals(Set.of("ORPHAN " + keyId + " -> done"), findings(adopted.json()));
        CredentialRecord record = ledger.find(credentialId).orElseThrow();
        assertEquals(List.of("ACTIVE", keyId, appId, "Tagged \u00e9", "t@example.com", "[" + plans.get(0) + "]"),
                List.of(record.status().name(), record.apiKeyId(), record.appId(), record.appName(),
                        record.developer(), io.devportal.webhook.model.ApiAccess.usagePlansOf(record.apis())
                                .toString()));
        assertEquals(credentialId, ledger.findLive(appId).orElseThrow().id());
        assertEquals("clean: the ledger and the provider agree\n", cli("reconcile").out());
    }

    @Test
    void cliRevokeOfAManagedKeyTheLedgerForgotRecordsItAndDeletesIt() {
        String keyId = APIGW.createApiKey(b -> b.name("forgotten").enabled(true)
                .tags(Map.of("devportal-webhook:managed", "true"))).id();
        CliRunner.Result revoked = cli("revoke", keyId, "--reason", "found in a paste site");
        assertEquals(0, revoked.exit(), revoked.toString());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals("revoked credential " + record.id() + " (API_KEY apiKeyId=" + keyId + " clientId=-), status "
                + "REVOKED\n", revoked.out());
        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
        assertEquals(List.of("CREATE DONE", "RETIRE DONE"), ledger.operationsOf(record.id()).stream()
                .map(o -> o.kind() + " " + o.status()).toList());
        assertEquals(List.of("REVOKE done cli: found in a paste site"),
                ledger.audit(new AuditRecord.Query(null, null, record.id(), 0)).stream()
                        .map(a -> a.operation() + " " + a.outcome() + " " + a.account()).toList());
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
    }

    private static String jsonSorted(String... values) {
        return java.util.Arrays.stream(values).sorted().map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
