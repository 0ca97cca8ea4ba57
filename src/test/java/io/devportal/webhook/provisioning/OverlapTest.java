package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.BusyAnswers;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LatchedLedger;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.devportal.webhook.support.LeaseWaits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overlapping operations on one credential, each interleaving made deterministic by parking one
 * operation at a named point of the provider. After each: the ledger equals the provider's store,
 * every 2xx's effect is present unless a later 2xx replaced it, and nothing answered 5xx unless
 * the test asks for it.
 */
@QuarkusTest
@TestProfile(OverlapTest.Latched.class)
class OverlapTest {

    public static class Latched implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.provider", "latched", "webhook.lease.wait", "PT1S");
        }

        /** The ledger with a latch between two reads ({@link CreateRecheckOrderTest}); inert unless parked. */
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(LatchedLedger.class);
        }
    }

    @Inject
    LatchedProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @AfterEach
    void releaseEverything() {
        provider.reset();
    }

    private static String body(String name, String plansJson) {
        return Api.createBody(name, "o@example.com", "[{\"id\":\"api1\",\"usagePlans\":" + plansJson + "}]");
    }

    private static String update(String keyId, String name, String plansJson) {
        return "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + "\",\"developer\":\"o@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":" + plansJson + "}]}";
    }

    private static CompletableFuture<Response> async(java.util.function.Supplier<Response> call) {
        return CompletableFuture.supplyAsync(call);
    }

    private String plansInStore(String keyId) {
        return db.string("SELECT usage_plans FROM local_credential WHERE id = ?", keyId);
    }

    private String plansInLedger(String keyId) {
        return db.string("SELECT usage_plans FROM credential WHERE api_key_id = ? AND status = 'ACTIVE'", keyId);
    }

    /** Moves the start of the key's lease back in database time, as if its holder had taken it {@code by} earlier. */
    private void leaseTakenEarlier(String keyId, java.time.Duration by) {
        BusyAnswers.moveLeaseStartBack(db, "api_key_id", keyId, by);
    }

    /** The key's update to gold, parked before its convergence while it holds the lease. */
    private CompletableFuture<Response> parkedUpdate(String keyId, String name, LatchedProvider.Gate gate)
            throws InterruptedException {
        CompletableFuture<Response> parked = async(() -> Api.update(update(keyId, name, "[{\"id\":\"gold\"}]")));
        gate.awaitArrival();
        return parked;
    }

    @Test
    void aSecondUpdateWhileTheFirstHoldsTheKeyIs409BusyUntilTheFirstsDeadlineAndItsRetryWins() throws Exception {
        String name = "Overlap " + UUID.randomUUID();
        String keyId = Api.create(body(name, "[{\"id\":\"bronze\"}]")).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate first = provider.park(Point.BEFORE_CONVERGE);
        long sent = System.nanoTime();
        CompletableFuture<Response> toGold = parkedUpdate(keyId, name, first);

        // the holder's deadline (webhook.request.deadline, 15 s) runs from when it took the lease
        BusyAnswers.assertBusyFor(Api.update(update(keyId, name, "[{\"id\":\"sandbox\"},{\"id\":\"bronze\"}]")), 15, sent);
        first.release();
        assertEquals(204, toGold.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals("[\"gold\"]", plansInStore(keyId));

        Api.update(update(keyId, name, "[{\"id\":\"sandbox\"},{\"id\":\"bronze\"}]")).then().statusCode(204);
        assertEquals("[\"sandbox\",\"bronze\"]", plansInStore(keyId), "the later 2xx's effect is present");
        assertEquals(plansInStore(keyId), plansInLedger(keyId), "the ledger equals the store");
    }

    /**
     * What a busy answer says as the holder ages (its lease's start moved back in database time):
     * the rest of its deadline (15 s), then of its undo time (10 s more), then, once it has outlived
     * both (stuck, or its process gone), when its lease (2 min) may be taken over.
     */
    @Test
    void aBusyAnswerSaysTheRestOfTheHoldersDeadlineThenOfItsUndoTimeThenOfItsLease() throws Exception {
        String name = "Overlap aging " + UUID.randomUUID();
        String keyId = Api.create(body(name, "[{\"id\":\"bronze\"}]")).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate first = provider.park(Point.BEFORE_CONVERGE);
        long sent = System.nanoTime();
        CompletableFuture<Response> toGold = parkedUpdate(keyId, name, first);
        String other = update(keyId, name, "[{\"id\":\"sandbox\"}]");

        leaseTakenEarlier(keyId, java.time.Duration.ofSeconds(10));
        BusyAnswers.assertBusyFor(Api.update(other), 5, sent);
        leaseTakenEarlier(keyId, java.time.Duration.ofSeconds(10));
        BusyAnswers.assertBusyFor(Api.update(other), 5, sent);
        leaseTakenEarlier(keyId, java.time.Duration.ofSeconds(10));
        BusyAnswers.assertBusyFor(Api.update(other), 120, sent);

        first.release();
        assertEquals(204, toGold.get(30, TimeUnit.SECONDS).statusCode(), "the holder was never disturbed");
        assertEquals("[\"gold\"]", plansInStore(keyId));
        assertEquals(plansInStore(keyId), plansInLedger(keyId));
    }

    @Test
    void anUpdateThatArrivesWhileAnotherRunsWaitsForItAndThenApplies() throws Exception {
        String name = "Overlap wait " + UUID.randomUUID();
        String keyId = Api.create(body(name, "[{\"id\":\"bronze\"}]")).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate first = provider.park(Point.BEFORE_CONVERGE);
        CompletableFuture<Response> toGold = async(() -> Api.update(update(keyId, name, "[{\"id\":\"gold\"}]")));
        first.awaitArrival();
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> toSandbox = async(() -> Api.update(update(keyId, name,
                "[{\"id\":\"sandbox\"}]")));
        waits.await();
        first.release();

        assertEquals(204, toGold.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(204, toSandbox.get(30, TimeUnit.SECONDS).statusCode(), "it waited for the lease");
        assertEquals("[\"sandbox\"]", plansInStore(keyId));
        assertEquals(plansInStore(keyId), plansInLedger(keyId));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.DONE, Operation.Status.DONE),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
    }

    @Test
    void aCreateRetryWhileARevokeRunsIs409AndIssuesNoNewCredential() throws Exception {
        String name = "Retry revoke " + UUID.randomUUID();
        String create = body(name, "[{\"id\":\"bronze\"}]");
        String keyId = Api.create(create).then().statusCode(200).extract().path("apiKeyId");
        LatchedProvider.Gate revoking = provider.park(Point.BEFORE_REMOVE);
        CompletableFuture<Response> revoke = async(() -> Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
        revoking.awaitArrival();

        Api.create(create).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("conflict"))
                .body("message", org.hamcrest.Matchers.equalTo("appName: the credential of this app was revoked "
                        + "while this request ran; retry to issue a new one"));
        revoking.release();
        assertEquals(204, revoke.get(30, TimeUnit.SECONDS).statusCode());

        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        assertEquals("1", db.string("SELECT COUNT(*) FROM credential WHERE app_id = ?", record.appId()),
                "no second credential was issued");
        List<String> trail = ledger.audit(new AuditRecord.Query(null, null, record.id(), 0)).stream()
                .map(AuditRecord::operation).toList();
        assertTrue(trail.contains("REVOKE") && !trail.contains("RETIRE"), trail.toString());
    }

    /**
     * The create looks first (the credential is live, no revoke holds it), then the revoke takes
     * the lease and disables the key; the create finds the key gone and waits for the lease to
     * retire it; the revoke completes: the create met its app's revoke, so 409 and no new key.
     */
    @Test
    void aCreateThatWaitedForItsAppsRevokeIs409AndIssuesNoNewCredential() throws Exception {
        String name = "Waited revoke " + UUID.randomUUID();
        String create = body(name, "[{\"id\":\"bronze\"}]");
        String keyId = Api.create(create).then().statusCode(200).extract().path("apiKeyId");
        LatchedProvider.Gate looking = provider.park(Point.BEFORE_FETCH, keyId);
        CompletableFuture<Response> retry = async(() -> Api.create(create));
        looking.awaitArrival();
        LatchedProvider.Gate revoked = provider.park(Point.AFTER_REMOVE, keyId);
        CompletableFuture<Response> revoke = async(() -> Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
        revoked.awaitArrival();
        LeaseWaits waits = LeaseWaits.from(registry);
        looking.release();
        waits.await();
        revoked.release();

        assertEquals(204, revoke.get(30, TimeUnit.SECONDS).statusCode());
        Response answer = retry.get(30, TimeUnit.SECONDS);
        assertEquals(409, answer.statusCode(), answer.asString());
        assertEquals("appName: the credential of this app was revoked while this request ran; retry to issue a new "
                + "one", answer.path("message"));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals("1", db.string("SELECT COUNT(*) FROM credential WHERE app_id = ?", record.appId()),
                "no second credential was issued");
    }

    /** The revoke completed before the create first looked: the portal approved the app again. */
    @Test
    void aCreateThatStartsAfterItsAppsRevokeCompletedIssuesANewCredential() {
        String name = "After revoke " + UUID.randomUUID();
        String create = body(name, "[{\"id\":\"bronze\"}]");
        String keyId = Api.create(create).then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);

        String again = Api.create(create).then().statusCode(200).extract().path("apiKeyId");
        assertTrue(!again.equals(keyId), "a new key");
        assertEquals(CredentialRecord.Status.ACTIVE,
                ledger.findByExternalId(CredentialKind.API_KEY, again).orElseThrow().status());
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
    }

    @Test
    void aRevokeWhileAnUpdateRunsWaitsAndTheKeyEndsRevoked() throws Exception {
        String name = "Update revoke " + UUID.randomUUID();
        String keyId = Api.create(body(name, "[{\"id\":\"bronze\"}]")).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate updating = provider.park(Point.BEFORE_CONVERGE);
        CompletableFuture<Response> toGold = async(() -> Api.update(update(keyId, name, "[{\"id\":\"gold\"}]")));
        updating.awaitArrival();
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> revoke = async(() -> Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
        waits.await();
        updating.release();

        assertEquals(204, toGold.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(204, revoke.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
        // a revoked credential never takes new APIs
        Api.update(update(keyId, name, "[{\"id\":\"silver\"}]")).then().statusCode(404);
    }
}
