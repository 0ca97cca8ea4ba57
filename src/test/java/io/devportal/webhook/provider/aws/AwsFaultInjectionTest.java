package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fault at every step of a create, where moto cannot fail on demand: each must answer the right
 * error and leave nothing behind in AWS.
 */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsFaultInjectionTest {
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();
    static final String GENERIC_502 = "an upstream service failed; retry later or report the requestId to the "
            + "webhook's operators";

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    FaultInjector faults;

    @Inject
    Db db;

    @Inject
    Ledger ledger;

    @Inject
    Sweeper sweeper;

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void clear() {
        faults.reset();
        clock.reset();
    }

    @AfterAll
    static void close() {
        APIGW.close();
        COGNITO.close();
    }

    List<ApiKey> keysNamed(String name) {
        return APIGW.getApiKeys(b -> b.nameQuery(name)).items().stream().filter(k -> k.name().equals(name)).toList();
    }

    /** Over every client of the pool, all pages (the pool is shared with the other classes of its boot). */
    long clientsNamedLike(String appName) {
        return COGNITO.listUserPoolClientsPaginator(b -> b.userPoolId(pool).maxResults(60)).userPoolClients()
                .stream()
                .filter(c -> c.clientName().startsWith(appName)).count();
    }

    String statusOf(String appName, String developer) {
        return db.string("SELECT status FROM credential WHERE app_id = ?", "app:" + appName + "\n" + developer);
    }

    Response createKey(String name) {
        return Api.create(Api.createBody(name, "f@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\""
                + plans.get(0) + "\"},{\"id\":\"" + plans.get(1) + "\"}]}]"));
    }

    static void assertError(Response r, int status, String code, String message) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.path("code"));
        if (message.startsWith("~")) {
            assertTrue(((String) r.path("message")).matches(message.substring(1)), (String) r.path("message"));
        } else {
            assertEquals(message, r.path("message"));
        }
    }

    /**
     * Faults that AWS answers before it acts (throttled, denied) or that never reach it here: the
     * create has made no key, so the point is the answer, the attempts, and the ledger. Whether a
     * key made by AWS is left behind is tested where AWS did make it (the lost answers below).
     */
    @ParameterizedTest(name = "{0} {1} x{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "THROTTLE|99|3|429|throttled|AWS is throttling the webhook (apigateway:POST); retry later",
        "SERVER_ERROR|99|3|502|upstream_error|" + GENERIC_502,
        "TIMEOUT|99|3|503|unavailable|AWS could not be reached in time; retry shortly",
        "DENIED|1|1|502|upstream_access_denied|AWS denied the webhook's role the permission apigateway:POST "
                + "(on a new API key); grant it as in deploy/iam-policy.json"})
    void aRefusedApiKeyCreateAnswersTheRightErrorAfterTheRightAttempts(Fault fault, int times, int attempts,
                                                                      int status, String code, String message) {
        String name = "Refused " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail("CreateApiKey", fault, times);
        assertError(createKey(name), status, code, message);
        assertEquals(attempts, faults.calls("CreateApiKey"));
        assertEquals("ROLLED_BACK", statusOf(name, "f@example.com"));
    }

    /**
     * AWS made the key or the client, its answer was lost (a 500, or no answer at all), the
     * lookup found it, and then the create failed on a later step: the rollback must delete what
     * AWS made. The thing existed in moto, so "nothing left" can fail here.
     */
    @ParameterizedTest(name = "{0} made, answer lost as {1}, then the create fails")
    @CsvSource({"CreateApiKey, RESPONSE_LOST", "CreateApiKey, TIMEOUT_AFTER_WORK",
        "CreateUserPoolClient, RESPONSE_LOST", "CreateUserPoolClient, TIMEOUT_AFTER_WORK"})
    void aCreateWhoseAnswerWasLostAfterAwsDidTheWorkAndThatThenFailsLeavesNothingBehind(String operation, Fault lost) {
        String name = "Lost then failed " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail(operation, lost, 1);
        faults.fail("CreateUsagePlanKey", Fault.DENIED, 99);
        Response r = Api.create(Api.createBody(name, "l@example.com", "[{\"id\":\"orders\"},{\"id\":\"keyed\","
                + "\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"));
        assertError(r, 502, "upstream_access_denied", "~AWS denied the webhook's role the permission apigateway:POST "
                + "\\(on usage plan \\w+\\); grant it as in deploy/iam-policy.json");
        assertEquals(1, faults.calls(operation), "one create: the lost one was found, not made again");
        assertEquals(1, faults.calls(operation.equals("CreateApiKey") ? "DeleteApiKey" : "DeleteUserPoolClient"),
                "what AWS made was deleted");
        assertEquals(List.of(), keysNamed(name + " (l@example.com)"), "no key left");
        assertEquals(0, clientsNamedLike(name), "no client left");
        assertEquals("ROLLED_BACK", statusOf(name, "l@example.com"));
    }

    @ParameterizedTest(name = "{0} {1} x{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "GetUsagePlan|THROTTLE|99|429|throttled|AWS is throttling the webhook (apigateway:GET); retry later",
        "GetUsagePlan|SERVER_ERROR|99|502|upstream_error|" + GENERIC_502,
        "GetUsagePlan|TIMEOUT|1|503|unavailable|AWS could not be reached in time; retry shortly",
        "CreateUsagePlanKey|THROTTLE|99|429|throttled|AWS is throttling the webhook (apigateway:POST); retry later",
        "CreateUsagePlanKey|SERVER_ERROR|1|502|upstream_error|" + GENERIC_502,
        "CreateUsagePlanKey|TIMEOUT|1|503|unavailable|AWS could not be reached in time; retry shortly",
        "CreateUsagePlanKey|NOT_FOUND|1|422|unprocessable|~apis\\[\\]\\.usagePlans: usage plan \\w+ does not exist in API Gateway",
        "CreateUsagePlanKey|DENIED|99|502|upstream_access_denied|~AWS denied the webhook's role the permission "
                + "apigateway:POST \\(on usage plan \\w+\\); grant it as in deploy/iam-policy.json"})
    void aFailedApiKeyCreateLeavesNoKeyBehind(String operation, Fault fault, int times, int status, String code,
                                              String message) {
        String name = "Fault " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail(operation, fault, times);
        assertError(createKey(name), status, code, message);
        assertEquals(List.of(), keysNamed(name + " (f@example.com)"), "no orphaned key");
        assertEquals("ROLLED_BACK", statusOf(name, "f@example.com"));
    }

    @ParameterizedTest(name = "CreateApiKey answer lost x{0}")
    @CsvSource({"1", "99"})
    void aLostCreateAnswerIsFoundAgainNotDuplicated(int times) {
        String name = "Lost " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail("CreateApiKey", Fault.RESPONSE_LOST, times);
        Response r = createKey(name);
        assertEquals(200, r.statusCode(), r.asString());
        List<ApiKey> keys = keysNamed(name + " (f@example.com)");
        assertEquals(1, keys.size(), "exactly one key, not one per attempt");
        assertEquals(keys.get(0).id(), r.path("apiKeyId"));
        assertEquals(r.path("apiKey"), APIGW.getApiKey(b -> b.apiKey(keys.get(0).id()).includeValue(true)).value());
        assertEquals(1, faults.calls("CreateApiKey"));
    }

    /** Faults before Cognito acts: the answer and the ledger (what a made client leaves is tested above). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "CreateUserPoolClient|THROTTLE|429|throttled",
        "CreateUserPoolClient|TIMEOUT|503|unavailable",
        "CreateUserPoolClient|SERVER_ERROR|502|upstream_error",
        "DescribeResourceServer|SERVER_ERROR|502|upstream_error",
        "DescribeResourceServer|DENIED|502|upstream_access_denied"})
    void aRefusedClientCreateAnswersTheRightError(String operation, Fault fault, int status, String code) {
        String name = "Client fault " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail(operation, fault, 99);
        Response r = Api.create(Api.createBody(name, "c@example.com", "[{\"id\":\"orders\"}]"));
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.path("code"));
        assertEquals("ROLLED_BACK", statusOf(name, "c@example.com"));
    }

    @Test
    void aLostClientCreateAnswerIsFoundAgainNotDuplicated() {
        String name = "Lost client " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail("CreateUserPoolClient", Fault.RESPONSE_LOST, 1);
        Response r = Api.create(Api.createBody(name, "c@example.com", "[{\"id\":\"orders\"}]"));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(1, clientsNamedLike(name));
        assertEquals(r.path("clientSecret"), COGNITO.describeUserPoolClient(b -> b.userPoolId(pool)
                .clientId(r.path("clientId"))).userPoolClient().clientSecret());
    }

    @Test
    void aHybridCreateThatFailsOnTheKeyRemovesTheClientToo() {
        String name = "Hybrid fault " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail("CreateUsagePlanKey", Fault.NOT_FOUND, 99);
        Response r = Api.create(Api.createBody(name, "h@example.com", "[{\"id\":\"orders\"},{\"id\":\"keyed\","
                + "\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"));
        assertError(r, 422, "unprocessable", "apis[].usagePlans: usage plan " + plans.get(0)
                + " does not exist in API Gateway");
        assertEquals(0, clientsNamedLike(name));
        assertEquals(List.of(), keysNamed(name + " (h@example.com)"));
    }

    @Test
    void aRollbackThatFailsIsFinishedByTheSweeper() {
        String name = "Stuck " + UUID.randomUUID().toString().substring(0, 8);
        faults.fail("CreateUsagePlanKey", Fault.NOT_FOUND, 99);
        faults.fail("DeleteApiKey", Fault.SERVER_ERROR, 99);
        assertEquals(422, createKey(name).statusCode());
        assertEquals(1, keysNamed(name + " (f@example.com)").size(), "the undo failed: the key is still there");
        assertEquals("PENDING", statusOf(name, "f@example.com"));
        // a retry takes the abandoned create over and tries its undo again, which AWS fails again: it hands
        // the row back at once (503), the app still claimed by the stuck create
        Response retry = createKey(name);
        assertEquals(503, retry.statusCode(), retry.asString());
        assertEquals(1, keysNamed(name + " (f@example.com)").size(), "still there");
        assertEquals("PENDING", statusOf(name, "f@example.com"));

        faults.reset();
        clock.advance(Duration.ofMinutes(6));
        sweeper.sweep();
        assertEquals(List.of(), keysNamed(name + " (f@example.com)"));
        assertEquals("ROLLED_BACK", statusOf(name, "f@example.com"));
        clock.reset();
        assertEquals(200, createKey(name).statusCode());
    }

    @Test
    void theSweeperFindsAKeyWhoseIdWasNeverJournaledByExactNameAndOperationTag() {
        String name = "Crash " + UUID.randomUUID().toString().substring(0, 8);
        String keyName = name + " (x@example.com)";
        String appId = "app:" + name + "\nx@example.com";
        var now = clock.instant();
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "aws", appId, name, "x@example.com", null, null,
                List.of(new ApiAccess("api1", List.of(), List.of(), CredentialKind.API_KEY)), List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        Lease lease = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        String operationId = lease.operationId();
        ledger.journalResources(lease, List.of(new ResourceRef(ApiKeys.TYPE, null, keyName, operationId)), now);
        // the process created the key, then died before journaling its id
        String orphan = APIGW.createApiKey(b -> b.name(keyName).enabled(true)
                .tags(Map.of(ApiKeys.TAG_OPERATION, operationId))).id();
        String otherOperation = APIGW.createApiKey(b -> b.name(keyName).enabled(true)
                .tags(Map.of(ApiKeys.TAG_OPERATION, "another-operation"))).id();
        String longerName = APIGW.createApiKey(b -> b.name(keyName + " 2").enabled(true)
                .tags(Map.of(ApiKeys.TAG_OPERATION, operationId))).id();

        ledger.abandon(lease);
        sweeper.sweep();
        List<String> left = APIGW.getApiKeys(b -> b.nameQuery(keyName)).items().stream().map(ApiKey::id).toList();
        assertTrue(!left.contains(orphan), "the orphan is deleted");
        assertTrue(left.contains(otherOperation) && left.contains(longerName), "keys it did not make are left alone");
        assertEquals("ROLLED_BACK", statusOf(name, "x@example.com"));
    }
}
