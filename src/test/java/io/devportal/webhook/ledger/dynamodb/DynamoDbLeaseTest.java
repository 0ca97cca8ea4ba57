package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseLost;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.LedgerContract;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.DynamoDbMoto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB ledger's lease and fence, on the one-request-at-a-time moto ({@link DynamoDbMoto}),
 * with ledgers whose clocks the tests set. No Quarkus: each test has its own small table.
 * <p>
 * What moto can prove: the condition expressions the ledger sends, evaluated against the items,
 * one transaction at a time (DynamoDB runs transactions serializably, so a serial history is one
 * DynamoDB may produce), with the race real on the client side (50 threads and connections).
 * What it cannot: DynamoDB's own isolation of transactions that truly overlap in the service
 * (its TransactionConflict cancellations); that is DynamoDB's promise, not tested here.
 */
class DynamoDbLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration SKEW = DynamoDbLedger.DEFAULT_CLOCK_SKEW;
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final List<TransactWriteItemsRequest> sent = new CopyOnWriteArrayList<>();
    private DynamoDbClient client;
    private String table;
    private SetClock clock;
    private DynamoDbLedger ledger;

    /** A clock the test sets. */
    static final class SetClock extends Clock {
        private final AtomicReference<Instant> now;

        SetClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void freshTable() {
        client = DynamoDbClient.builder()
                .httpClient(Apache5HttpClient.builder().maxConnections(64).build())
                .endpointOverride(URI.create(DynamoDbMoto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(120))
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes a) {
                                if (context.request() instanceof TransactWriteItemsRequest t) {
                                    sent.add(t);
                                }
                            }
                        }))
                .build();
        table = "lease-" + UUID.randomUUID();
        DynamoDbTable.create(client, table);
        clock = new SetClock(T0);
        ledger = ledger(clock);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private DynamoDbLedger ledger(Clock c) {
        return new DynamoDbLedger(client, table, Duration.ofDays(7), c, SKEW);
    }

    private static CredentialRecord pending(Instant now) {
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        return new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false, "aws",
                "slug:lease-" + UUID.randomUUID(), "App", "dev@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
    }

    /** An active credential, its create's lease released. */
    private CredentialRecord active(Instant now) {
        CredentialRecord p = pending(now);
        Lease create = ledger.beginCreate(p, LEASE, now).orElseThrow();
        ledger.completeCreate(create, "key-" + UUID.randomUUID(), null, List.of(), List.of(), now);
        return ledger.find(p.id()).orElseThrow();
    }

    @Test
    void fiftyConcurrentBeginsOnOneCredentialGrantExactlyOneLease() throws Exception {
        CredentialRecord r = active(T0);
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE,
                                List.of(), LEASE, T0.plusSeconds(1));
                    } catch (LeaseRefused refused) {
                        return refused;
                    }
                }));
            }
            start.countDown();
            List<Lease> granted = new ArrayList<>();
            List<LeaseRefused> refused = new ArrayList<>();
            for (Future<Object> f : results) {
                Object o = f.get(5, TimeUnit.MINUTES);
                if (o instanceof Lease lease) {
                    granted.add(lease);
                } else {
                    refused.add((LeaseRefused) o);
                }
            }
            assertEquals(1, granted.size(), "exactly one begin is granted");
            Lease winner = granted.get(0);
            assertEquals(2, winner.fence(), "the create had fence 1; one grant raised it once");
            for (LeaseRefused loser : refused) {
                assertTrue(loser.busy());
                assertEquals(winner.operationId(), loser.holder().orElseThrow().operationId());
                assertEquals(Optional.of(CredentialRecord.Status.ACTIVE), loser.status());
            }
            assertEquals(Optional.of(LedgerContract.holder(winner.operationId(), Operation.Kind.UPDATE, 2, false)),
                    ledger.lease(r.id()).map(LedgerContract::untimed));
            assertEquals(2, ledger.operationsOf(r.id()).size(), "a refused begin leaves no journal row");
            assertEquals(List.of(winner.operationId()), ledger.operationsInProgress().stream()
                    .map(Operation::id).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBeginWhoseReadFenceMovedBeforeItsWriteIsNotGrantedOnTheOldFenceAndReturnsTheExactOne() {
        CredentialRecord r = active(T0);
        // between this begin's read and its transaction, another instance takes and releases a lease
        DynamoDbLedger other = ledger(clock);
        AtomicReference<Lease> between = new AtomicReference<>();
        DynamoDbClient racing = beforeEachTransaction(() -> {
            if (between.get() == null) {
                between.set(takeAndRelease(other, r));
            }
        });
        try {
            DynamoDbLedger racer = new DynamoDbLedger(racing, table, Duration.ofDays(7), clock, SKEW);
            Lease lease = racer.beginOperation(Operation.Kind.REVOKE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                    LEASE, T0.plusSeconds(1));
            assertEquals(2, between.get().fence());
            assertEquals(3, lease.fence(), "granted on a second compare, at the fence it really set");
            assertEquals(Optional.of(LedgerContract.holder(lease.operationId(), Operation.Kind.REVOKE, 3, false)),
                    ledger.lease(r.id()).map(LedgerContract::untimed));
            racer.completeRevoke(lease, T0.plusSeconds(2));
            assertEquals(CredentialRecord.Status.REVOKED, ledger.find(r.id()).orElseThrow().status());
        } finally {
            racing.close();
        }
    }

    @Test
    void aBeginThatLosesEveryCompareToLeasesTakenAndReleasedMeanwhileIsRefusedAsBusyNeverAsNotActive() {
        CredentialRecord r = active(T0);
        // before each of this begin's transactions, another instance takes and releases a lease
        DynamoDbLedger other = ledger(clock);
        AtomicInteger moved = new AtomicInteger();
        DynamoDbClient racing = beforeEachTransaction(() -> {
            takeAndRelease(other, r);
            moved.incrementAndGet();
        });
        try {
            DynamoDbLedger racer = new DynamoDbLedger(racing, table, Duration.ofDays(7), clock, SKEW);
            LeaseRefused refused = assertThrows(LeaseRefused.class, () -> racer.beginOperation(Operation.Kind.REVOKE,
                    r.id(), CredentialRecord.Status.ACTIVE, LEASE, T0.plusSeconds(1)));
            assertEquals(5, moved.get(), "every attempt lost its compare");
            assertTrue(refused.busy(), "busy: the caller waits or answers 409, never \"not active\"");
            assertEquals(Optional.empty(), refused.holder(), "nobody holds it at this moment");
            assertEquals(Optional.of(CredentialRecord.Status.ACTIVE), refused.status());
            assertEquals(Optional.empty(), ledger.lease(r.id()));
        } finally {
            racing.close();
        }
    }

    /** A client of the twin that runs {@code meanwhile} before each TransactWriteItems it sends. */
    private static DynamoDbClient beforeEachTransaction(Runnable meanwhile) {
        return DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(DynamoDbMoto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes a) {
                        if (context.request() instanceof TransactWriteItemsRequest) {
                            meanwhile.run();
                        }
                    }
                })).build();
    }

    /** Another instance takes the credential's lease and releases it again (the fence moves). */
    private static Lease takeAndRelease(DynamoDbLedger other, CredentialRecord r) {
        Lease l = other.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0);
        other.failOperation(l, "gave up", T0);
        return l;
    }

    @Test
    void aLeaseSaysHowLongItHasBeenHeldAndWhenItMayBeTakenOverByTheReadingInstancesClock() {
        CredentialRecord r = active(T0);
        ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0);
        clock.set(T0.plusSeconds(7));
        LeaseState read = ledger.lease(r.id()).orElseThrow();
        assertEquals(Duration.ofSeconds(7), read.held());
        assertEquals(LEASE.plus(SKEW).minusSeconds(7), read.takeableIn(), "the lease's end, and the skew margin");
        LeaseRefused refused = assertThrows(LeaseRefused.class, () -> ledger.beginOperation(Operation.Kind.REVOKE,
                r.id(), CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0.plusSeconds(7)));
        assertEquals(read, refused.holder().orElseThrow(), "a refusal reads the holder as lease() does");

        clock.set(T0.plus(LEASE).plus(SKEW).plusMillis(1));
        LeaseState over = ledger.lease(r.id()).orElseThrow();
        assertTrue(over.expired());
        assertEquals(Duration.ofMillis(-1), over.takeableIn());
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHoldersEveryWriteIsRefused() {
        CredentialRecord r = active(T0);
        Lease old = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0);
        Instant later = T0.plus(LEASE).plus(SKEW).plusSeconds(1);
        clock.set(later);
        assertTrue(ledger.lease(r.id()).orElseThrow().expired());
        assertEquals(List.of(old.operationId()), ledger.staleOperations(later).stream().map(Operation::id).toList());

        Lease taken = ledger.takeOver(old.operationId(), LEASE, later).orElseThrow();
        assertEquals(old.operationId(), taken.operationId());
        assertEquals(old.fence() + 1, taken.fence());
        assertEquals(Optional.empty(), ledger.takeOver(old.operationId(), LEASE, later), "taken once only");
        assertEquals(List.of(), ledger.staleOperations(later));

        List<ResourceRef> made = List.of(new ResourceRef("apigateway:api-key", "zombie", "n", old.operationId()));
        assertRefused(() -> ledger.journalResources(old, made, later));
        assertRefused(() -> ledger.completeUpdate(old, "Zombie", "z@example.com", List.of(), List.of(), made, later));
        assertRefused(() -> ledger.completeRevoke(old, later));
        assertRefused(() -> ledger.failOperation(old, "zombie", later));
        assertRefused(() -> ledger.completeCreate(old, "k", null, List.of(), made, later));
        assertRefused(() -> ledger.rollBackCreate(old, "zombie", later));
        ledger.abandon(old); // does nothing: the lease is not held
        assertEquals(Optional.of(LedgerContract.holder(taken.operationId(), Operation.Kind.UPDATE, taken.fence(), false)),
                    ledger.lease(r.id()).map(LedgerContract::untimed));
        assertEquals(r, ledger.find(r.id()).orElseThrow(), "the zombie changed nothing");
        assertEquals(List.of(), ledger.findOperation(old.operationId()).orElseThrow().resources());

        ledger.failOperation(taken, "swept", later);
        assertEquals(Operation.Status.FAILED, ledger.findOperation(old.operationId()).orElseThrow().status());
        assertEquals(Optional.empty(), ledger.lease(r.id()));
    }

    @Test
    void aCreateTakenOverAndRolledBackByTheSweeperNeverBecomesActive() {
        CredentialRecord p = pending(T0);
        Lease create = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        Instant later = T0.plus(LEASE).plus(SKEW).plusMillis(1);
        Lease sweeper = ledger.takeOver(create.operationId(), LEASE, later).orElseThrow();
        ledger.rollBackCreate(sweeper, "abandoned", later);

        assertRefused(() -> ledger.completeCreate(create, "late-key", null, List.of(), List.of(), later));
        assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(p.id()).orElseThrow().status());
        assertEquals(Optional.empty(), ledger.findLive(p.appId()));
        assertEquals(Optional.empty(), ledger.findByExternalId(CredentialKind.API_KEY, "late-key"));
    }

    @Test
    void aTakeoverWithinTheSkewMarginIsRefused() {
        CredentialRecord r = active(T0);
        Lease lease = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0);
        Instant end = T0.plus(LEASE);
        for (Instant at : List.of(T0.plusSeconds(1), end, end.plusMillis(1), end.plus(SKEW).minusMillis(1), end.plus(SKEW))) {
            clock.set(at);
            assertFalse(ledger.lease(r.id()).orElseThrow().expired(), "not expired at " + at);
            assertEquals(List.of(), ledger.staleOperations(at), "not stale at " + at);
            assertEquals(Optional.empty(), ledger.takeOver(lease.operationId(), LEASE, at), "not taken at " + at);
        }
        Instant past = end.plus(SKEW).plusMillis(1);
        clock.set(past);
        assertTrue(ledger.lease(r.id()).orElseThrow().expired());
        assertEquals(lease.fence() + 1, ledger.takeOver(lease.operationId(), LEASE, past).orElseThrow().fence());
    }

    @Test
    void twoInstancesWithClocksTenMinutesApartNeverBothWrite() {
        CredentialRecord r = active(T0);
        SetClock aheadClock = new SetClock(T0.plus(Duration.ofMinutes(10)));
        DynamoDbLedger behind = ledger;
        DynamoDbLedger ahead = ledger(aheadClock);

        // the instance behind holds a lease that the one ahead sees long expired: the margin does not cover 10 min
        Lease mine = behind.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, clock.instant());
        assertTrue(ahead.lease(r.id()).orElseThrow().expired());
        assertFalse(behind.lease(r.id()).orElseThrow().expired());
        Lease theirs = ahead.takeOver(mine.operationId(), LEASE, aheadClock.instant()).orElseThrow();

        // the fence decides: the one behind, still within its lease by its own clock, writes nothing
        assertRefused(() -> behind.completeUpdate(mine, "Behind", "b@example.com", List.of(), List.of(), List.of(),
                clock.instant()));
        assertRefused(() -> behind.journalResources(mine, List.of(), clock.instant()));
        ahead.failOperation(theirs, "swept", aheadClock.instant());
        assertEquals("App", ahead.find(r.id()).orElseThrow().appName());

        // the other way round: the lease of the instance ahead looks 10 minutes long to the one behind
        Lease aheadsLease = ahead.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE,
                List.of(), LEASE, aheadClock.instant());
        assertEquals(Optional.empty(), behind.takeOver(aheadsLease.operationId(), LEASE, clock.instant()));
        assertThrows(LeaseRefused.class, () -> behind.beginOperation(Operation.Kind.REVOKE, r.id(),
                CredentialRecord.Status.ACTIVE, List.of(), LEASE, clock.instant()));
        ahead.completeUpdate(aheadsLease, "Ahead", "a@example.com", List.of(), List.of(), List.of(), aheadClock.instant());
        assertEquals("Ahead", behind.find(r.id()).orElseThrow().appName());
    }

    @Test
    void twoInstancesRacingToWriteUnderOneOperationLetAtMostOneWriterSucceed() throws Exception {
        SetClock aheadClock = new SetClock(T0.plus(Duration.ofMinutes(10)));
        DynamoDbLedger ahead = ledger(aheadClock);
        for (int trial = 0; trial < 5; trial++) {
            CredentialRecord r = active(T0);
            Lease mine = ledger.beginOperation(Operation.Kind.REVOKE, r.id(), CredentialRecord.Status.ACTIVE,
                    List.of(), LEASE, T0);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                Future<Boolean> behindWrote = pool.submit(() -> {
                    start.await();
                    try {
                        ledger.completeRevoke(mine, T0.plusSeconds(1));
                        return true;
                    } catch (LeaseLost lost) {
                        return false;
                    }
                });
                Future<Boolean> aheadWrote = pool.submit(() -> {
                    start.await();
                    Optional<Lease> taken = ahead.takeOver(mine.operationId(), LEASE, aheadClock.instant());
                    if (taken.isEmpty()) {
                        return false;
                    }
                    try {
                        ahead.failOperation(taken.get(), "swept", aheadClock.instant());
                        return true;
                    } catch (LeaseLost lost) {
                        return false;
                    }
                });
                start.countDown();
                boolean behind = behindWrote.get(2, TimeUnit.MINUTES);
                boolean aheadOne = aheadWrote.get(2, TimeUnit.MINUTES);
                assertTrue(behind ^ aheadOne, "exactly one writer: behind " + behind + ", ahead " + aheadOne);
                Operation.Status end = ledger.findOperation(mine.operationId()).orElseThrow().status();
                assertEquals(behind ? Operation.Status.DONE : Operation.Status.FAILED, end);
                assertEquals(behind ? CredentialRecord.Status.REVOKED : CredentialRecord.Status.ACTIVE,
                        ledger.find(r.id()).orElseThrow().status());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void transitionsDemandTheirExpectedStatusAndARefusedWriteChangesNothing() {
        CredentialRecord p = pending(T0);
        Lease create = ledger.beginCreate(p, LEASE, T0).orElseThrow();
        assertRefused(() -> ledger.completeUpdate(create, "X", "x@example.com", List.of(), List.of(), List.of(), T0));
        assertRefused(() -> ledger.completeRevoke(create, T0));
        assertEquals(Optional.of(LedgerContract.holder(create.operationId(), Operation.Kind.CREATE, 1, false)),
                    ledger.lease(p.id()).map(LedgerContract::untimed), "a refused write keeps the lease");
        assertEquals(Operation.Status.IN_PROGRESS, ledger.findOperation(create.operationId()).orElseThrow().status());
        ledger.completeCreate(create, "key-" + UUID.randomUUID(), null, List.of(), List.of(), T0);
        assertRefused(() -> ledger.completeCreate(create, "again", null, List.of(), List.of(), T0));

        Lease revoke = ledger.beginOperation(Operation.Kind.REVOKE, p.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0);
        assertEquals(2, revoke.fence());
        ledger.completeRevoke(revoke, T0);
        LeaseRefused terminal = assertThrows(LeaseRefused.class, () -> ledger.beginOperation(Operation.Kind.UPDATE,
                p.id(), CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0));
        assertFalse(terminal.busy());
        assertEquals(Optional.of(CredentialRecord.Status.REVOKED), terminal.status());
        LeaseRefused missing = assertThrows(LeaseRefused.class, () -> ledger.beginOperation(Operation.Kind.UPDATE,
                UUID.randomUUID().toString(), CredentialRecord.Status.ACTIVE, List.of(), LEASE, T0));
        assertEquals(Optional.empty(), missing.status());
    }

    @Test
    void everyWriteUnderALeaseNamesTheHolderTheFenceAndTheExpectedStatusInItsConditions() {
        CredentialRecord r = active(T0);
        Lease update = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0);
        sent.clear();
        ledger.journalResources(update, List.of(), T0);
        ledger.completeUpdate(update, "B", "b@example.com", List.of(), List.of(), List.of(), T0);
        Lease revoke = ledger.beginOperation(Operation.Kind.REVOKE, r.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, T0);
        TransactWriteItemsRequest begin = sent.get(sent.size() - 1);
        ledger.completeRevoke(revoke, T0);
        List<TransactWriteItemsRequest> underLease = new ArrayList<>(sent);
        underLease.remove(begin);

        String credentialPk = "CRED#" + r.id();
        TransactWriteItem beginItem = begin.transactItems().get(0);
        assertEquals(credentialPk, beginItem.update().key().get("pk").s());
        assertEquals("#status = :v0 AND attribute_not_exists(#leaseHolder) AND #fence = :v1",
                beginItem.update().conditionExpression());
        assertEquals(3, underLease.size());
        for (TransactWriteItemsRequest t : underLease) {
            for (TransactWriteItem item : t.transactItems()) {
                String pk = item.update() != null ? item.update().key().get("pk").s()
                        : item.conditionCheck() != null ? item.conditionCheck().key().get("pk").s() : null;
                String condition = item.update() != null ? item.update().conditionExpression()
                        : item.conditionCheck() != null ? item.conditionCheck().conditionExpression() : null;
                if (credentialPk.equals(pk) && "CRED".equals(skOf(item))) {
                    assertTrue(condition.startsWith("#leaseHolder = :v0 AND #fence = :v1"), condition);
                } else if (("OP#" + update.operationId()).equals(pk) || ("OP#" + revoke.operationId()).equals(pk)) {
                    assertEquals("#status = :v0", condition);
                }
            }
        }
        // completeUpdate and completeRevoke also demand ACTIVE
        assertTrue(underLease.get(1).transactItems().get(0).update().conditionExpression().endsWith("#status = :v2"));
        assertTrue(underLease.get(2).transactItems().get(0).update().conditionExpression().endsWith("#status = :v2"));
    }

    private static String skOf(TransactWriteItem item) {
        return item.update() != null ? item.update().key().get("sk").s() : item.conditionCheck().key().get("sk").s();
    }

    private static void assertRefused(Executable write) {
        assertThrows(LeaseLost.class, write);
    }
}
