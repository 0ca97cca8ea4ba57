package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.support.LatchedProvider.Gate;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.LeaseWaits;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A retry that meets an abandoned operation on its credential takes it over and finishes it within
 * its own deadline, or hands it back at once: through the AWS provider (moto behind StrictAws) with
 * the shared API Gateway budget on (2 calls a second, burst 20, revokes may use all of it; deadline
 * 10 s, attempts 1 s). When the budget cannot serve the takeover's undo in time, the request answers
 * 429 with the budget's Retry-After before any AWS call, without waiting for the lease, and the row
 * is left expired for the next retry or the sweeper; when finishing it left too little time, the
 * request does not start its own AWS work. The ledger equals AWS at rest.
 */
@QuarkusTest
@TestProfile(AwsTakeoverUnderBudgetTest.Budget.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsTakeoverUnderBudgetTest extends AwsOverlapInvariants {

    public static class Budget extends Profile {
        public Budget() {
            super("DISABLE", "webhook.aws.budget-per-second", "2", "webhook.aws.budget-burst", "20",
                    "webhook.aws.budget-revoke-reserve", "0", "webhook.request.deadline", "PT10S",
                    "webhook.lease.wait", "PT3S");
        }
    }

    private static final String BUDGET_KEY = "apigateway:" + StrictAws.DEFAULT_ACCOUNT + "/" + StrictAws.DEFAULT_REGION;

    @Inject
    SharedBudget budget;

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void freshBudgetAndClock() {
        db.update("DELETE FROM shared_budget");
        clock.reset();
        StrictAws.reset();
    }

    private static int apiGatewayCalls() {
        return StrictAws.serviceCalls(StrictAws.DEFAULT_ACCOUNT, StrictAws.DEFAULT_REGION, "apigateway");
    }

    /** What a request whose work failed and whose undo failed too leaves: its row in progress, its lease expired. */
    private Lease abandoned(Operation.Kind kind, CredentialRecord record) {
        Lease lease = ledger.beginOperation(kind, record.id(), CredentialRecord.Status.ACTIVE, record.resources(),
                Duration.ofMinutes(2), clock.instant());
        ledger.abandon(lease);
        return lease;
    }

    @Test
    void aRevokeRetryMeetingAnAbandonedRevokeTheBudgetCannotServeIs429AtOnceAndHandsItBackUntouched() {
        String name = app("throttled takeover");
        String keyId = createKey(name, onApi1(plans.get(0)));
        CredentialRecord record = recordOf(keyId);
        Lease left = abandoned(Operation.Kind.REVOKE, record);
        // other instances have spoken for the next 30 s of the budget
        budget.reserve(BUDGET_KEY, 60, new SharedBudget.Rate(2, 20), Instant.now(), Duration.ofMinutes(1));
        StrictAws.reset();
        LeaseWaits waits = LeaseWaits.from(registry);

        Response refused = revoke(keyId);

        assertStatus(429, refused);
        assertEquals("throttled", refused.path("code"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        // the budget's answer: its turn (30.5 s less the 10 s burst) less what the deadline allows (10 s less 2 x 1 s)
        assertTrue(retryAfter >= 10 && retryAfter <= 16, "when the budget can serve it: " + retryAfter);
        assertTrue(refused.<String>path("message").startsWith("an earlier revoke of this credential was left "
                + "unfinished, and this request could not finish it: the AWS API Gateway budget of target "),
                refused.asString());
        assertEquals(0, apiGatewayCalls(), "refused before any AWS call: " + StrictAws.stats());
        assertEquals(0, waits.waitedSince(), "answered at once: it never waited for the lease");

        assertEquals(Operation.Status.IN_PROGRESS, ledger.findOperation(left.operationId()).orElseThrow().status());
        LeaseState handedBack = ledger.lease(record.id()).orElseThrow();
        assertEquals(left.operationId(), handedBack.operationId(), "the abandoned revoke still holds it");
        assertTrue(handedBack.expired() && handedBack.takeableIn().isNegative(), "handed back: " + handedBack);
        assertEquals(List.of(left.operationId()), ledger.staleOperations(clock.instant()).stream()
                .map(Operation::id).filter(left.operationId()::equals).toList(), "takeable at once");
        assertEquals(CredentialRecord.Status.ACTIVE, recordOf(keyId).status());

        // the budget frees up: the next retry finishes the abandoned revoke, and is done
        db.update("DELETE FROM shared_budget");
        assertStatus(204, revoke(keyId));
        assertEquals(CredentialRecord.Status.REVOKED, recordOf(keyId).status());
        assertEquals(Operation.Status.DONE, ledger.findOperation(left.operationId()).orElseThrow().status());
        assertAtRest(0);
    }

    /**
     * The takeover's undo meets AWS failing (throttling the budget did not foresee, a 5xx, a denial):
     * the retry answers 429 or 503 at once, never the failure's own 502, and the row is handed back.
     */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"THROTTLE", "SERVER_ERROR", "DENIED"})
    void aRevokeRetryWhoseTakeoverAwsFailsIs429Or503AtOnceAndHandsTheRowBack(Fault fault) {
        String name = app("failed takeover " + fault);
        String keyId = createKey(name, onApi1(plans.get(0)));
        CredentialRecord record = recordOf(keyId);
        Lease left = abandoned(Operation.Kind.REVOKE, record);
        faults.fail("UpdateApiKey", fault, 99);
        LeaseWaits waits = LeaseWaits.from(registry);
        Response refused;
        try {
            // not among the recorded answers: a 503 here is the failure the test provokes
            refused = io.devportal.webhook.support.Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        } finally {
            faults.reset();
        }

        boolean throttled = fault == Fault.THROTTLE;
        assertStatus(throttled ? 429 : 503, refused);
        assertEquals(throttled ? "throttled" : "unavailable", refused.path("code"));
        assertEquals("5", refused.header("Retry-After"));
        assertTrue(refused.<String>path("message").startsWith("an earlier revoke of this credential was left "
                + "unfinished, and this request could not finish it"), refused.asString());
        assertEquals(0, waits.waitedSince(), "answered at once: it never waited for the lease");
        LeaseState handedBack = ledger.lease(record.id()).orElseThrow();
        assertEquals(left.operationId(), handedBack.operationId());
        assertTrue(handedBack.expired(), "handed back: " + handedBack);
        assertEquals(Operation.Status.IN_PROGRESS, ledger.findOperation(left.operationId()).orElseThrow().status());

        assertStatus(204, revoke(keyId));
        assertEquals(Operation.Status.DONE, ledger.findOperation(left.operationId()).orElseThrow().status());
        assertAtRest(0);
    }

    /** A create retry meeting its app's abandoned create (pending, its lease handed back) undoes it and issues a new key. */
    @Test
    void aCreateRetryMeetingItsAppsAbandonedCreateRollsItBackAndIssuesANewKey() {
        String name = app("abandoned create");
        Instant now = clock.instant();
        CredentialRecord pending = new CredentialRecord(java.util.UUID.randomUUID().toString(),
                io.devportal.webhook.model.CredentialKind.API_KEY, false, "aws", CreateCommand.appId(null, name, DEVELOPER),
                name, DEVELOPER, null, null, List.of(), List.of(), List.of(), CredentialRecord.Status.PENDING, now, now,
                null);
        Lease left = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        ledger.abandon(left);
        LeaseWaits waits = LeaseWaits.from(registry);

        String keyId = createKey(name, onApi1(plans.get(0)));

        assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(pending.id()).orElseThrow().status(),
                "the abandoned create was undone first");
        assertEquals(CredentialRecord.Status.ACTIVE, recordOf(keyId).status());
        assertEquals(0, waits.waitedSince());
        assertPlans(set(plans.get(0)), keyId);
        assertAtRest(0);
    }

    @Test
    void anUpdateThatSpentItsDeadlineFinishingAnAbandonedUpdateStartsNoAwsWorkOfItsOwnAndItsRetryApplies()
            throws Exception {
        String name = app("late takeover");
        String keyId = createKey(name, onApi1(plans.get(0)));
        CredentialRecord record = recordOf(keyId);
        Lease left = abandoned(Operation.Kind.UPDATE, record);
        Gate restoring = provider.park(Point.BEFORE_RESTORE);
        CompletableFuture<Response> late = async(() -> update(keyId, name, onApi1(plans.get(1))));
        restoring.awaitArrival();
        // finishing the abandoned update took all but 1.5 s of the request's 10 s: less than its own calls need (2 s)
        clock.advance(Duration.ofMillis(8500));
        long releasedAt = System.currentTimeMillis();
        restoring.release();

        Response answer = await(late);
        assertStatus(503, answer);
        assertEquals("deadline_exceeded", answer.path("code"));
        assertEquals("1", answer.header("Retry-After"));
        assertEquals("this request finished an earlier update of this credential that was left unfinished, and too "
                + "little of its deadline is left for its own change; nothing of its own was started; retry now",
                answer.path("message"));
        assertFalse(provider.calls().stream().anyMatch(c -> c.startsWith("converge@")), "no work of its own: "
                + provider.calls());
        assertNoAwsWriteSince(releasedAt);
        List<Operation> journal = ledger.operationsOf(record.id());
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED, Operation.Status.FAILED),
                journal.stream().map(Operation::status).toList(), journal.toString());
        assertEquals(left.operationId(), journal.get(1).id());
        assertTrue(ledger.lease(record.id()).isEmpty(), "the credential is free");
        assertPlans(set(plans.get(0)), keyId);

        clock.reset();
        assertStatus(204, update(keyId, name, onApi1(plans.get(1))));
        assertPlans(set(plans.get(1)), keyId);
        assertAtRest(1);
    }
}
