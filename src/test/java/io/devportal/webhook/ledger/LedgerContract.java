package io.devportal.webhook.ledger;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.Before;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of {@link Ledger}, the same for every store: one subclass per store runs them all
 * (H2, PostgreSQL, DynamoDB). Every test works on its own apps and credentials (random ids), so
 * the tests do not depend on each other or on what other test classes left in a shared store.
 */
public abstract class LedgerContract {

    /** A fixed, microsecond-precise start, well in the past, so that stale queries are exact. */
    static final Instant T0 = Instant.parse("2025-03-04T05:06:07.123456Z");

    @Inject
    protected Ledger ledger;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static CredentialRecord pending(String appId, String appName, String developer, CredentialKind kind,
                                    boolean hybrid, Instant now) {
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold", "silver"), List.of("read"), kind));
        return new CredentialRecord(UUID.randomUUID().toString(), kind, hybrid, "aws", appId, appName, developer,
                null, null, apis, List.of("api1/read"), List.of(), CredentialRecord.Status.PENDING, now, now, null);
    }

    static CredentialRecord pending(String appId, Instant now) {
        return pending(appId, "App " + appId, "dev@example.com", CredentialKind.API_KEY, false, now);
    }

    static ResourceRef key(String id, String operationId) {
        return new ResourceRef("apigateway:api-key", id, "App (dev@example.com)", operationId);
    }

    /** A lease long enough to outlast any test. */
    static final Duration LEASE = Duration.ofMinutes(2);

    /** A time well after any short lease has expired, also by a store's clock-skew margin. */
    static Instant later() {
        return Instant.now().plus(Duration.ofMinutes(1));
    }

    /** A pending credential made active with API key {@code keyId}; returns it as the ledger holds it. */
    CredentialRecord active(String appId, String keyId, Instant now) {
        CredentialRecord p = pending(appId, now);
        Lease lease = ledger.beginCreate(p, LEASE, now).orElseThrow();
        ledger.completeCreate(lease, keyId, null, List.of("api1/read"), List.of(key(keyId, lease.operationId())), now);
        return ledger.find(p.id()).orElseThrow();
    }

    Lease begin(Operation.Kind kind, CredentialRecord r, Instant at) {
        return ledger.beginOperation(kind, r.id(), CredentialRecord.Status.ACTIVE, r.resources(), LEASE, at);
    }

    /** Begins with a lease that has run out by the time it returns. */
    Lease expired(Operation.Kind kind, CredentialRecord r) throws InterruptedException {
        Lease lease = ledger.beginOperation(kind, r.id(), CredentialRecord.Status.ACTIVE, r.resources(),
                Duration.ofMillis(1), Instant.now());
        Thread.sleep(30);
        return lease;
    }

    /** Who holds a lease, without its times (which tests check apart, in {@link #aLeaseSaysHowLongItHasBeenHeldAndWhenItMayBeTakenOverInTheStoresTime}). */
    public static LeaseState holder(String operationId, Operation.Kind kind, long fence, boolean expired) {
        return new LeaseState(operationId, kind, fence, expired, null, null);
    }

    /** {@code state} without its times. */
    public static LeaseState untimed(LeaseState state) {
        return holder(state.operationId(), state.kind(), state.fence(), state.expired());
    }

    /**
     * Moves the start of the credential's lease {@code by} into the past, in the store's own time;
     * {@code null} removes it, as a lease taken by a version that did not record it.
     */
    protected abstract void moveLeaseStartBack(String credentialId, Duration by);

    /** Whether leases expire in the store's own time (JDBC), so that an instance's clock cannot end one. */
    protected abstract boolean leasesExpireInStoreTime();

    /** Writes a journal row's resources as raw JSON, as another build of the webhook wrote them. */
    protected abstract void writeResourcesJson(String operationId, String json);

    /**
     * An update's journal row as the build before typed entries wrote it (the JSON below is that
     * build's, byte for byte: the key entry's state packed into {@code name}, version 1 and 0).
     */
    static final String UNTYPED_UPDATE_ROW = "[{\"type\":\"apigateway:api-key\",\"id\":\"k1\","
            + "\"name\":\"App (dev@example.com)\",\"operationId\":\"op-create\",\"target\":\"default\"},"
            + "{\"type\":\"apigateway:usage-plans-before-update\",\"id\":\"k1\","
            + "\"name\":\"v1;plans=p1%2Cp2;name=Kim%27s+app%2C+v2%3B+beta;customerId=kim%40example.com\","
            + "\"operationId\":\"op-update\",\"target\":\"default\"},"
            + "{\"type\":\"apigateway:usage-plans-before-update\",\"id\":\"k2\",\"name\":\"p1,p2\","
            + "\"operationId\":\"op-update\",\"target\":\"west\"}]";

    @Test
    void anUntypedJournalRowOfTheBuildBeforeReadsAsItWasWrittenAndTypedEntriesRoundTrip() {
        CredentialRecord r = active(unique("slug:typed"), "k1", T0);
        Lease update = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1));
        writeResourcesJson(update.operationId(), UNTYPED_UPDATE_ROW);
        assertEquals(List.of(new ResourceRef("apigateway:api-key", "k1", "App (dev@example.com)", "op-create"),
                        new ResourceRef("apigateway:usage-plans-before-update", "k1",
                                "v1;plans=p1%2Cp2;name=Kim%27s+app%2C+v2%3B+beta;customerId=kim%40example.com",
                                "op-update"),
                        new ResourceRef("apigateway:usage-plans-before-update", "k2", "p1,p2", "op-update", "west")),
                ledger.findOperation(update.operationId()).orElseThrow().resources(),
                "read as written: no place, no typed entry (the provider decodes the name)");

        Place east = new Place("123456789012", "us-east-1", null);
        List<ResourceRef> typed = List.of(
                new ResourceRef("apigateway:usage-plans-before-update", "k1", "v1;plans=p1", update.operationId(),
                        "default", east, new Before.Key(List.of("p1"), "Kim's app", null)),
                new ResourceRef("cognito:app-client-before-update", "c1", null, update.operationId(), "default",
                        new Place("123456789012", "us-east-1", "us-east-1_Pool"),
                        new Before.Client("Kim's app 0123456789", List.of("orders/read"), 60)));
        ledger.journalResources(update, typed, T0.plusSeconds(2));
        assertEquals(typed, ledger.findOperation(update.operationId()).orElseThrow().resources());
        ledger.failOperation(update, "x", T0.plusSeconds(3));
        assertEquals(typed, ledger.operationsOf(r.id()).get(1).resources());
    }

    @Test
    void beginCreateWritesAPendingCredentialThatClaimsTheAppAndAJournalRowInProgress() {
        String app = unique("slug:begin");
        CredentialRecord p = pending(app, "Begin app", "Dev@Example.com", CredentialKind.CLIENT_CREDENTIALS, true, T0);
        Lease lease = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        String op = lease.operationId();
        assertEquals(p.id(), lease.credentialId());

        CredentialRecord live = ledger.findLive(app).orElseThrow();
        assertEquals(p.id(), live.id());
        assertEquals(CredentialRecord.Status.PENDING, live.status());
        assertEquals(p.kind(), live.kind());
        assertTrue(live.hybrid());
        assertEquals("aws", live.provider());
        assertEquals(app, live.appId());
        assertEquals("Begin app", live.appName());
        assertEquals("Dev@Example.com", live.developer());
        assertEquals(p.apis(), live.apis());
        assertEquals(List.of("api1/read"), live.scopes());
        assertEquals(List.of(), live.resources());
        assertEquals(T0, live.createdAt());
        assertEquals(T0, live.updatedAt());
        assertNull(live.revokedAt());
        assertNull(live.apiKeyId());
        assertEquals(live, ledger.find(p.id()).orElseThrow());
        assertEquals(List.of(new Operation(op, Operation.Kind.CREATE, p.id(), Operation.Status.IN_PROGRESS, List.of(), T0)),
                ledger.operationsOf(p.id()));
        assertEquals(holder(op, Operation.Kind.CREATE, lease.fence(), false), untimed(ledger.lease(p.id()).orElseThrow()));
    }

    @Test
    void aSecondCreateOfAnAppWithALiveCredentialIsRefusedAndLeavesNothing() {
        String app = unique("slug:second");
        CredentialRecord first = pending(app, T0);
        Lease lease = ledger.beginCreate(first, LEASE, T0).orElseThrow();
        CredentialRecord second = pending(app, T0.plusSeconds(1));

        assertEquals(Optional.empty(), ledger.beginCreate(second, LEASE, T0.plusSeconds(1)));
        assertEquals(first.id(), ledger.findLive(app).orElseThrow().id());
        assertEquals(Optional.empty(), ledger.find(second.id()));
        assertEquals(List.of(), ledger.operationsOf(second.id()));

        // an active credential holds the app as firmly as a pending one
        ledger.completeCreate(lease, "k-" + UUID.randomUUID(), null, List.of(), List.of(), T0);
        assertEquals(Optional.empty(), ledger.beginCreate(pending(app, T0.plusSeconds(2)), LEASE, T0.plusSeconds(2)));
    }

    @Test
    void fiftyConcurrentCreatesOfOneAppLeaveExactlyOneCredential() throws Exception {
        String app = unique("slug:race");
        int n = 50;
        List<CredentialRecord> contenders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contenders.add(pending(app, T0));
        }
        List<Optional<Lease>> results = together(n, i -> ledger.beginCreate(contenders.get(i), LEASE, T0));
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (results.get(i).isPresent()) {
                winners.add(contenders.get(i).id());
            }
        }
        assertEquals(1, winners.size(), "winners: " + winners);
        assertEquals(winners.get(0), ledger.findLive(app).orElseThrow().id());
        for (CredentialRecord c : contenders) {
            if (!c.id().equals(winners.get(0))) {
                assertEquals(Optional.empty(), ledger.find(c.id()), "a losing create left a credential");
                assertEquals(List.of(), ledger.operationsOf(c.id()), "a losing create left a journal row");
            }
        }
        assertEquals(1, ledger.operationsOf(winners.get(0)).size());
    }

    /** Runs {@code n} calls released at the same moment; their results in order (a thrown exception as null). */
    static <T> List<T> together(int n, java.util.function.IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    try {
                        return call.apply(index);
                    } catch (LeaseRefused refused) {
                        return null;
                    }
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeaseSaysHowLongItHasBeenHeldAndWhenItMayBeTakenOverInTheStoresTime() {
        CredentialRecord r = active(unique("slug:timed"), unique("key"), T0);
        Lease lease = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1));
        LeaseState fresh = ledger.lease(r.id()).orElseThrow();
        assertBetween(Duration.ZERO, Duration.ofSeconds(5), fresh.held(), "held since the begin");
        assertBetween(LEASE.minusSeconds(5), LEASE.plusSeconds(5), fresh.takeableIn(), "taken over once it runs out");

        moveLeaseStartBack(r.id(), Duration.ofSeconds(40));
        LeaseRefused refused = assertThrows(LeaseRefused.class, () -> begin(Operation.Kind.REVOKE, r, T0.plusSeconds(2)));
        assertBetween(Duration.ofSeconds(40), Duration.ofSeconds(45), refused.holder().orElseThrow().held(),
                "a refusal names the holder's times too");
        assertBetween(LEASE.minusSeconds(5), LEASE.plusSeconds(5), refused.holder().orElseThrow().takeableIn(),
                "the lease's end did not move");
        ledger.failOperation(lease, "done", T0.plusSeconds(3));

        Lease again = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(4));
        assertBetween(Duration.ZERO, Duration.ofSeconds(5), ledger.lease(r.id()).orElseThrow().held(),
                "a new grant starts its own time");
        ledger.failOperation(again, "done", T0.plusSeconds(5));
    }

    @Test
    void aLeaseTakenByAVersionThatDidNotRecordItsStartStillReadsAndIsTakenOver() throws Exception {
        CredentialRecord r = active(unique("slug:old-lease"), unique("key"), T0);
        Lease old = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1));
        moveLeaseStartBack(r.id(), null);
        LeaseState read = ledger.lease(r.id()).orElseThrow();
        assertEquals(holder(old.operationId(), Operation.Kind.UPDATE, old.fence(), false), untimed(read));
        assertNull(read.held(), "no start recorded");
        assertBetween(LEASE.minusSeconds(5), LEASE.plusSeconds(5), read.takeableIn(), "its end still reads");
        ledger.failOperation(old, "done", T0.plusSeconds(2));

        Lease short1 = expired(Operation.Kind.REVOKE, r);
        moveLeaseStartBack(r.id(), null);
        assertTrue(ledger.lease(r.id()).orElseThrow().expired());
        assertTrue(ledger.lease(r.id()).orElseThrow().takeableIn().isNegative());
        Lease taken = ledger.takeOver(short1.operationId(), LEASE, later()).orElseThrow();
        assertNotNull(ledger.lease(r.id()).orElseThrow().held(), "the takeover records its own start");
        ledger.completeRevoke(taken, T0.plusSeconds(3));
    }

    private static void assertBetween(Duration low, Duration high, Duration actual, String what) {
        assertNotNull(actual, what);
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
                what + ": " + actual + " is not within [" + low + ", " + high + "]");
    }

    @Test
    void aLeasedCredentialRefusesASecondBeginUntilTheFirstEnds() {
        CredentialRecord r = active(unique("slug:leased"), unique("key"), T0);
        Lease first = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1));
        LeaseRefused refused = assertThrows(LeaseRefused.class, () -> begin(Operation.Kind.REVOKE, r, T0.plusSeconds(2)));
        assertTrue(refused.busy());
        assertEquals(holder(first.operationId(), Operation.Kind.UPDATE, first.fence(), false),
                untimed(refused.holder().orElseThrow()));
        assertEquals(2, ledger.operationsOf(r.id()).size(), "the refused begin wrote no journal row");

        ledger.failOperation(first, "upstream_error", T0.plusSeconds(3));
        assertEquals(Optional.empty(), ledger.lease(r.id()));
        Lease second = begin(Operation.Kind.REVOKE, r, T0.plusSeconds(4));
        assertTrue(second.fence() > first.fence(), "every grant raises the fence");
    }

    @Test
    void fiftyConcurrentBeginsOnOneCredentialGrantOneLease() throws Exception {
        CredentialRecord r = active(unique("slug:lease-race"), unique("key"), T0);
        List<Lease> granted = together(50, i -> begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1)));
        List<Lease> winners = granted.stream().filter(java.util.Objects::nonNull).toList();
        assertEquals(1, winners.size(), "leases granted: " + winners);
        assertEquals(winners.get(0).operationId(), ledger.lease(r.id()).orElseThrow().operationId());
        assertEquals(2, ledger.operationsOf(r.id()).size(), "only the winner journaled");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHoldersEveryWriteIsRefused() throws Exception {
        CredentialRecord r = active(unique("slug:takeover"), unique("key"), T0);
        Lease zombie = expired(Operation.Kind.UPDATE, r);
        assertTrue(ledger.lease(r.id()).orElseThrow().expired());

        Lease sweeper = ledger.takeOver(zombie.operationId(), LEASE, later()).orElseThrow();
        assertEquals(zombie.operationId(), sweeper.operationId());
        assertTrue(sweeper.fence() > zombie.fence());
        assertEquals(Optional.empty(), ledger.takeOver(zombie.operationId(), LEASE, later()), "one winner");

        Instant at = T0.plusSeconds(5);
        assertThrows(LeaseLost.class, () -> ledger.journalResources(zombie, List.of(key("z", "z")), at));
        assertThrows(LeaseLost.class, () -> ledger.completeUpdate(zombie, "Zombie", "z@example.com", List.of(),
                List.of(), List.of(), at));
        assertThrows(LeaseLost.class, () -> ledger.failOperation(zombie, "zombie", at));
        assertThrows(LeaseLost.class, () -> ledger.completeRevoke(zombie, at));
        ledger.abandon(zombie);
        assertFalse(ledger.lease(r.id()).orElseThrow().expired(), "a zombie cannot hand the lease away");
        assertEquals(r, ledger.find(r.id()).orElseThrow(), "the zombie changed nothing");

        ledger.failOperation(sweeper, "abandoned: restored", at);
        assertEquals(Operation.Status.FAILED, ledger.operationsOf(r.id()).get(1).status());
        assertEquals(Optional.empty(), ledger.lease(r.id()));
    }

    @Test
    void aLeaseThatHasNotExpiredIsNotTakenOver() {
        CredentialRecord r = active(unique("slug:no-takeover"), unique("key"), T0);
        Lease holder = begin(Operation.Kind.REVOKE, r, T0);
        assertEquals(Optional.empty(), ledger.takeOver(holder.operationId(), LEASE, Instant.now()));
        ledger.completeRevoke(holder, T0.plusSeconds(1));
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(r.id()).orElseThrow().status());
    }

    @Test
    void anAbandonedLeaseIsTakenOverAtOnce() {
        CredentialRecord r = active(unique("slug:abandon"), unique("key"), T0);
        Lease holder = begin(Operation.Kind.REVOKE, r, T0);
        ledger.abandon(holder);
        assertTrue(ledger.lease(r.id()).orElseThrow().expired());
        assertTrue(opIds(ledger.staleOperations(Instant.now())).contains(holder.operationId()));
        Lease taken = ledger.takeOver(holder.operationId(), LEASE, Instant.now()).orElseThrow();
        ledger.completeRevoke(taken, T0.plusSeconds(1));
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(r.id()).orElseThrow().status());
    }

    @Test
    void transitionsDemandTheirExpectedStatusAndTerminalStatesStayTerminal() {
        String app = unique("slug:terminal");
        CredentialRecord r = active(app, unique("key"), T0);
        Lease revoke = begin(Operation.Kind.REVOKE, r, T0.plusSeconds(1));
        ledger.completeRevoke(revoke, T0.plusSeconds(2));

        LeaseRefused refused = assertThrows(LeaseRefused.class, () -> begin(Operation.Kind.UPDATE, r, T0.plusSeconds(3)));
        assertFalse(refused.busy());
        assertEquals(Optional.of(CredentialRecord.Status.REVOKED), refused.status());
        assertThrows(LeaseLost.class, () -> ledger.completeRevoke(revoke, T0.plusSeconds(4)), "a repeated end");
        assertThrows(LeaseLost.class, () -> ledger.completeUpdate(revoke, "x", "x@example.com", List.of(), List.of(),
                List.of(), T0.plusSeconds(4)), "a revoked credential never takes new APIs");
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(r.id()).orElseThrow().status());

        // a rolled-back create never becomes active, and its journal row never becomes DONE
        CredentialRecord p = pending(unique("slug:terminal-create"), T0);
        Lease create = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        ledger.rollBackCreate(create, "timeout", T0.plusSeconds(1));
        assertThrows(LeaseLost.class, () -> ledger.completeCreate(create, "k", null, List.of(), List.of(), T0));
        assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(p.id()).orElseThrow().status());
        assertEquals(Operation.Status.ROLLED_BACK, ledger.operationsOf(p.id()).get(0).status());
        assertEquals(Optional.empty(), ledger.findLive(p.appId()));
        assertThrows(LeaseRefused.class, () -> ledger.beginOperation(Operation.Kind.UPDATE, p.id(),
                CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0));
    }

    @Test
    void aBeginJournalsTheCredentialsResourcesAsTheGrantFindsThemNotAsTheyWereReadBefore() {
        CredentialRecord read = active(unique("slug:journal"), unique("key"), T0);
        // while a revoke that read the credential waits for the lease, an update adds a key in another target
        Lease update = begin(Operation.Kind.UPDATE, read, T0);
        ResourceRef added = new ResourceRef("apigateway:api-key", unique("partner-key"), "App (dev@example.com)",
                update.operationId(), "partner");
        List<ResourceRef> both = List.of(read.resources().get(0), added);
        ledger.completeUpdate(update, read.appName(), read.developer(), read.apis(), read.scopes(), both, T0);

        Lease revoke = ledger.beginOperation(Operation.Kind.REVOKE, read.id(), CredentialRecord.Status.ACTIVE, LEASE,
                T0);
        assertEquals(both, ledger.findOperation(revoke.operationId()).orElseThrow().resources(),
                "the revoke's journal names both keys, the one the update added too");
        ledger.completeRevoke(revoke, T0);
        // the list form journals what it is given (a re-check starts empty)
        CredentialRecord other = active(unique("slug:journal-empty"), unique("key"), T0);
        Lease recheck = ledger.beginOperation(Operation.Kind.RETIRE, other.id(), CredentialRecord.Status.ACTIVE,
                List.of(), LEASE, T0);
        assertEquals(List.of(), ledger.findOperation(recheck.operationId()).orElseThrow().resources());
    }

    @Test
    void twoInstancesWithClocksTenMinutesApartNeverBothWrite() throws Exception {
        CredentialRecord r = active(unique("slug:skew"), unique("key"), T0);
        Instant aNow = Instant.now();
        Instant bNow = aNow.plus(Duration.ofMinutes(10));
        Lease a = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, r.resources(),
                LEASE, aNow);
        Optional<Lease> b = ledger.takeOver(a.operationId(), LEASE, bNow);
        if (leasesExpireInStoreTime()) {
            assertEquals(Optional.empty(), b, "an instance whose clock runs ahead cannot end a lease");
        }
        boolean aWrote = wrote(() -> ledger.completeUpdate(a, "A", "a@example.com", r.apis(), List.of(),
                r.resources(), aNow));
        boolean bWrote = b.isPresent() && wrote(() -> ledger.failOperation(b.get(), "B", bNow));
        assertTrue(aWrote ^ bWrote, "exactly one writer: a=" + aWrote + " b=" + bWrote);
    }

    private static boolean wrote(Runnable write) {
        try {
            write.run();
            return true;
        } catch (LeaseLost lost) {
            return false;
        }
    }

    @Test
    void everyResourceKeepsItsPlaceInTheCredentialAndInTheJournalAndAResourceWithoutOneReadsWithNone() {
        String app = unique("slug:place");
        CredentialRecord p = pending(app, "Placed", "p@example.com", CredentialKind.CLIENT_CREDENTIALS, true, T0);
        Lease lease = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        String op = lease.operationId();
        String keyId = unique("key");
        String clientId = unique("client");
        List<ResourceRef> made = List.of(
                key(keyId, op).withPlace(new io.devportal.webhook.model.Place("111122223333", "sa-east-1", null)),
                new ResourceRef("cognito:app-client", clientId, "c", op, "partner")
                        .withPlace(new io.devportal.webhook.model.Place("111122223333", "sa-east-1", "sa-east-1_P")),
                key(unique("old"), op)); // as a row before places: no place
        ledger.journalResources(lease, made, T0.plusMillis(5));
        assertEquals(made, ledger.findOperation(op).orElseThrow().resources());
        ledger.completeCreate(lease, keyId, clientId, List.of("orders/read"), made, T0.plusSeconds(1));
        List<ResourceRef> read = ledger.find(p.id()).orElseThrow().resources();
        assertEquals(made, read);
        assertEquals(List.of(true, true, false), read.stream().map(ResourceRef::placeRecorded).toList());
        assertEquals("sa-east-1_P", read.get(1).place().userPool());
    }

    @Test
    void completeCreateActivatesTheCredentialWithItsIdsAndClosesItsJournalRow() {
        String app = unique("slug:complete");
        CredentialRecord p = pending(app, "Hybrid", "h@example.com", CredentialKind.CLIENT_CREDENTIALS, true, T0);
        Lease lease = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        String op = lease.operationId();
        String keyId = unique("key");
        String clientId = unique("client");
        List<ResourceRef> made = List.of(key(keyId, op), new ResourceRef("cognito:app-client", clientId, "c", op));
        ledger.journalResources(lease, made, T0.plusMillis(5));
        Instant done = T0.plusSeconds(2);
        ledger.completeCreate(lease, keyId, clientId, List.of("orders/read"), made, done);

        CredentialRecord r = ledger.find(p.id()).orElseThrow();
        assertEquals(CredentialRecord.Status.ACTIVE, r.status());
        assertEquals(keyId, r.apiKeyId());
        assertEquals(clientId, r.clientId());
        assertEquals(List.of("orders/read"), r.scopes());
        assertEquals(made, r.resources());
        assertEquals(T0, r.createdAt());
        assertEquals(done, r.updatedAt());
        assertEquals(r, ledger.findLive(app).orElseThrow());
        assertEquals(List.of(new Operation(op, Operation.Kind.CREATE, p.id(), Operation.Status.DONE, made, T0)),
                ledger.operationsOf(p.id()));
        assertEquals(Optional.empty(), ledger.lease(p.id()), "completion releases the lease");
        // a hybrid credential is found by its client and by its API key
        assertEquals(r, ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow());
        assertEquals(r, ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow());
        assertEquals(Optional.empty(), ledger.findByExternalId(CredentialKind.API_KEY, clientId));
    }

    @Test
    void rollBackCreateReleasesTheAppAndRollsTheJournalRowBack() {
        String app = unique("slug:rollback");
        CredentialRecord p = pending(app, T0);
        Lease lease = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        ledger.rollBackCreate(lease, "upstream_error", T0.plusSeconds(1));

        CredentialRecord r = ledger.find(p.id()).orElseThrow();
        assertEquals(CredentialRecord.Status.ROLLED_BACK, r.status());
        assertEquals(T0.plusSeconds(1), r.updatedAt());
        assertEquals(Optional.empty(), ledger.findLive(app));
        assertEquals(Operation.Status.ROLLED_BACK, ledger.operationsOf(p.id()).get(0).status());
        // the app can be created again
        CredentialRecord again = pending(app, T0.plusSeconds(2));
        assertTrue(ledger.beginCreate(again, LEASE, T0.plusSeconds(2)).isPresent());
        assertEquals(again.id(), ledger.findLive(app).orElseThrow().id());
    }

    @Test
    void aRepeatedRollbackOrRevokeIsRefusedAndNeverReleasesTheAppsNewerCredential() {
        String app = unique("slug:repeat");
        CredentialRecord first = pending(app, T0);
        Lease create = ledger.beginCreate(first, LEASE, T0).orElseThrow();
        ledger.rollBackCreate(create, "timeout", T0.plusSeconds(1));
        CredentialRecord second = active(app, unique("key"), T0.plusSeconds(2));
        Lease revoke = begin(Operation.Kind.REVOKE, second, T0.plusSeconds(3));
        ledger.completeRevoke(revoke, T0.plusSeconds(4));
        CredentialRecord third = active(app, unique("key"), T0.plusSeconds(5));

        // the sweeper or a retry repeats the ends of the older ones
        assertThrows(LeaseLost.class, () -> ledger.rollBackCreate(create, "timeout", T0.plusSeconds(6)));
        assertThrows(LeaseLost.class, () -> ledger.completeRevoke(revoke, T0.plusSeconds(6)));

        assertEquals(third.id(), ledger.findLive(app).orElseThrow().id());
        assertEquals(Optional.empty(), ledger.beginCreate(pending(app, T0.plusSeconds(7)), LEASE, T0.plusSeconds(7)));
        assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(first.id()).orElseThrow().status());
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(second.id()).orElseThrow().status());
    }

    @Test
    void revokeEndsTheCredentialForGoodAndFreesTheAppForANewOne() {
        String app = unique("slug:revoke");
        String keyId = unique("key");
        CredentialRecord r = active(app, keyId, T0);
        Instant at = T0.plusSeconds(10);
        Lease lease = begin(Operation.Kind.REVOKE, r, at);
        assertEquals(Operation.Status.IN_PROGRESS, ledger.operationsOf(r.id()).get(1).status());
        assertEquals(r.resources(), ledger.operationsOf(r.id()).get(1).resources());
        ledger.completeRevoke(lease, at.plusSeconds(1));

        CredentialRecord revoked = ledger.find(r.id()).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, revoked.status());
        assertEquals(at.plusSeconds(1), revoked.revokedAt());
        assertEquals(Optional.empty(), ledger.findLive(app));
        assertEquals(revoked, ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.REVOKE),
                ledger.operationsOf(r.id()).stream().map(Operation::kind).toList());
        assertEquals(Operation.Status.DONE, ledger.operationsOf(r.id()).get(1).status());
        CredentialRecord next = active(app, unique("key"), at.plusSeconds(2));
        assertEquals(next.id(), ledger.findLive(app).orElseThrow().id());
    }

    @Test
    void completeUpdateTakesTheNewNameDeveloperApisScopesAndResources() {
        String app = unique("slug:update");
        CredentialRecord r = active(app, unique("key"), T0);
        Instant at = T0.plusSeconds(20);
        Lease lease = begin(Operation.Kind.UPDATE, r, at);
        List<ApiAccess> apis = List.of(new ApiAccess("api2", List.of("bronze"), List.of(), CredentialKind.API_KEY),
                new ApiAccess("api3", List.of("bronze", "platinum"), List.of(), CredentialKind.API_KEY));
        List<ResourceRef> resources = List.of(key(r.apiKeyId(), lease.operationId()));
        ledger.completeUpdate(lease, "Renamed", "new@example.com", apis, List.of("x/y"), resources, at.plusSeconds(1));

        CredentialRecord u = ledger.find(r.id()).orElseThrow();
        assertEquals("Renamed", u.appName());
        assertEquals("new@example.com", u.developer());
        assertEquals(apis, u.apis());
        assertEquals(List.of("x/y"), u.scopes());
        assertEquals(resources, u.resources());
        assertEquals(CredentialRecord.Status.ACTIVE, u.status());
        assertEquals(at.plusSeconds(1), u.updatedAt());
        assertEquals(T0, u.createdAt());
        assertEquals(r.apiKeyId(), u.apiKeyId());
        assertEquals(Operation.Status.DONE, ledger.operationsOf(r.id()).get(1).status());
    }

    @Test
    void aFailedOperationLeavesTheCredentialAsItWas() {
        String app = unique("slug:fail");
        CredentialRecord r = active(app, unique("key"), T0);
        Lease lease = begin(Operation.Kind.UPDATE, r, T0.plusSeconds(1));
        ledger.failOperation(lease, "upstream_error: " + "x".repeat(2000), T0.plusSeconds(2));

        assertEquals(r, ledger.find(r.id()).orElseThrow());
        assertEquals(r, ledger.findLive(app).orElseThrow());
        Operation failed = ledger.operationsOf(r.id()).get(1);
        assertEquals(lease.operationId(), failed.id());
        assertEquals(Operation.Status.FAILED, failed.status());
        assertThrows(LeaseLost.class, () -> ledger.completeUpdate(lease, "x", "x@example.com", List.of(), List.of(),
                List.of(), T0.plusSeconds(3)), "a FAILED row never becomes DONE");
    }

    @Test
    void theJournalHoldsTheLatestResourceListAndListsACredentialsRowsOldestFirst() {
        String app = unique("slug:journal");
        CredentialRecord r = active(app, unique("key"), T0);
        Lease update = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0.plusSeconds(3));
        String u = update.operationId();
        ledger.journalResources(update, List.of(key("a", u)), T0.plusSeconds(4));
        ledger.journalResources(update, List.of(key("a", u), key("b", u)), T0.plusSeconds(5));
        ledger.failOperation(update, "x", T0.plusSeconds(5));
        Lease revoke = ledger.beginOperation(Operation.Kind.REVOKE, r.id(), CredentialRecord.Status.ACTIVE,
                List.of(key("a", u)), LEASE, T0.plusSeconds(6));

        List<Operation> journal = ledger.operationsOf(r.id());
        assertEquals(3, journal.size());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.UPDATE, Operation.Kind.REVOKE),
                journal.stream().map(Operation::kind).toList());
        assertEquals(List.of(T0, T0.plusSeconds(3), T0.plusSeconds(6)), journal.stream().map(Operation::startedAt).toList());
        assertEquals(new Operation(u, Operation.Kind.UPDATE, r.id(), Operation.Status.FAILED,
                List.of(key("a", u), key("b", u)), T0.plusSeconds(3)), journal.get(1));
        assertEquals(new Operation(revoke.operationId(), Operation.Kind.REVOKE, r.id(), Operation.Status.IN_PROGRESS,
                List.of(key("a", u)), T0.plusSeconds(6)), journal.get(2));
        assertEquals(Optional.of(journal.get(2)), ledger.findOperation(revoke.operationId()));
        assertTrue(opIds(ledger.operationsInProgress()).contains(revoke.operationId()));
        assertEquals(List.of(), ledger.operationsOf(UUID.randomUUID().toString()));
    }

    @Test
    void staleOperationsAreTheOnesStillInProgressWhoseLeaseExpired() throws Exception {
        Instant base = T0.minus(Duration.ofDays(400)).plusMillis((long) (Math.random() * 1_000_000));
        CredentialRecord old = pending(unique("slug:stale-old"), base);
        Lease oldOp = ledger.beginCreate(old, Duration.ofMillis(1), base).orElseThrow();
        CredentialRecord young = pending(unique("slug:stale-young"), base.plusSeconds(60));
        Lease youngOp = ledger.beginCreate(young, LEASE, base.plusSeconds(60)).orElseThrow();
        CredentialRecord finished = pending(unique("slug:stale-done"), base);
        Lease finishedOp = ledger.beginCreate(finished, Duration.ofMillis(1), base).orElseThrow();
        ledger.rollBackCreate(finishedOp, "x", base.plusSeconds(1));
        CredentialRecord active = active(unique("slug:stale-update"), unique("key"), base);
        Lease updateOp = expired(Operation.Kind.UPDATE, active);

        List<String> stale = opIds(ledger.staleOperations(later()));
        assertTrue(stale.contains(oldOp.operationId()), "the expired create is stale");
        assertTrue(stale.contains(updateOp.operationId()), "the expired update is stale");
        assertFalse(stale.contains(youngOp.operationId()), "an operation whose lease runs is not stale");
        assertFalse(stale.contains(finishedOp.operationId()), "a finished operation is never stale");
        Operation o = ledger.staleOperations(later()).stream().filter(x -> x.id().equals(oldOp.operationId()))
                .findFirst().orElseThrow();
        assertEquals(new Operation(oldOp.operationId(), Operation.Kind.CREATE, old.id(), Operation.Status.IN_PROGRESS,
                List.of(), base), o);

        Lease taken = ledger.takeOver(updateOp.operationId(), LEASE, later()).orElseThrow();
        assertFalse(opIds(ledger.staleOperations(later())).contains(updateOp.operationId()), "taken over: leased again");
        ledger.failOperation(taken, "closed", base.plusSeconds(40));
        assertFalse(opIds(ledger.staleOperations(later())).contains(updateOp.operationId()), "a failed row is not stale");
    }

    private static List<String> opIds(List<Operation> operations) {
        return operations.stream().map(Operation::id).toList();
    }

    @Test
    void findByExternalIdReturnsTheNewestActiveOrRevokedCredentialAndNeverAPendingOne() {
        String keyId = unique("key");
        assertEquals(Optional.empty(), ledger.findByExternalId(CredentialKind.API_KEY, keyId));
        CredentialRecord older = active(unique("slug:ext-a"), keyId, T0);
        ledger.completeRevoke(begin(Operation.Kind.REVOKE, older, T0.plusSeconds(1)), T0.plusSeconds(1));
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());

        CredentialRecord newer = active(unique("slug:ext-b"), keyId, T0.plusSeconds(5));
        assertEquals(newer.id(), ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());
        assertEquals(Optional.empty(), ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, keyId));

        // a pending create is invisible by external id, whatever it will become
        CredentialRecord p = pending(unique("slug:ext-pending"), T0.plusSeconds(9));
        ledger.beginCreate(p, LEASE, T0.plusSeconds(9)).orElseThrow();
        assertEquals(newer.id(), ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());
    }

    @Test
    void listFiltersByAppDeveloperStatusAndTypeOldestFirstUpToTheLimit() {
        String tag = UUID.randomUUID().toString();
        String developer = "List." + tag + "@Example.com";
        CredentialRecord a = pending("slug:list-a-" + tag, "List A " + tag, developer, CredentialKind.API_KEY, false, T0);
        Lease opA = ledger.beginCreate(a, LEASE, T0).orElseThrow();
        ledger.completeCreate(opA, unique("key"), null, List.of(), List.of(), T0);
        CredentialRecord b = pending("slug:list-b-" + tag, "List B " + tag, developer.toLowerCase(),
                CredentialKind.CLIENT_CREDENTIALS, false, T0.plusSeconds(1));
        ledger.beginCreate(b, LEASE, T0.plusSeconds(1)).orElseThrow();
        CredentialRecord c = pending("slug:list-c-" + tag, "List C " + tag, developer.toUpperCase(),
                CredentialKind.API_KEY, false, T0.plusSeconds(2));
        Lease opC = ledger.beginCreate(c, LEASE, T0.plusSeconds(2)).orElseThrow();
        ledger.rollBackCreate(opC, "x", T0.plusSeconds(3));

        assertEquals(List.of(a.id(), b.id(), c.id()), ids(ledger.list(new CredentialQuery(null, developer, null, null, 10))));
        assertEquals(List.of(a.id(), b.id()), ids(ledger.list(new CredentialQuery(null, developer, null, null, 2))));
        assertEquals(List.of(b.id()), ids(ledger.list(new CredentialQuery("slug:list-b-" + tag, null, null, null, 10))));
        assertEquals(List.of(c.id()), ids(ledger.list(new CredentialQuery("List C " + tag, null, null, null, 10))));
        assertEquals(List.of(a.id()), ids(ledger.list(
                new CredentialQuery(null, developer, CredentialRecord.Status.ACTIVE, null, 10))));
        assertEquals(List.of(b.id()), ids(ledger.list(
                new CredentialQuery(null, developer, null, CredentialKind.CLIENT_CREDENTIALS, 10))));
        assertEquals(List.of(c.id()), ids(ledger.list(
                new CredentialQuery(null, developer, CredentialRecord.Status.ROLLED_BACK, CredentialKind.API_KEY, 10))));
        assertEquals(List.of(), ledger.list(new CredentialQuery("List " + tag, null, null, null, 10)));
        CredentialRecord listed = ledger.list(new CredentialQuery("slug:list-a-" + tag, null, null, null, 1)).get(0);
        assertEquals(ledger.find(a.id()).orElseThrow(), listed);
    }

    private static List<String> ids(java.util.Collection<CredentialRecord> records) {
        return records.stream().map(CredentialRecord::id).toList();
    }

    @Test
    void erasingPersonalDataKeepsIdsAndOutcomesAndNeverTouchesALiveCredential() {
        String tag = UUID.randomUUID().toString();
        String appId = "app:Erase " + tag + "\ne@example.com";
        CredentialRecord ended = active(appId, unique("key"), T0);
        ledger.completeRevoke(begin(Operation.Kind.REVOKE, ended, T0.plusSeconds(1)), T0.plusSeconds(1));
        CredentialRecord revoked = ledger.find(ended.id()).orElseThrow();
        CredentialRecord live = active("app:Keep " + tag + "\nk@example.com", unique("key"), T0);
        AuditRecord issued = new AuditRecord(UUID.randomUUID().toString(), T0, "CREATE", "issued", ended.id(),
                ended.apiKeyId(), null, appId, "Erase " + tag, "e@example.com", List.of(ended.apiKeyId()), "primary",
                "203.0.113.9", "req-e");
        AuditRecord refused = new AuditRecord(UUID.randomUUID().toString(), T0, "CREATE", "unprocessable", null, null,
                null, appId, "Erase " + tag, "e@example.com", List.of(), "primary", null, null);
        ledger.appendAudit(issued);
        ledger.appendAudit(refused);

        ledger.erasePersonalData(revoked);
        ledger.erasePersonalData(live);

        CredentialRecord erased = ledger.find(ended.id()).orElseThrow();
        assertEquals(Ledger.ERASED, erased.appName());
        assertEquals(Ledger.ERASED, erased.developer());
        assertEquals("erased:" + Ledger.appHash(appId), erased.appId());
        assertEquals(List.of(revoked.id(), revoked.apiKeyId(), revoked.status(), revoked.revokedAt(), revoked.apis()),
                List.of(erased.id(), erased.apiKeyId(), erased.status(), erased.revokedAt(), erased.apis()));
        assertEquals(live, ledger.find(live.id()).orElseThrow(), "a live credential is never erased");
        List<AuditRecord> trail = new ArrayList<>(ledger.audit(new AuditRecord.Query(null, null, ended.id(), 0)));
        trail.addAll(ledger.audit(new AuditRecord.Query(null, "erased:" + Ledger.appHash(appId), null, 0)).stream()
                .filter(r -> r.credentialId() == null).toList());
        assertEquals(List.of(
                        List.of(issued.id(), "issued", ended.apiKeyId(), "erased:" + Ledger.appHash(appId), Ledger.ERASED,
                                Ledger.ERASED),
                        List.of(refused.id(), "unprocessable", "-", "erased:" + Ledger.appHash(appId), Ledger.ERASED,
                                Ledger.ERASED)),
                trail.stream().map(r -> List.of(r.id(), r.outcome(), r.apiKeyId() == null ? "-" : r.apiKeyId(),
                        r.appId(), r.appName(), r.developer())).toList());
        assertEquals(List.of(), ledger.audit(new AuditRecord.Query(null, appId, null, 0)), "nothing readable is left");
    }

    @Test
    void auditRecordsAreAppendedOnceAndReadOldestFirstByCredentialAppAndTime() {
        String tag = UUID.randomUUID().toString();
        String credentialId = UUID.randomUUID().toString();
        String app = "slug:audit-" + tag;
        AuditRecord created = new AuditRecord(UUID.randomUUID().toString(), T0, "CREATE", "issued", credentialId,
                "key-" + tag, null, app, "Audit " + tag, "a@example.com", List.of("key-" + tag), "primary",
                "203.0.113.7", "req-1");
        AuditRecord updated = new AuditRecord(UUID.randomUUID().toString(), T0.plusSeconds(5), "UPDATE", "done",
                credentialId, "key-" + tag, null, app, "Audit " + tag, "a@example.com", List.of("key-" + tag),
                "primary", "203.0.113.7", "req-2");
        AuditRecord failed = new AuditRecord(UUID.randomUUID().toString(), T0.plusSeconds(9), "CREATE", "upstream_error",
                null, null, null, "slug:other-" + tag, "Audit " + tag, "b@example.com", List.of(), "system", null, null);
        ledger.appendAudit(updated);
        ledger.appendAudit(created);
        ledger.appendAudit(failed);

        assertEquals(List.of(created, updated), ledger.audit(new AuditRecord.Query(null, null, credentialId, 10)));
        // a limit keeps the newest records: the tail of the trail
        assertEquals(List.of(updated), ledger.audit(new AuditRecord.Query(null, null, credentialId, 1)));
        assertEquals(List.of(updated), ledger.audit(new AuditRecord.Query(T0.plusSeconds(5), null, credentialId, 10)));
        assertEquals(List.of(created, updated), ledger.audit(new AuditRecord.Query(null, app, null, 10)));
        assertEquals(List.of(created, updated, failed), ledger.audit(new AuditRecord.Query(null, "Audit " + tag, null, 10)));

        // append-only: a record is never replaced
        AuditRecord forged = new AuditRecord(created.id(), T0, "REVOKE", "done", credentialId, null, null, app,
                "Audit " + tag, "a@example.com", List.of(), "primary", null, null);
        assertThrows(RuntimeException.class, () -> ledger.appendAudit(forged));
        assertEquals(List.of(created, updated), ledger.audit(new AuditRecord.Query(null, null, credentialId, 10)));
    }
}
