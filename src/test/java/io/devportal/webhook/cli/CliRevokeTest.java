package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.UUID;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code revoke <id> --reason}: incident response through the portal's journaled revoke, on the embedded ledger. */
@QuarkusTest
class CliRevokeTest {

    @Inject
    CommandLine.IFactory factory;

    @Inject
    Ledger ledger;

    private CliRunner.Result cli(String... args) {
        return CliRunner.run(factory, args);
    }

    private List<String> audit(String credentialId) {
        return ledger.audit(new AuditRecord.Query(null, null, credentialId, 0)).stream()
                .map(a -> a.operation() + " " + a.outcome() + " " + a.account()).toList();
    }

    @Test
    void revokeByApiKeyIdIsTheJournaledRevokeAuditedWithTheReasonAndThePortalsLaterRevokeIsA204() {
        String keyId = Api.create(createBody("Leaked " + UUID.randomUUID().toString().substring(0, 8), "l@example.com",
                "[{\"id\":\"a\",\"usagePlans\":[{\"id\":\"gold\"}]}]")).then().statusCode(200).extract().path("apiKeyId");
        String id = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id();

        CliRunner.Result revoked = cli("revoke", keyId, "--reason", "leaked in a public repository");
        assertEquals(0, revoked.exit(), revoked.toString());
        assertEquals("revoked credential " + id + " (API_KEY apiKeyId=" + keyId + " clientId=-), status REVOKED\n",
                revoked.out());
        assertEquals("", revoked.err());
        assertEquals(List.of("CREATE DONE", "REVOKE DONE"), ledger.operationsOf(id).stream()
                .map(o -> o.kind() + " " + o.status()).toList());
        assertEquals(List.of("CREATE issued default", "REVOKE done cli: leaked in a public repository"), audit(id));

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        CliRunner.Result again = cli("revoke", id, "--reason", "twice");
        assertEquals(0, again.exit(), again.toString());
        assertEquals("already revoked: credential " + id + " (API_KEY apiKeyId=" + keyId + " clientId=-), status "
                + "REVOKED\n", again.out());
        assertEquals(List.of("CREATE issued default", "REVOKE done cli: leaked in a public repository",
                "REVOKE idempotent default", "REVOKE idempotent cli: twice"), audit(id));
    }

    @Test
    void revokeByLedgerIdOfAClientPrintsJsonAndThePortalsLaterRevokeIsA204() {
        String clientId = Api.create(createBody("Leaked client " + UUID.randomUUID().toString().substring(0, 8),
                "c@example.com", "[{\"id\":\"cc-api\"}]")).then().statusCode(200).extract().path("clientId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow();

        CliRunner.Result revoked = cli("revoke", record.id(), "--reason", "secret pasted in a ticket", "--json");
        assertEquals(0, revoked.exit(), revoked.toString());
        assertEquals(List.of(record.id(), "CLIENT_CREDENTIALS", clientId, "REVOKED", "false", "secret pasted in a ticket"),
                List.of(revoked.json().path("credentialId").asText(), revoked.json().path("type").asText(),
                        revoked.json().path("clientId").asText(), revoked.json().path("status").asText(),
                        revoked.json().path("alreadyRevoked").asText(), revoked.json().path("reason").asText()));
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}")
                .then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(record.id()).orElseThrow().status());
    }

    @Test
    void revokeOfAnUnknownIdIsNotFoundAndARevokeNeedsAReason() {
        CliRunner.Result unknown = cli("revoke", "lk-never-issued", "--reason", "leaked");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertEquals("error: not_found: no credential has the id, apiKeyId or clientId lk-never-issued, and no live "
                + "credential of this webhook has it\n", unknown.err());
        assertEquals("", unknown.out());
        CliRunner.Result noReason = cli("revoke", "lk-never-issued");
        assertEquals(1, noReason.exit(), noReason.toString());
        assertEquals("error: usage: Missing required option: '--reason=TEXT' (see 'java -jar quarkus-run.jar revoke "
                + "--help')\n", noReason.err());
        CliRunner.Result blank = cli("revoke", "lk-never-issued", "--reason", " ");
        assertEquals(1, blank.exit(), blank.toString());
        assertTrue(blank.err().startsWith("error: usage: --reason: say why"), blank.err());
    }
}
