package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local provider: a revoke of a credential it issued but the ledger lost (a restored backup)
 * still disables it, and the ledger then records it as revoked with its journal rows.
 */
@QuarkusTest
class RevokeUnknownLocalTest {

    @Inject
    Db db;

    @Inject
    Ledger ledger;

    @Inject
    Adoption adoption;

    @Inject
    Sweeper sweeper;

    @Inject
    ProviderSelection providers;

    /** Issues a key, then the ledger loses it (a backup from before it was issued is restored). */
    private String issuedThenLostByTheLedger() {
        String keyId = Api.create(Api.createBody("Lost row " + UUID.randomUUID().toString().substring(0, 6),
                        "l@example.com", "[{\"id\":\"a\",\"usagePlans\":[{\"id\":\"p\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        String credentialId = db.string("SELECT id FROM credential WHERE api_key_id = ?", keyId);
        db.update("DELETE FROM operation WHERE credential_id = ?", credentialId);
        db.update("DELETE FROM credential WHERE id = ?", credentialId);
        return keyId;
    }

    @Test
    void revokeOfALocalKeyTheLedgerLostDisablesItAndRecordsIt() {
        String keyId = issuedThenLostByTheLedger();
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.RETIRE),
                ledger.operationsOf(record.id()).stream().map(Operation::kind).toList());
    }

    @Test
    void aRevokeWhileAnotherIsAdoptingTheLostKeyIs409AndTheRetryRevokesIt() {
        String keyId = issuedThenLostByTheLedger();
        // another revoke of the same id has claimed it and not finished yet
        Instant now = Instant.now();
        CredentialRecord other = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "local", "unknown-to-ledger:API_KEY:" + keyId, "(unknown to the ledger)", "(unknown to the ledger)",
                null, null, List.of(), List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
        Lease otherOperation = ledger.beginCreate(other, Duration.ofMinutes(2), now).orElseThrow();

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(409)
                .header("Retry-After", "2")
                .body("code", equalTo("conflict"))
                .body("message", equalTo("apiKeyId: this credential is being revoked by another request; "
                        + "retry in a few seconds"));
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());

        ledger.rollBackCreate(otherOperation, "test: the other request gave up", Instant.now());
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
    }

    @Test
    void revokeOfAnIdNobodyIssuedIs204AndRecordsNothing() {
        Api.revoke("{\"apiKeyId\":\"lknosuchkey\"}").then().statusCode(204);
        assertEquals(true, ledger.findByExternalId(CredentialKind.API_KEY, "lknosuchkey").isEmpty());
    }

    /**
     * An adoption records what exists and makes nothing, so its journal row names nothing: the
     * create undo of such a row (the request's, or the sweeper's after a takeover) rolls the record
     * back and never deletes the adopted credential.
     */
    @Test
    void anAdoptionJournalsNothingSoNoUndoOfItDeletesWhatItAdopted() {
        String keyId = issuedThenLostByTheLedger();
        var provider = providers.provider();
        Adoption.Result adopted = adoption.adopt(provider, CredentialKind.API_KEY, keyId,
                provider.findManaged(CredentialKind.API_KEY, keyId));
        assertEquals(AuditTrail.DONE, adopted.action());
        List<Operation> journal = ledger.operationsOf(adopted.record().id());
        assertEquals(List.of(Operation.Kind.CREATE), journal.stream().map(Operation::kind).toList());
        assertEquals(List.of(), journal.get(0).resources(), "the adoption's journal names nothing");

        // an adoption whose holder died before it completed, as the sweeper finds it
        String lost = issuedThenLostByTheLedger();
        Instant now = Instant.now();
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "local", "unknown-to-ledger:API_KEY:" + lost, "(unknown to the ledger)", "(unknown to the ledger)",
                null, null, List.of(), List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
        Lease abandoned = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        ledger.abandon(abandoned);
        assertTrue(sweeper.sweep() >= 1);
        assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(pending.id()).orElseThrow().status());
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", lost).toUpperCase(),
                "the adopted key is live: the undo deleted nothing");
    }
}
