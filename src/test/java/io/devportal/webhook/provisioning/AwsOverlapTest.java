package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.support.LatchedProvider.Gate;
import io.devportal.webhook.support.LeaseWaits;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.devportal.webhook.support.MotoResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.apigateway.model.ApiKey;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races of issue 12 through the AWS provider on moto behind StrictAws, each interleaving made
 * deterministic by the latched provider's gates (provider points, and AWS-level points: "after the
 * plan read" is the update's first AWS write, "after the detach" its attach). Run in both revoke
 * modes by {@link AwsOverlapDeleteModeTest} and {@link AwsOverlapDisableModeTest}; every test ends
 * with the invariants at rest ({@link #assertAtRest}).
 */
abstract class AwsOverlapTest extends AwsOverlapInvariants {

    /** Which of the two updates of issue 12 takes the key first. */
    enum Order { TIER_MOVE_FIRST, SANDBOX_AND_BRONZE_FIRST }

    /** Which of the two requests reaches the credential first. */
    enum RevokeRace { REVOKE_FIRST, CREATE_RETRY_FIRST }

    private String bronze() {
        return tiers.get(0);
    }

    /** The tier move: bronze to gold, one API stage (the key must leave bronze before it joins gold). */
    private String tierMove() {
        return apis(api(MotoResource.TIER_API, tiers.get(1)));
    }

    /** The other update: sandbox (a plan of api1) and bronze. */
    private String sandboxAndBronze() {
        return apis(api(MotoResource.API, plans.get(1)), api(MotoResource.TIER_API, bronze()));
    }

    // 1. two updates of one key

    @ParameterizedTest
    @EnumSource(Order.class)
    void aSecondUpdateWhileTheFirstIsParkedAfterItsPlanReadIs409BusyAndTheFirstsPlansStandThenItsRetryWins(Order order)
            throws Exception {
        String name = app("two updates busy");
        String keyId = createKey(name, apis(api(MotoResource.TIER_API, bronze())));
        boolean tierFirst = order == Order.TIER_MOVE_FIRST;
        String first = tierFirst ? tierMove() : sandboxAndBronze();
        String second = tierFirst ? sandboxAndBronze() : tierMove();
        Set<String> firstPlans = tierFirst ? set(tiers.get(1)) : set(plans.get(1), bronze());
        Set<String> secondPlans = tierFirst ? set(plans.get(1), bronze()) : set(tiers.get(1));
        // after the plan read: the first AWS write (the tier move detaches bronze; the other attaches sandbox)
        Gate parked = provider.parkAws(tierFirst ? "DeleteUsagePlanKey" : "CreateUsagePlanKey", keyId);
        CompletableFuture<Response> firstUpdate = async(() -> update(keyId, name, first));
        parked.awaitArrival();

        assertBusy(update(keyId, name, second));
        parked.release();
        assertStatus(204, await(firstUpdate));
        assertPlans(firstPlans, keyId);

        assertStatus(204, update(keyId, name, second));
        assertPlans(secondPlans, keyId);
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.DONE, Operation.Status.DONE),
                ledger.operationsOf(recordOf(keyId).id()).stream().map(Operation::status).toList(),
                "create, the first update and the retry; the refused update began nothing");
        assertAtRest(0);
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void aSecondUpdateThatArrivesWhileTheFirstIsParkedMidwayWaitsForTheLeaseAndAppliesLast(Order order)
            throws Exception {
        String name = app("two updates wait");
        String keyId = createKey(name, apis(api(MotoResource.TIER_API, bronze())));
        boolean tierFirst = order == Order.TIER_MOVE_FIRST;
        String first = tierFirst ? tierMove() : sandboxAndBronze();
        String second = tierFirst ? sandboxAndBronze() : tierMove();
        Set<String> secondPlans = tierFirst ? set(plans.get(1), bronze()) : set(tiers.get(1));
        // the first's attach: the tier move has detached bronze by then (the key is on no plan for a
        // moment); the other has read the plans and changed nothing yet
        Gate parked = provider.parkAws("CreateUsagePlanKey", keyId);
        CompletableFuture<Response> firstUpdate = async(() -> update(keyId, name, first));
        parked.awaitArrival();
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> secondUpdate = async(() -> update(keyId, name, second));
        waits.await();
        parked.release();

        assertStatus(204, await(firstUpdate));
        assertStatus(204, await(secondUpdate));
        assertPlans(secondPlans, keyId);
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.DONE, Operation.Status.DONE),
                ledger.operationsOf(recordOf(keyId).id()).stream().map(Operation::status).toList());
        assertAtRest(0);
    }

    // 2. a create retry racing a revoke

    @ParameterizedTest
    @EnumSource(RevokeRace.class)
    void aCreateRetryRacingARevokeIs409WithNoNewKeyInAwsAndTheAuditSaysRevokeNotRetire(RevokeRace order)
            throws Exception {
        String name = app("retry revoke");
        String apisJson = onApi1(plans.get(0));
        String keyId = createKey(name, apisJson);
        long keysMade = provider.awsCalls().stream().filter(c -> c.startsWith("CreateApiKey@")).count();
        Response retry;
        if (order == RevokeRace.REVOKE_FIRST) {
            Gate revoking = provider.park(Point.BEFORE_REMOVE, keyId);
            CompletableFuture<Response> revoke = async(() -> revoke(keyId));
            revoking.awaitArrival();
            retry = create(name, apisJson);
            revoking.release();
            assertStatus(204, await(revoke));
        } else {
            // the retry has found the credential ACTIVE and holds no lease; the revoke runs to its end
            Gate fetching = provider.park(Point.BEFORE_FETCH, keyId);
            CompletableFuture<Response> retrying = async(() -> create(name, apisJson));
            fetching.awaitArrival();
            assertStatus(204, revoke(keyId));
            fetching.release();
            retry = await(retrying);
        }
        assertStatus(409, retry);
        assertEquals("conflict", retry.path("code"));
        assertEquals("appName: the credential of this app was revoked while this request ran; retry to issue a "
                + "new one", retry.path("message"));
        assertEquals("2", retry.header("Retry-After"));

        CredentialRecord record = recordOf(keyId);
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals(1, ledger.list(io.devportal.webhook.ledger.CredentialQuery.all(0)).stream()
                .filter(r -> r.appId().equals(record.appId())).count(), "no second credential in the ledger");
        assertEquals(keysMade, provider.awsCalls().stream().filter(c -> c.startsWith("CreateApiKey@")).count(),
                "no new key was made in AWS");
        List<ApiKey> keys = myKeysInAws();
        if (disableMode()) {
            assertEquals(1, keys.size(), keys.toString());
            assertEquals(keyId, keys.get(0).id());
            assertFalse(keys.get(0).enabled(), "revoke-mode DISABLE: the key is disabled");
        } else {
            assertEquals(List.of(), keys, "revoke-mode DELETE: the key is gone");
        }
        List<String> trail = auditTrail(record);
        assertTrue(trail.contains("REVOKE done") && trail.stream().noneMatch(t -> t.startsWith("RETIRE")),
                trail.toString());
        assertAtRest(0);

        // the 409's advice holds: the retry now issues a new credential
        String newKey = createKey(name, apisJson);
        assertNotEquals(keyId, newKey);
        assertAtRest(0);
    }

    // 3. reconcile while a portal update runs

    @Test
    void reconcileWhileAnUpdateIsParkedBeforeItsCompleteLeavesTheCredentialAloneAndTheUpdatesPlansStand()
            throws Exception {
        String name = app("reconcile skips");
        String keyId = createKey(name, onApi1(plans.get(0)));
        String credential = recordOf(keyId).id();
        Gate parked = provider.park(Point.AFTER_CONVERGE, keyId);
        CompletableFuture<Response> updating = async(() -> update(keyId, name, onApi1(plans.get(2))));
        parked.awaitArrival();
        assertEquals(set(plans.get(2)), plansInAws(keyId), "AWS has the update, the ledger not yet");

        Reconciler.Report report = reconciler.reconcile(true);
        List<Reconciler.Finding> about = findingsOf(report, credential);
        assertTrue(about.stream().allMatch(f -> Reconciler.BUSY.equals(f.action())),
                "reconcile skips the credential or reports it busy, never re-converges it: " + about);
        parked.release();
        assertStatus(204, await(updating));
        assertPlans(set(plans.get(2)), keyId);

        assertEquals(List.of(), findingsOf(reconciler.reconcile(true), credential), "no drift afterwards");
        assertPlans(set(plans.get(2)), keyId);
        assertAtRest(0);
    }

    @Test
    void reconcileThatFindsDriftWhileAnUpdateTakesTheLeaseReportsItBusyAndTheUpdatesPlansStand() throws Exception {
        String name = app("reconcile busy");
        String keyId = createKey(name, onApi1(plans.get(0)));
        String credential = recordOf(keyId).id();
        APIGW.createUsagePlanKey(b -> b.usagePlanId(plans.get(3)).keyId(keyId).keyType("API_KEY"));
        // reconcile has listed the ledger (no operation in progress) and is about to read the key
        Gate observing = provider.park(Point.BEFORE_OBSERVE, keyId);
        CompletableFuture<Reconciler.Report> reconciling = async(() -> reconciler.reconcile(true));
        observing.awaitArrival();
        Gate updating = provider.park(Point.BEFORE_CONVERGE, keyId);
        CompletableFuture<Response> update = async(() -> update(keyId, name, onApi1(plans.get(2))));
        updating.awaitArrival();
        observing.release();

        List<Reconciler.Finding> about = findingsOf(await(reconciling), credential);
        assertEquals(1, about.size(), about.toString());
        Reconciler.Finding drift = about.get(0);
        assertEquals(Reconciler.Kind.DRIFT, drift.kind());
        assertEquals(List.copyOf(set(plans.get(0))), drift.expected());
        assertEquals(List.copyOf(set(plans.get(0), plans.get(3))), drift.actual());
        assertEquals(Reconciler.BUSY, drift.action());
        updating.release();
        assertStatus(204, await(update));
        assertPlans(set(plans.get(2)), keyId);

        assertEquals(List.of(), findingsOf(reconciler.reconcile(true), credential), "no drift afterwards");
        assertAtRest(0);
    }

    @Test
    void anUpdateThatArrivesWhileReconcileReconvergesDriftWaitsForTheLeaseAndItsPlansStand() throws Exception {
        String name = app("reconcile first");
        String keyId = createKey(name, onApi1(plans.get(0)));
        String credential = recordOf(keyId).id();
        APIGW.createUsagePlanKey(b -> b.usagePlanId(plans.get(3)).keyId(keyId).keyType("API_KEY"));
        Gate reconverging = provider.park(Point.BEFORE_CONVERGE, keyId);
        CompletableFuture<Reconciler.Report> reconciling = async(() -> reconciler.reconcile(true));
        reconverging.awaitArrival();
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> update = async(() -> update(keyId, name, onApi1(plans.get(2))));
        waits.await();
        reconverging.release();

        List<Reconciler.Finding> about = findingsOf(await(reconciling), credential);
        assertEquals(1, about.size(), about.toString());
        assertEquals(Reconciler.Kind.DRIFT, about.get(0).kind());
        assertEquals(AuditTrail.DONE, about.get(0).action());
        assertStatus(204, await(update));
        assertPlans(set(plans.get(2)), keyId);

        assertEquals(List.of(), findingsOf(reconciler.reconcile(true), credential), "no drift afterwards");
        assertAtRest(0);
    }

    private static List<Reconciler.Finding> findingsOf(Reconciler.Report report, String credentialId) {
        return report.findings().stream().filter(f -> credentialId.equals(f.credentialId())).toList();
    }

    /**
     * A hybrid update whose client write AWS applied but whose answer was lost (every attempt): the
     * request undoes its own work at the answer, the client's name and scopes included (journaled
     * before UpdateUserPoolClient), and AWS equals the ledger.
     */
    @Test
    void aHybridUpdateThatFailsAfterTheClientChangedIsUndoneAtTheAnswerClientAndKey() {
        String name = app("hybrid undo");
        Hybrid hybrid = createHybrid(name);
        String clientId = hybrid.clientId();
        String keyId = hybrid.keyId();
        List<Object> before = hybrid.before();
        faults.fail("UpdateUserPoolClient", io.devportal.webhook.support.FaultInjector.Fault.RESPONSE_LOST, 1);

        // not among the recorded answers: this 502 is the one the test provokes
        Response failed = io.devportal.webhook.support.Api.update(HybridView.updateBody(clientId, name + " renamed",
                HybridView.otherHybridApis(plans.get(1))));
        assertEquals(502, failed.statusCode(), failed.asString());
        faults.reset();
        assertEquals(before, HybridView.state(userPool, clientId), "the client is as it was before the update");
        HybridView.assertClientAsLedger(ledger, userPool, clientId);
        assertPlans(set(plans.get(0)), keyId);
        CredentialRecord record = recordOf(keyId);
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
        assertAtRest(0);
    }

    /**
     * A hybrid update whose completion fails after all its AWS work (the outcome in doubt): it is
     * handed to the sweeper, which restores the client and the key from the journal.
     */
    @Test
    void aHybridUpdateWhoseCompletionFailsIsRestoredByTheSweeperClientAndKey() {
        db.update(FailingComplete.install());
        String name = app("hybrid complete");
        Hybrid hybrid = createHybrid(name);
        String clientId = hybrid.clientId();
        String keyId = hybrid.keyId();
        List<Object> before = hybrid.before();

        // not among the recorded answers: the failed completion is the one the test provokes
        Response failed = io.devportal.webhook.support.Api.update(HybridView.updateBody(clientId,
                name + " " + FailingComplete.MARKER, HybridView.otherHybridApis(plans.get(1))));
        assertTrue(failed.statusCode() >= 500, failed.asString());
        assertTrue(!before.equals(HybridView.state(userPool, clientId)), "the update changed the client");
        assertEquals(Operation.Status.IN_PROGRESS, ledger.operationsOf(recordOf(keyId).id()).get(1).status());

        assertEquals(1, sweeper.sweep(), "handed over at once: taken over");
        assertEquals(before, HybridView.state(userPool, clientId), "the sweeper restored the client");
        HybridView.assertClientAsLedger(ledger, userPool, clientId);
        assertPlans(set(plans.get(0)), keyId);
        assertAtRest(0);
    }
}
