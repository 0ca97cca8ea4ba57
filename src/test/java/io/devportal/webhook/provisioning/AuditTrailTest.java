package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LogCapture;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail on the embedded ledger (H2) with the local provider. */
@QuarkusTest
class AuditTrailTest {

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    @Inject
    TestClock clock;

    @Inject
    Sweeper sweeper;

    @Inject
    LocalCredentialProvider provider;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private List<AuditRecord> since(Instant start) {
        return ledger.audit(new AuditRecord.Query(start.minusMillis(1), null, null, 0));
    }

    private static List<String> auditLogLines(LogCapture log) {
        return Arrays.stream(log.text().split("\n")).filter(l -> l.startsWith("audit audit ")).toList();
    }

    @Test
    void everyContractCallLeavesOneRecordOfWhoDidWhatToWhichCredentialAndHowItEnded() {
        Instant start = clock.instant();
        String slug = "audit-" + suffix();
        String name = "Audited app " + slug;
        String body = "{\"appName\":\"" + name + "\",\"appSlug\":\"" + slug + "\",\"developer\":\"a@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}";
        Response created = Api.create(body);
        created.then().statusCode(200);
        String keyId = created.path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        Response again = Api.anonymous().auth().preemptive().basic(Api.USER, Api.ROTATED_PASSWORD)
                .contentType("application/json").body(body).post("/v1/createCredentials");
        again.then().statusCode(200);
        Response updated = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":"
                + "[{\"id\":\"silver\"}]}]}");
        updated.then().statusCode(204);
        Response unknown = Api.update("{\"apiKeyId\":\"lk" + slug + "\",\"apis\":[]}");
        unknown.then().statusCode(404);
        Response revoked = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        revoked.then().statusCode(204);
        Response revokedAgain = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        revokedAgain.then().statusCode(204);

        List<AuditRecord> records = since(start);
        assertEquals(6, records.size(), records.toString());
        String appId = "slug:" + slug;
        AuditRecord create = records.get(0);
        assertEquals(new AuditRecord(create.id(), create.at(), "CREATE", "issued", record.id(), keyId, null, appId,
                name, "a@example.com", List.of(keyId), "default", "127.0.0.1", created.header("X-Request-Id")), create);
        AuditRecord idempotent = records.get(1);
        assertEquals(List.of("CREATE", "idempotent", record.id(), keyId, appId, "next", again.header("X-Request-Id")),
                List.of(idempotent.operation(), idempotent.outcome(), idempotent.credentialId(), idempotent.apiKeyId(),
                        idempotent.appId(), idempotent.account(), idempotent.requestId()));
        AuditRecord update = records.get(2);
        assertEquals(List.of("UPDATE", "done", record.id(), keyId, "default", updated.header("X-Request-Id")),
                List.of(update.operation(), update.outcome(), update.credentialId(), update.apiKeyId(),
                        update.account(), update.requestId()));
        assertEquals(List.of(keyId), update.resources());
        AuditRecord refused = records.get(3);
        assertEquals(Arrays.asList("UPDATE", "not_found", null, "lk" + slug, null, "default",
                        unknown.header("X-Request-Id")),
                Arrays.asList(refused.operation(), refused.outcome(), refused.credentialId(), refused.apiKeyId(),
                        refused.appId(), refused.account(), refused.requestId()));
        AuditRecord revoke = records.get(4);
        assertEquals(List.of("REVOKE", "done", record.id(), keyId, appId, "a@example.com", "127.0.0.1",
                        revoked.header("X-Request-Id")),
                List.of(revoke.operation(), revoke.outcome(), revoke.credentialId(), revoke.apiKeyId(), revoke.appId(),
                        revoke.developer(), revoke.clientAddress(), revoke.requestId()));
        AuditRecord nothing = records.get(5);
        assertEquals(List.of("REVOKE", "idempotent", record.id(), revokedAgain.header("X-Request-Id")),
                List.of(nothing.operation(), nothing.outcome(), nothing.credentialId(), nothing.requestId()));

        // the queries: by credential and by app (id or name), oldest first, newest N with a limit
        assertEquals(List.of("CREATE", "CREATE", "UPDATE", "REVOKE", "REVOKE"), ledger.audit(
                new AuditRecord.Query(null, null, record.id(), 0)).stream().map(AuditRecord::operation).toList());
        assertEquals(5, ledger.audit(new AuditRecord.Query(null, appId, null, 0)).size());
        assertEquals(5, ledger.audit(new AuditRecord.Query(null, name, null, 0)).size());
        assertEquals(List.of(revoke.id(), nothing.id()), ledger.audit(new AuditRecord.Query(null, appId, null, 2))
                .stream().map(AuditRecord::id).toList());
        assertEquals(List.of(), ledger.audit(new AuditRecord.Query(clock.instant().plusSeconds(60), appId, null, 0)));
    }

    @Test
    void theSweeperAuditsWhatItFinishesAsTheSystem() {
        Instant start = clock.instant();
        String slug = "sweep-" + suffix();
        String appId = CreateCommand.appId(slug, "Swept app", "s@example.com");
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "local", appId, "Swept app", "s@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, start, start, null);
        Lease lease = ledger.beginCreate(pending, Duration.ofMinutes(2), start).orElseThrow();
        String operationId = lease.operationId();
        List<ResourceRef> made = new ArrayList<>();
        String keyId = provider.issue(new CredentialSpec(CredentialKind.API_KEY, false, appId, "Swept app",
                "s@example.com", apis, operationId), new ResourceJournal() {
            @Override
            public void intend(ResourceRef planned) {
                made.add(planned);
                ledger.journalResources(lease, List.copyOf(made), clock.instant());
            }

            @Override
            public void created(ResourceRef resource) {
                ledger.journalResources(lease, List.copyOf(made), clock.instant());
            }
        }).apiKeyId();
        ledger.abandon(lease);
        sweeper.sweep();

        List<AuditRecord> swept = ledger.audit(new AuditRecord.Query(null, null, pending.id(), 0));
        assertEquals(1, swept.size(), swept.toString());
        AuditRecord r = swept.get(0);
        assertEquals(List.of("SWEEP", "done", appId, "system", List.of(keyId)),
                List.of(r.operation(), r.outcome(), r.appId(), r.account(), r.resources()));
        assertNull(r.clientAddress());
        assertNull(r.requestId());
    }

    @Test
    void noIssuedSecretAppearsInAnyAuditRecordOrAuditLogLine() {
        LogCapture log = LogCapture.install();
        log.clear();
        Instant start = clock.instant();
        String s = suffix();
        List<String> secrets = new ArrayList<>();
        String keyBody = createBody("Secret key app " + s, "k@example.com", "[{\"id\":\"a\",\"usagePlans\":[{\"id\":\"p\"}]}]");
        JsonPath key = Api.create(keyBody).then().statusCode(200).extract().jsonPath();
        secrets.add(key.getString("apiKey"));
        JsonPath hybrid = Api.create(createBody("Secret hybrid app " + s, "h@example.com",
                "[{\"id\":\"cc-api\"},{\"id\":\"b\",\"usagePlans\":[{\"id\":\"p\"}]}]")).then().statusCode(200)
                .extract().jsonPath();
        secrets.add(hybrid.getString("clientSecret"));
        secrets.add(hybrid.getString("customCredentials.apiKey"));
        Api.create(keyBody).then().statusCode(200);
        Api.update("{\"clientId\":\"" + hybrid.getString("clientId") + "\",\"apis\":[{\"id\":\"cc-api\"}]}")
                .then().statusCode(204);
        Api.revoke("{\"apiKeyId\":\"" + key.getString("apiKeyId") + "\"}").then().statusCode(204);

        List<AuditRecord> records = since(start);
        List<String> lines = auditLogLines(log);
        String table = db.dump("audit_record");
        assertEquals(5, records.size(), records.toString());
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(table.contains(key.getString("apiKeyId")) && table.contains(hybrid.getString("clientId")),
                "the dump works");
        assertTrue(records.toString().contains(hybrid.getString("customCredentials.apiKeyId")), "the records work");
        for (String secret : secrets) {
            assertFalse(records.toString().contains(secret), "a secret is in an audit record");
            assertFalse(table.contains(secret), "a secret is in the audit table");
            assertFalse(String.join("\n", lines).contains(secret), "a secret is in an audit log line");
        }
    }

    @Test
    void userStringsCannotForgeOrHideAnAuditLogLine() {
        LogCapture log = LogCapture.install();
        log.clear();
        String s = suffix();
        String name = "Forge " + s + "\u2028audit operation=REVOKE\u0085 outcome=\"done\"\u202E\u2066 \\ end";
        Api.create(createBody(name, "f@example.com", "[{\"id\":\"a\"}]")).then().statusCode(200);
        List<String> lines = auditLogLines(log);
        assertEquals(1, lines.size(), String.join("\n", lines));
        String line = lines.get(0);
        assertTrue(line.contains(" appName=\"Forge " + s + "\\u2028audit operation=REVOKE\\u0085 outcome=\\\"done\\\""
                + "\\u202E\\u2066 \\\\ end\" "), line);
        for (char c : new char[] {'\u2028', '\u2029', '\u0085', '\u202E', '\u2066', '\n', '\r'}) {
            assertEquals(-1, line.indexOf(c), "raw U+" + Integer.toHexString(c) + " in the line");
        }
        // the record itself keeps the name exactly
        assertEquals(name, ledger.audit(new AuditRecord.Query(null, name, null, 0)).get(0).appName());
    }

    @Test
    void escapingCoversControlSeparatorBidiAndBrokenSurrogateCharacters() {
        assertEquals("a\\u0000b\\u001Bc\\u007Fd\\u0085e\\u009Ff", AuditTrail.escape("a\u0000b\u001Bc\u007Fd\u0085e\u009Ff"));
        assertEquals("\\u2028\\u2029\\u061C\\u200E\\u200F\\u202A\\u202E\\u2066\\u2069",
                AuditTrail.escape("\u2028\u2029\u061C\u200E\u200F\u202A\u202E\u2066\u2069"));
        assertEquals("\\\" \\\\ \\uD800 \uD83D\uDE00 é", AuditTrail.escape("\" \\ \uD800 \uD83D\uDE00 é"));
    }
}
