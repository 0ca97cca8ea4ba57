package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.support.LatchedProvider.Gate;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.TestClock;
import io.devportal.webhook.support.TimePasses;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweeper acting on a slow operation, through the AWS provider on moto behind StrictAws, with
 * short timings (deadline 1 s, undo 0.8 s, attempts 0.5 s, skew 0.2 s, lease 3.2 s): an operation parked past its
 * lease is taken over by the sweeper only once the lease has expired (one winner), the sweeper
 * undoes it under its own fence, and the zombie, released afterwards, answers 503 and makes no AWS
 * write. The lease's time passes in the ledger's and the service's clocks ({@link TimePasses}), not
 * waited for. Run in both revoke modes by the two subclasses.
 */
abstract class AwsOverlapTakeoverTest extends AwsOverlapInvariants {
    static final Duration LEASE = Duration.ofMillis(3200);

    /** The timings of the takeover profiles: TimingCheck needs lease > deadline + undo + 2 x attempt + skew. */
    static String[] shortTimings() {
        return new String[] {"webhook.request.deadline", "PT1S", "webhook.request.undo-time", "PT0.8S",
                "webhook.lease.clock-skew", "PT0.2S", "webhook.lease.duration", "PT" + LEASE.toMillis() / 1000.0 + "S",
                "webhook.lease.wait", "PT0.2S", "webhook.aws.attempt-timeout", "PT0.5S"};
    }

    /** Where the update is parked: after it detached bronze (AWS changed half-way), or after all its AWS work. */
    enum UpdateParked { AFTER_DETACH, BEFORE_COMPLETE }

    /** Where the create is parked: its key made but not on its plan yet, or the key complete. */
    enum CreateParked { KEY_MADE_NOT_ATTACHED, BEFORE_COMPLETE }

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    /** The lease's time passes (and the parked request's deadline with it), without waiting for it. */
    private void outliveTheLease() {
        TimePasses.by(LEASE.plusMillis(300), db, clock);
    }

    @ParameterizedTest
    @EnumSource(UpdateParked.class)
    void anUpdateParkedPastItsLeaseIsRestoredByTheSweeperAndTheZombieAnswers503AndAwsKeepsThePreUpdatePlans(
            UpdateParked where) throws Exception {
        String name = app("zombie update");
        String bronze = tiers.get(0);
        String keyId = createKey(name, apis(api(MotoResource.TIER_API, bronze)));
        Gate parked = where == UpdateParked.AFTER_DETACH ? provider.parkAws("CreateUsagePlanKey", keyId)
                : provider.park(Point.AFTER_CONVERGE, keyId);
        CompletableFuture<Response> zombie = async(() -> update(keyId, name, apis(api(MotoResource.TIER_API,
                tiers.get(1)))));
        parked.awaitArrival();
        assertEquals(where == UpdateParked.AFTER_DETACH ? Set.of() : set(tiers.get(1)), plansInAws(keyId));
        assertEquals(0, sweeper.sweep(), "the lease still runs: nothing to take over");
        outliveTheLease();
        assertEquals(1, sweeper.sweep(), "the lease expired: taken over");
        assertEquals(0, sweeper.sweep(), "one winner");
        assertEquals(set(bronze), plansInAws(keyId), "the sweeper restored the plans before the update");

        long releasedAt = System.currentTimeMillis();
        parked.release();
        assertDeadline(await(zombie));
        assertNoAwsWriteSince(releasedAt);
        assertPlans(set(bronze), keyId);
        CredentialRecord record = recordOf(keyId);
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
        assertEquals("abandoned: the previous state was restored by the sweeper", db.string(
                "SELECT error FROM operation WHERE credential_id = ? AND kind = 'UPDATE'", record.id()));
        assertTrue(auditTrail(record).contains("SWEEP done"), auditTrail(record).toString());
        assertAtRest(1);

        assertStatus(204, update(keyId, name, apis(api(MotoResource.TIER_API, tiers.get(1)))));
        assertPlans(set(tiers.get(1)), keyId);
        assertAtRest(1);
    }

    @ParameterizedTest
    @EnumSource(CreateParked.class)
    void aCreateParkedPastItsLeaseIsRolledBackByTheSweeperAndAnswers503WithNoKeyLeftInAws(CreateParked where)
            throws Exception {
        String name = app("zombie create");
        String apisJson = onApi1(plans.get(0));
        Gate parked = where == CreateParked.KEY_MADE_NOT_ATTACHED ? provider.parkAws("CreateUsagePlanKey", null)
                : provider.park(Point.AFTER_ISSUE, name);
        CompletableFuture<Response> zombie = async(() -> create(name, apisJson));
        parked.awaitArrival();
        assertEquals(1, myKeysInAws().size(), "the create's key exists while it is parked");
        assertEquals(0, sweeper.sweep(), "the lease still runs: nothing to take over");
        outliveTheLease();
        assertEquals(1, sweeper.sweep(), "the lease expired: taken over");
        assertEquals(0, sweeper.sweep(), "one winner");
        assertEquals(List.of(), myKeysInAws(), "the sweeper deleted the key (a rollback deletes in every mode)");

        long releasedAt = System.currentTimeMillis();
        parked.release();
        assertDeadline(await(zombie));
        assertNoAwsWriteSince(releasedAt);
        assertEquals(List.of(), myKeysInAws(), "no key left in AWS");
        List<CredentialRecord> mine = myCredentials();
        assertEquals(1, mine.size(), mine.toString());
        assertEquals(CredentialRecord.Status.ROLLED_BACK, mine.get(0).status());
        assertAtRest(1);

        createKey(name, apisJson);
        assertAtRest(1);
    }

    /**
     * A hybrid update parked after all its AWS work (the client renamed and given other scopes, the
     * key moved) past its lease: the sweeper restores the client and the key from the typed journal
     * entries, and the zombie answers 503. AWS equals the ledger at rest.
     */
    @org.junit.jupiter.api.Test
    void aHybridUpdateParkedPastItsLeaseIsRestoredByTheSweeperClientAndKey() throws Exception {
        String name = app("zombie hybrid");
        Hybrid hybrid = createHybrid(name);
        String clientId = hybrid.clientId();
        String keyId = hybrid.keyId();
        List<Object> before = hybrid.before();
        Gate parked = provider.park(Point.AFTER_CONVERGE, clientId);
        CompletableFuture<Response> zombie = async(() -> updateClient(clientId, name + " renamed",
                HybridView.otherHybridApis(plans.get(1))));
        parked.awaitArrival();
        assertTrue(!before.equals(HybridView.state(userPool, clientId)), "the update changed the client");
        assertEquals(set(plans.get(1)), plansInAws(keyId), "and moved the key");
        outliveTheLease();
        assertEquals(1, sweeper.sweep(), "the lease expired: taken over");
        assertEquals(before, HybridView.state(userPool, clientId), "the sweeper restored the client");
        assertEquals(set(plans.get(0)), plansInAws(keyId), "and the key");

        parked.release();
        assertDeadline(await(zombie));
        assertEquals(before, HybridView.state(userPool, clientId));
        HybridView.assertClientAsLedger(ledger, userPool, clientId);
        assertPlans(set(plans.get(0)), keyId);
        assertAtRest(1);
    }
}
