package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LatchedLedger;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order of the two reads of an idempotent create's re-check (after it fetched its app's active
 * credential again, before it answers 200 with it): is a revoke or retire holding the credential, and
 * is it still active. A revoke that begins and finishes between the two reads must still be seen.
 * OverlapTest's profile (one boot for both), which also selects the latched ledger.
 */
@QuarkusTest
@TestProfile(OverlapTest.Latched.class)
class CreateRecheckOrderTest {

    @Inject
    LatchedProvider provider;

    @Inject
    LatchedLedger latchedLedger;

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    @AfterEach
    void releaseEverything() {
        latchedLedger.reset();
        provider.reset();
    }

    /**
     * The create's re-check parks after its first read; a whole revoke of the credential runs (204);
     * then the re-check reads on. With the lease read first, the status read after it finds the
     * credential revoked: 409, no credential answered and none issued. (Status first: the lease read
     * after finds no revoke holding it, and the create answered 200 with the revoked key.)
     */
    @Test
    void aRevokeThatBeginsAndEndsBetweenTheRecheckReadsOfACreateIs409() throws Exception {
        String name = "Recheck order " + UUID.randomUUID();
        String create = Api.createBody(name, "o@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"bronze\"}]}]");
        String keyId = Api.create(create).then().statusCode(200).extract().path("apiKeyId");
        String credentialId = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id();

        // the retry has passed its first check (before the fetch) when it parks before the fetch: the
        // next read of the credential is the first of the re-check after the fetch
        LatchedProvider.Gate fetching = provider.park(Point.BEFORE_FETCH, keyId);
        CompletableFuture<Response> retry = CompletableFuture.supplyAsync(() -> Api.create(create));
        fetching.awaitArrival();
        LatchedLedger.Gate recheck = latchedLedger.parkAfterRead(credentialId);
        fetching.release();
        String firstRead = recheck.awaitArrival();

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        recheck.release();

        Response answer = retry.get(30, TimeUnit.SECONDS);
        // the body of a 200 holds the key: only the status and the read that parked go in the message
        assertEquals(409, answer.statusCode(), "the re-check parked after its read of the " + firstRead);
        assertEquals("conflict", answer.path("code"));
        assertEquals("appName: the credential of this app was revoked while this request ran; retry to issue a new "
                + "one", answer.path("message"));
        CredentialRecord record = ledger.find(credentialId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        assertEquals("1", db.string("SELECT COUNT(*) FROM credential WHERE app_id = ?", record.appId()),
                "no second credential was issued");
    }
}
