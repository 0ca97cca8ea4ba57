package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the AwsOverlap tests share: the latched provider delegating to the AWS provider (moto behind
 * StrictAws), the requests (every answer recorded), the tests' own view of AWS (moto directly) and
 * the invariants at rest ({@link #assertAtRest}), over the credentials of this test only (their app
 * names, and so their key names, start with a unique tag).
 */
abstract class AwsOverlapInvariants {
    static final String DEVELOPER = "overlap@example.com";
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final Set<String> AWS_WRITES = Set.of("CreateApiKey", "DeleteApiKey", "UpdateApiKey", "CreateUsagePlanKey",
            "DeleteUsagePlanKey");

    /** The config every AwsOverlap profile shares: the latched provider in front of the AWS provider. */
    static Map<String, String> latchedAws(String revokeMode, String... more) {
        Map<String, String> config = new HashMap<>();
        config.put("webhook.provider", "latched");
        config.put("test.latched.delegate", "aws");
        config.put("webhook.aws.revoke-mode", revokeMode);
        config.put("webhook.aws.key-writes-per-second", "1000");
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    /** A profile whose config is {@link #latchedAws}; subclasses name the revoke mode and timings. */
    abstract static class Profile implements QuarkusTestProfile {
        private final Map<String, String> config;

        Profile(String revokeMode, String... more) {
            this.config = latchedAws(revokeMode, more);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return config;
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "test.tier-plans", defaultValue = "unset-outside-moto-tests")
    List<String> tiers;

    @ConfigProperty(name = "webhook.aws.revoke-mode")
    String revokeMode;

    @Inject
    LatchedProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    Sweeper sweeper;

    @Inject
    Reconciler reconciler;

    @Inject
    Db db;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    io.devportal.webhook.support.FaultInjector faults;

    @ConfigProperty(name = "webhook.cognito.user-pool-id")
    String userPool;

    /** Unique per test method (JUnit makes an instance per test). */
    final String tag = "AwsOverlap " + UUID.randomUUID().toString().substring(0, 8);
    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    record Answer(String request, int status, String body) {
        @Override
        public String toString() {
            return request + " -> " + status + " " + body;
        }
    }

    @BeforeEach
    void theWrapperDelegatesToAws() {
        provider.reset();
        assertEquals("aws", provider.name(), "the latched provider delegates to the AWS provider");
    }

    @AfterEach
    void releaseEverything() {
        provider.reset();
    }

    boolean disableMode() {
        return "DISABLE".equalsIgnoreCase(revokeMode);
    }

    String app(String what) {
        return tag + " " + what;
    }

    static String api(String apiId, String... planIds) {
        return "{\"id\":\"" + apiId + "\",\"usagePlans\":[" + Arrays.stream(planIds)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}";
    }

    static String apis(String... apiJsons) {
        return "[" + String.join(",", apiJsons) + "]";
    }

    static String onApi1(String... planIds) {
        return apis(api(MotoResource.API, planIds));
    }

    Response recorded(String request, Response r) {
        answers.add(new Answer(request, r.statusCode(), r.asString()));
        return r;
    }

    Response create(String name, String apisJson) {
        return recorded("create " + name, Api.create(Api.createBody(name, DEVELOPER, apisJson)));
    }

    Response update(String keyId, String name, String apisJson) {
        return recorded("update " + keyId + " " + apisJson, Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\""
                + name + "\",\"developer\":\"" + DEVELOPER + "\",\"apis\":" + apisJson + "}"));
    }

    Response updateClient(String clientId, String name, String apisJson) {
        return recorded("update " + clientId + " " + apisJson, Api.update(HybridView.updateBody(clientId, name,
                apisJson)));
    }

    /** A hybrid's ids and its client's state when made. */
    record Hybrid(String clientId, String keyId, List<Object> before) {
    }

    /** A hybrid credential: a client for {@code orders}, a key on the first plan of api1. */
    Hybrid createHybrid(String name) {
        Response made = create(name, HybridView.hybridApis(plans.get(0)));
        assertEquals(200, made.statusCode(), made.asString());
        String clientId = made.path("clientId");
        return new Hybrid(clientId, made.path("customCredentials.apiKeyId"), HybridView.state(userPool, clientId));
    }

    Response revoke(String keyId) {
        return recorded("revoke " + keyId, Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
    }

    String createKey(String name, String apisJson) {
        Response r = create(name, apisJson);
        assertEquals(200, r.statusCode(), r.asString());
        return r.path("apiKeyId");
    }

    static <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    static void assertStatus(int status, Response r) {
        assertEquals(status, r.statusCode(), r.asString());
    }

    /**
     * 409 credential_busy, to come back when the holder's deadline (15 s from its lease) ends: a
     * little less, as the holder took its lease and the refused request waited a moment.
     */
    static void assertBusy(Response r) {
        assertStatus(409, r);
        int retryAfter = Integer.parseInt(r.header("Retry-After"));
        assertTrue(retryAfter >= 10 && retryAfter <= 15, "the rest of the holder's deadline: " + retryAfter);
        assertEquals("credential_busy", r.path("code"));
        assertEquals("another request is changing this credential (update); retry in " + retryAfter + " s",
                r.path("message"));
    }

    static void assertDeadline(Response r) {
        assertStatus(503, r);
        assertEquals("5", r.header("Retry-After"));
        assertEquals("deadline_exceeded", r.path("code"), r.asString());
    }

    static Set<String> set(String... values) {
        return new TreeSet<>(Arrays.asList(values));
    }

    // the tests' own view of AWS: moto, not through the twin or the webhook

    static Optional<ApiKey> keyInAws(String keyId) {
        try {
            var key = APIGW.getApiKey(b -> b.apiKey(keyId));
            return Optional.of(ApiKey.builder().id(key.id()).name(key.name()).enabled(key.enabled()).build());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    static Set<String> plansInAws(String keyId) {
        return APIGW.getUsagePlans(b -> b.keyId(keyId).limit(500)).items().stream().map(UsagePlan::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every key in AWS, live or disabled, whose name carries this test's tag. */
    List<ApiKey> myKeysInAws() {
        List<ApiKey> mine = new ArrayList<>();
        String position = null;
        do {
            String from = position;
            GetApiKeysResponse page = APIGW.getApiKeys(b -> b.limit(500).position(from));
            page.items().stream().filter(k -> k.name() != null && k.name().startsWith(tag)).forEach(mine::add);
            position = page.position();
        } while (position != null);
        return mine;
    }

    CredentialRecord recordOf(String keyId) {
        return ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
    }

    Set<String> plansInLedger(String keyId) {
        return new TreeSet<>(ApiAccess.usagePlansOf(recordOf(keyId).apis()));
    }

    List<CredentialRecord> myCredentials() {
        return ledger.list(CredentialQuery.all(0)).stream().filter(r -> r.appName().startsWith(tag)).toList();
    }

    List<String> auditTrail(CredentialRecord record) {
        return ledger.audit(new AuditRecord.Query(null, null, record.id(), 0)).stream()
                .map(a -> a.operation() + " " + a.outcome()).toList();
    }

    /** No write to AWS started at or after {@code millis} (a zombie's writes are refused before they are sent). */
    void assertNoAwsWriteSince(long millis) {
        List<String> late = provider.awsCalls().stream().filter(c -> AWS_WRITES.contains(c.substring(0, c.indexOf('@')))
                && Long.parseLong(c.substring(c.indexOf('@') + 1)) >= millis).toList();
        assertEquals(List.of(), late, "no AWS write after the zombie was released");
    }

    /** The key has exactly these plans, in AWS and in the ledger, and is live. */
    void assertPlans(Set<String> expected, String keyId) {
        assertFalse(expected.isEmpty());
        assertEquals(expected, plansInAws(keyId), "AWS");
        assertEquals(expected, plansInLedger(keyId), "ledger");
    }

    /**
     * The invariants at rest, over this test's credentials: nothing in progress and no lease held;
     * ACTIVE in the ledger if and only if the key is live in AWS; a live key's plans are the
     * ledger's, and never none; at most one live credential per app; a rolled-back create never
     * became DONE and left no live key; and no 5xx but the {@code expected503s} deadline answers the
     * test provoked.
     */
    void assertAtRest(int expected503s) {
        List<Answer> fiveHundreds = answers.stream().filter(a -> a.status() >= 500).toList();
        assertEquals(expected503s, fiveHundreds.size(), "5xx answers: " + fiveHundreds);
        fiveHundreds.forEach(a -> assertTrue(a.status() == 503 && a.body().contains("deadline_exceeded"), a.toString()));

        List<CredentialRecord> mine = myCredentials();
        assertFalse(mine.isEmpty(), "the test made credentials");
        Map<String, Integer> livePerApp = new HashMap<>();
        Set<String> activeKeys = new HashSet<>();
        for (CredentialRecord r : mine) {
            List<Operation> journal = ledger.operationsOf(r.id());
            assertTrue(journal.stream().noneMatch(op -> op.status() == Operation.Status.IN_PROGRESS),
                    "nothing in progress: " + journal);
            assertTrue(ledger.lease(r.id()).isEmpty(), "no lease held on " + r.id());
            if (r.status() == CredentialRecord.Status.ACTIVE || r.status() == CredentialRecord.Status.PENDING) {
                livePerApp.merge(r.appId(), 1, Integer::sum);
            }
            switch (r.status()) {
                case ACTIVE -> {
                    activeKeys.add(r.apiKeyId());
                    Optional<ApiKey> key = keyInAws(r.apiKeyId());
                    assertTrue(key.isPresent() && Boolean.TRUE.equals(key.get().enabled()),
                            "ACTIVE in the ledger is live in AWS: " + r.apiKeyId());
                    Set<String> ledgerPlans = new TreeSet<>(ApiAccess.usagePlansOf(r.apis()));
                    assertEquals(ledgerPlans, plansInAws(r.apiKeyId()), "a live key's plans are the ledger's: "
                            + r.apiKeyId());
                    assertFalse(ledgerPlans.isEmpty(), "a live key is never on no plan: " + r.apiKeyId());
                }
                case REVOKED -> {
                    Optional<ApiKey> key = keyInAws(r.apiKeyId());
                    if (disableMode()) {
                        assertTrue(key.isPresent() && !key.get().enabled(), "revoked = disabled: " + r.apiKeyId());
                    } else {
                        assertTrue(key.isEmpty(), "revoked = deleted: " + r.apiKeyId());
                    }
                }
                case ROLLED_BACK -> assertTrue(journal.stream().noneMatch(op -> op.status() == Operation.Status.DONE),
                        "a rolled-back create never became DONE: " + journal);
                default -> fail("unexpected status at rest: " + r);
            }
        }
        livePerApp.forEach((app, n) -> assertEquals(1, n, "at most one live credential of " + app));
        for (ApiKey key : myKeysInAws()) {
            if (Boolean.TRUE.equals(key.enabled())) {
                assertTrue(activeKeys.contains(key.id()), "live in AWS is ACTIVE in the ledger: " + key.id() + " "
                        + key.name());
            }
        }
    }
}
