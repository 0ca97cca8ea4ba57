package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.aws.AwsCredentialProvider;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded, randomised model of the portal, the sweeper and an operator's reconcile all at once:
 * 8 threads run 2,000 creates, updates, revokes, sweeps and reconciles over a few apps against
 * moto behind the strict twin, with injected AWS faults and slow (timed-out) calls. Then the
 * sweeper finishes what is left, and the invariants are checked at rest. The seed is printed with
 * every failure ({@code -Dmodel.seed=N} replays the same sequence of requests; the interleaving
 * is the machine's).
 */
@QuarkusTest
@TestProfile(ConcurrencyModelTest.Model.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class ConcurrencyModelTest {
    static final int THREADS = 8;
    static final int OPERATIONS = Integer.getInteger("model.operations", 2000);
    static final int APPS = 12;

    public static class Model implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a busy credential answers at once (the model retries later), and no pacing wait
            return Map.of("webhook.lease.wait", "PT0.05S", "webhook.aws.key-writes-per-second", "1000",
                    "webhook.aws.max-attempts", "2");
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    FaultInjector faults;

    @Inject
    Ledger ledger;

    @Inject
    Sweeper sweeper;

    @Inject
    Reconciler reconciler;

    @Inject
    AwsCredentialProvider aws;

    private final String tag = "Model " + UUID.randomUUID().toString().substring(0, 8);
    /** A 204 update: the unique app name it set, its plans, and when its answer came. */
    record Confirmed(String marker, List<String> plans, long answeredNanos) {
    }

    /** Per key id: every 204 update, every 200 create, and whether a 2xx revoke followed. */
    private final Map<String, ConcurrentLinkedQueue<Confirmed>> confirmedUpdates = new ConcurrentHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger markers = new AtomicInteger();
    private final Set<String> revokedByA2xx = ConcurrentHashMap.newKeySet();
    /** Keys a revoke was sent for whatever it answered: a failed revoke is completed by the sweeper. */
    private final Set<String> revokeSent = ConcurrentHashMap.newKeySet();
    private final Map<String, String> keyOfApp = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    private String appName(int app) {
        return tag + " app " + app;
    }

    private String apisJson(List<String> chosen) {
        return "[{\"id\":\"api1\",\"usagePlans\":[" + chosen.stream().map(p -> "{\"id\":\"" + p + "\"}")
                .collect(Collectors.joining(",")) + "]}]";
    }

    private List<String> somePlans(Random random) {
        List<String> pool = new ArrayList<>(plans);
        java.util.Collections.shuffle(pool, random);
        return List.copyOf(pool.subList(0, 1 + random.nextInt(3)));
    }

    private void count(Response r, String what) {
        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        if (r.statusCode() == 500) {
            serverErrors.add(what + " -> " + r.asString());
        }
    }

    private void injectSometimes(Random random) {
        if (random.nextInt(100) >= 6) {
            return;
        }
        String[] operations = {"CreateApiKey", "CreateUsagePlanKey", "DeleteUsagePlanKey", "DeleteApiKey",
                "GetUsagePlanKeys", "UpdateApiKey"};
        Fault[] kinds = {Fault.SERVER_ERROR, Fault.THROTTLE, Fault.TIMEOUT, Fault.RESPONSE_LOST};
        faults.fail(operations[random.nextInt(operations.length)], kinds[random.nextInt(kinds.length)], 1);
    }

    private void step(Random random) {
        int app = random.nextInt(APPS);
        injectSometimes(random);
        int choice = random.nextInt(100);
        if (choice < 30) {
            List<String> chosen = somePlans(random);
            Response r = Api.create(Api.createBody(appName(app), "m@example.com", apisJson(chosen)));
            count(r, "create");
            if (r.statusCode() == 200) {
                String keyId = r.path("apiKeyId");
                keyOfApp.put(appName(app), keyId);
                issued.add(keyId);
            }
        } else if (choice < 65) {
            String keyId = keyOfApp.get(appName(app));
            if (keyId == null) {
                return;
            }
            List<String> chosen = somePlans(random);
            String marker = appName(app) + " #" + markers.incrementAndGet();
            Response r = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + marker
                    + "\",\"developer\":\"m@example.com\",\"apis\":" + apisJson(chosen) + "}");
            long answered = System.nanoTime();
            count(r, "update");
            if (r.statusCode() == 204) {
                confirmedUpdates.computeIfAbsent(keyId, k -> new ConcurrentLinkedQueue<>())
                        .add(new Confirmed(marker, chosen, answered));
            }
        } else if (choice < 85) {
            String keyId = keyOfApp.get(appName(app));
            if (keyId == null) {
                return;
            }
            revokeSent.add(keyId);
            Response r = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
            count(r, "revoke");
            if (r.statusCode() == 204) {
                revokedByA2xx.add(keyId);
            }
        } else if (choice < 98) {
            sweeper.sweep();
        } else {
            reconciler.reconcile(true);
        }
    }

    @Test
    void overlappingOperationsLeaveTheLedgerEqualToAwsAndEveryConfirmedChangeInPlace() throws Exception {
        long seed = Long.getLong("model.seed", System.nanoTime());
        String context = "seed " + seed + " (replay with -Dmodel.seed=" + seed + ")";
        System.out.println("ConcurrencyModelTest: " + context);
        Random master = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(master.nextLong());
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < OPERATIONS / THREADS; i++) {
                        step(random);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            faults.reset();
        }
        for (int i = 0; i < 5 && !ledger.operationsInProgress().isEmpty(); i++) {
            sweeper.sweep();
        }
        System.out.println("ConcurrencyModelTest: statuses " + new TreeSet<>(statuses.keySet()).stream()
                .map(s -> s + "=" + statuses.get(s)).toList());
        checkAtRest(context);
    }

    private void checkAtRest(String context) {
        assertEquals(List.of(), List.copyOf(serverErrors), "no 500: " + context);
        assertEquals(List.of(), ledger.operationsInProgress().stream().map(Operation::id).toList(),
                "nothing left in progress: " + context);
        List<CredentialRecord> mine = ledger.list(CredentialQuery.all(0)).stream()
                .filter(r -> r.appName().startsWith(tag)).toList();
        Map<String, Integer> livePerApp = new HashMap<>();
        Set<String> activeKeys = new java.util.HashSet<>();
        for (CredentialRecord r : mine) {
            List<Operation> journal = ledger.operationsOf(r.id());
            if (r.status() == CredentialRecord.Status.ACTIVE || r.status() == CredentialRecord.Status.PENDING) {
                livePerApp.merge(r.appId(), 1, Integer::sum);
            }
            checkTerminal(r, journal, context);
            if (r.status() != CredentialRecord.Status.ACTIVE) {
                continue;
            }
            activeKeys.add(r.apiKeyId());
            ResourceRef key = r.resources().stream().filter(ResourceRef::hasId).findFirst().orElseThrow();
            Optional<ObservedResource> seen = aws.observe(key);
            assertTrue(seen.isPresent() && seen.get().live(), "ACTIVE in the ledger is live in AWS: " + r.id()
                    + ", " + context);
            assertEquals(new TreeSet<>(ApiAccess.usagePlansOf(r.apis())), new TreeSet<>(seen.get().usagePlans()),
                    "a live key's plans are the ledger's: " + r.apiKeyId() + ", " + context);
        }
        livePerApp.forEach((app, n) -> assertEquals(1, n, "at most one live credential of " + app + ", " + context));
        for (ObservedResource live : aws.inventory()) {
            if (live.live() && live.name() != null && live.name().startsWith(tag)) {
                assertTrue(activeKeys.contains(live.id()), "live in AWS is ACTIVE in the ledger: " + live.id()
                        + ", " + context);
            }
        }
        // the effect of every 2xx is present, unless a later 2xx replaced it
        for (String keyId : issued) {
            CredentialRecord r = ledger.findByExternalId(io.devportal.webhook.model.CredentialKind.API_KEY, keyId)
                    .orElseThrow(() -> new AssertionError("a 200 credential is in the ledger: " + keyId));
            if (revokedByA2xx.contains(keyId)) {
                assertEquals(CredentialRecord.Status.REVOKED, r.status(), "a 204 revoke stands: " + keyId + ", "
                        + context);
                continue;
            }
            if (revokeSent.contains(keyId) && r.status() == CredentialRecord.Status.REVOKED) {
                continue;
            }
            assertEquals(CredentialRecord.Status.ACTIVE, r.status(), "a 200 credential is active unless a revoke "
                    + "was sent for it: " + keyId + ", " + context);
            List<Confirmed> updates = List.copyOf(confirmedUpdates.getOrDefault(keyId, new ConcurrentLinkedQueue<>()));
            if (updates.isEmpty()) {
                continue;
            }
            // the name says which update is in place: it must be one of the 204s, and not one that
            // was answered well before the last 204 (an older change never wins over a newer one)
            Confirmed inPlace = updates.stream().filter(u -> u.marker().equals(r.appName())).findFirst()
                    .orElseThrow(() -> new AssertionError("a 204 update is in place on " + keyId + ": the ledger "
                            + "says " + r.appName() + ", " + context));
            long last = updates.stream().mapToLong(Confirmed::answeredNanos).max().orElseThrow();
            assertTrue(inPlace.answeredNanos() >= last - TimeUnit.SECONDS.toNanos(2), "an older 204 update ("
                    + inPlace.marker() + ") undid a newer one on " + keyId + ", " + context);
            assertEquals(new TreeSet<>(inPlace.plans()), new TreeSet<>(ApiAccess.usagePlansOf(r.apis())),
                    "the confirmed plans stand: " + keyId + ", " + context);
        }
    }

    /** Nothing after a credential's end; a rolled-back create has no DONE row at all. */
    private static void checkTerminal(CredentialRecord r, List<Operation> journal, String context) {
        boolean ended = false;
        for (Operation op : journal) {
            if (ended && op.status() == Operation.Status.DONE) {
                fail("a DONE operation after the credential ended: " + r.id() + " " + journal + ", " + context);
            }
            boolean revoke = op.kind() == Operation.Kind.REVOKE || op.kind() == Operation.Kind.RETIRE;
            ended |= revoke && op.status() == Operation.Status.DONE;
        }
        if (r.status() == CredentialRecord.Status.ROLLED_BACK) {
            assertTrue(journal.stream().noneMatch(op -> op.status() == Operation.Status.DONE),
                    "a rolled-back create never became DONE: " + r.id() + ", " + context);
        }
    }
}
