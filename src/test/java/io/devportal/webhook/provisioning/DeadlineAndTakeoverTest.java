package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.devportal.webhook.support.TestClock;
import io.devportal.webhook.support.TimePasses;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request that runs past its deadline, and one that runs past its lease (a zombie), with short
 * timings: the deadline stops it and it undoes its work (503 deadline_exceeded); the sweeper takes
 * over only once the lease has expired, and the zombie's later writes change nothing. The time passes
 * in the ledger's and the service's clocks ({@link TimePasses}), not waited for.
 */
@QuarkusTest
@TestProfile(DeadlineAndTakeoverTest.ShortTimings.class)
class DeadlineAndTakeoverTest {

    public static class ShortTimings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.provider", "latched", "webhook.request.deadline", "PT1S",
                    "webhook.request.undo-time", "PT1S", "webhook.lease.duration", "PT4S",
                    "webhook.aws.attempt-timeout", "PT0.5S",
                    "webhook.lease.clock-skew", "PT0.5S", "webhook.lease.wait", "PT0.2S");
        }
    }

    @Inject
    LatchedProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    Sweeper sweeper;

    @Inject
    Db db;

    @Inject
    TestClock clock;

    @AfterEach
    void releaseEverything() {
        provider.reset();
        clock.reset();
    }

    private static String apis(String plan) {
        return "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}]";
    }

    private static String update(String keyId, String name, String plan) {
        return "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + "\",\"developer\":\"d@example.com\","
                + "\"apis\":" + apis(plan) + "}";
    }

    private String plansInStore(String keyId) {
        return db.string("SELECT usage_plans FROM local_credential WHERE id = ?", keyId);
    }

    private static void assertDeadline(Response r) {
        assertEquals(503, r.statusCode(), r.asString());
        assertEquals("5", r.header("Retry-After"));
        assertEquals("deadline_exceeded", r.jsonPath().getString("code"));
    }

    private String updateStatus(String credentialId) {
        return db.string("SELECT status FROM operation WHERE credential_id = ? AND kind = 'UPDATE'", credentialId);
    }

    private boolean calledAfter(String call, long millis) {
        return provider.calls().stream().anyMatch(c -> c.startsWith(call + "@")
                && Long.parseLong(c.substring(c.indexOf('@') + 1)) >= millis);
    }

    @Test
    void anUpdateParkedPastItsDeadlineAnswers503AndChangesNothing() throws Exception {
        String name = "Deadline " + UUID.randomUUID();
        String keyId = Api.create(Api.createBody(name, "d@example.com", apis("bronze"))).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate gate = provider.park(Point.BEFORE_CONVERGE);
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> Api.update(update(keyId, name, "gold")));
        gate.awaitArrival();
        long parkedAt = System.currentTimeMillis();
        TimePasses.by(Duration.ofMillis(1300), db, clock);
        gate.release();

        assertDeadline(slow.get(30, TimeUnit.SECONDS));
        assertTrue(!calledAfter("converge", parkedAt), "no provider call after the deadline: " + provider.calls());
        assertEquals("[\"bronze\"]", plansInStore(keyId));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
        assertTrue(ledger.lease(record.id()).isEmpty(), "the lease is released");
        Api.update(update(keyId, name, "gold")).then().statusCode(204);
        assertEquals("[\"gold\"]", plansInStore(keyId));
    }

    @Test
    void theSweeperTakesOverOnlyAnExpiredLeaseAndTheZombieChangesNothingAfterwards() throws Exception {
        String name = "Zombie " + UUID.randomUUID();
        String keyId = Api.create(Api.createBody(name, "d@example.com", apis("bronze"))).then().statusCode(200)
                .extract().path("apiKeyId");
        LatchedProvider.Gate gate = provider.park(Point.BEFORE_CONVERGE);
        CompletableFuture<Response> zombie = CompletableFuture.supplyAsync(() -> Api.update(update(keyId, name,
                "gold")));
        gate.awaitArrival();
        String credentialId = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id();
        sweeper.sweep();
        assertEquals("IN_PROGRESS", updateStatus(credentialId), "the lease still runs: not taken over");
        TimePasses.by(Duration.ofMillis(4300), db, clock);
        sweeper.sweep();
        assertEquals("FAILED", updateStatus(credentialId), "the lease expired: taken over and restored");
        sweeper.sweep();
        gate.release();

        assertDeadline(zombie.get(30, TimeUnit.SECONDS));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals("[\"bronze\"]", plansInStore(keyId));
        assertEquals("[\"bronze\"]", db.string("SELECT usage_plans FROM credential WHERE id = ?", record.id()));
        assertEquals("abandoned: the previous state was restored by the sweeper", db.string(
                "SELECT error FROM operation WHERE credential_id = ? AND kind = 'UPDATE'", record.id()));
        List<String> trail = ledger.audit(new AuditRecord.Query(null, null, record.id(), 0)).stream()
                .map(a -> a.operation() + " " + a.outcome()).toList();
        assertEquals(1, trail.stream().filter("SWEEP done"::equals).count(), "one winner: " + trail);
    }

    @Test
    void aCreateParkedPastItsLeaseIsRolledBackByTheSweeperAndAnswers503NotAKey() throws Exception {
        String name = "Slow create " + UUID.randomUUID();
        String body = Api.createBody(name, "d@example.com", apis("bronze"));
        LatchedProvider.Gate gate = provider.park(Point.BEFORE_ISSUE);
        CompletableFuture<Response> zombie = CompletableFuture.supplyAsync(() -> Api.create(body));
        gate.awaitArrival();
        TimePasses.by(Duration.ofMillis(4300), db, clock);
        sweeper.sweep();
        assertEquals("ROLLED_BACK", db.string("SELECT status FROM credential WHERE app_name = ?", name),
                "the sweeper rolled it back");
        gate.release();

        assertDeadline(zombie.get(30, TimeUnit.SECONDS));
        assertEquals("ROLLED_BACK", db.string("SELECT status FROM credential WHERE app_name = ?", name));
        assertEquals("0", db.string("SELECT COUNT(*) FROM local_credential WHERE name LIKE ?", name + "%"),
                "no key was issued");
        Api.create(body).then().statusCode(200);
    }
}
