package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When AWS throttles a call anyway (the strict twin answers it as AWS does: API Gateway 429,
 * Cognito 400, TooManyRequestsException): the SDK does not retry it; the shared budget is pushed
 * back for every instance; the call waits its turn in the budget and is made again, or, when that
 * turn does not fit the request's deadline, the request is 429 {@code throttled} with an honest
 * Retry-After and what it made is undone. Cognito's client calls have a shared budget of their own.
 * The profile is {@link AwsSharedBudgetTest.Budget}'s: 2 calls a second, creates burst 4, revokes
 * 20; so after a throttle (the budget emptied, 1 s on top) a revoke waits about 1 s, a create 9 s.
 */
@QuarkusTest
@TestProfile(AwsSharedBudgetTest.Budget.class)
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsThrottledCallsTest {
    static final String TARGET = StrictAws.DEFAULT_ACCOUNT + "/" + StrictAws.DEFAULT_REGION;
    static final ApiGatewayClient APIGW = Aws.apiGateway();

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    SharedBudget budget;

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    Db db;

    @BeforeEach
    @AfterEach
    void freshBudgetsAndTwin() {
        StrictAws.reset();
        db.update("DELETE FROM shared_budget");  // what earlier tests spent is no part of these
    }

    @AfterAll
    static void close() {
        APIGW.close();
    }

    static int calls(String operation) {
        return StrictAws.stats(StrictAws.DEFAULT_ACCOUNT, StrictAws.DEFAULT_REGION).path(operation).path("calls").asInt(0);
    }

    String keyCreate(String name) {
        return Api.createBody(name, "t@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]");
    }

    @Test
    void aThrottledRevokeIsMadeAgainAfterTheSharedBudgetAndEveryOtherInstanceWaitsBehindIt() {
        String keyId = Api.create(keyCreate("Pushed " + UUID.randomUUID().toString().substring(0, 8)))
                .then().statusCode(200).extract().path("apiKeyId");
        Instant before = Instant.now();
        StrictAws.configure("fault=DeleteApiKey@" + TARGET + ":429:1");

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);

        assertEquals(2, calls("DeleteApiKey"), "one throttled attempt, one made again: " + StrictAws.stats());
        assertTrue(APIGW.getApiKeys(b -> b.limit(500)).items().stream().noneMatch(k -> k.id().equals(keyId)), "gone");
        // another instance (the ledger is all they share) reserving a create's call from before the
        // throttle on: it waits behind the push back (the budget emptied, 1 s on top), about 9 s
        SharedBudget.Grant next = budget.reserve("apigateway:" + TARGET, 1, new SharedBudget.Rate(2, 4), before,
                Duration.ofMinutes(1));
        assertTrue(next.delay().compareTo(Duration.ofSeconds(8)) >= 0, "the other instance's wait: " + next.delay());
    }

    @Test
    void aThrottledCallThatCannotWaitWithinTheDeadlineIs429WithRetryAfterAndItsKeyIsUndone() {
        String name = "Unfit " + UUID.randomUUID().toString().substring(0, 8);
        StrictAws.configure("fault=CreateUsagePlanKey@" + TARGET + ":429");

        Response refused = Api.create(keyCreate(name));

        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("throttled", refused.jsonPath().getString("code"));
        // the create's next turn is 9 s away (the budget emptied by the throttle, 1 s on top); it may
        // wait 10 s less two 1 s attempts less what it spent: Retry-After is the difference, rounded up
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After: " + retryAfter);
        assertTrue(refused.jsonPath().getString("message").startsWith("the AWS API Gateway budget of target "),
                refused.asString());
        assertEquals(1, calls("CreateUsagePlanKey"), "the SDK made one attempt and nothing made it again: "
                + StrictAws.stats());
        // AWS equals the ledger: the key was deleted at once, the credential rolled back
        assertEquals(1, calls("DeleteApiKey"), StrictAws.stats().toString());
        String keyName = name + " (t@example.com)";
        assertEquals(0, APIGW.getApiKeys(b -> b.nameQuery(keyName)).items().size(), "no orphaned key");
        assertEquals("ROLLED_BACK", db.string("SELECT status FROM credential WHERE app_id = ?",
                "app:" + name + "\nt@example.com"));
    }

    @Test
    void aCreateReservesTheReadOfAPlanNotKnownWithItsOwnCallsSoNoKeyIsMadeAndUndoneForIt() {
        // Other instances booked the next 9 s. The key and its attachment (2 calls) would fit the
        // create's 8 s wait; with the read of its plan, which no instance has read yet (3 calls), they
        // do not. Reserved apart, the read would be refused only after the key existed.
        Api.create(keyCreate("Warm-up")).then().statusCode(200);  // the path is warm: the request is quick to its reservation
        freshBudgetsAndTwin();
        budget.reserve("apigateway:" + TARGET, 18, new SharedBudget.Rate(2, 20), Instant.now(), Duration.ofMinutes(1));
        Response answer = Api.create(Api.createBody("Cold plan", "t@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(3) + "\"}]}]"));
        if (answer.statusCode() == 429) {
            assertEquals("throttled", answer.jsonPath().getString("code"), answer.asString());
            assertEquals(0, calls("CreateApiKey") + calls("GetUsagePlan"), "refused before any AWS call: "
                    + StrictAws.stats());
        } else {
            // only when the request took over half a second to reach its reservation (a loaded machine)
            assertEquals(200, answer.statusCode(), answer.asString());
        }
        assertEquals(0, calls("DeleteApiKey"), "no key was made and undone: " + StrictAws.stats());
    }

    @Test
    void theSdkMakesOneAttemptOfAThrottledCallAndStillRetriesServerFaults() {
        StrictAws.configure("fault=GetApiKeys@" + TARGET + ":429");
        assertThrows(TooManyRequestsException.class, () -> apiGateway.getApiKeys(b -> b.limit(1)));
        assertEquals(1, calls("GetApiKeys"), StrictAws.stats().toString());

        StrictAws.reset();
        StrictAws.configure("fault=GetApiKeys@" + TARGET + ":500:2");
        apiGateway.getApiKeys(b -> b.limit(1));
        assertEquals(3, calls("GetApiKeys"), "two faults retried by the SDK, as before: " + StrictAws.stats());
    }

    @Test
    void cognitoClientWritesShareOneBudgetAcrossInstancesAndRevokesKeepTheirShare() {
        String clientId = Api.create(Api.createBody("Shared " + UUID.randomUUID().toString().substring(0, 8),
                "t@example.com", "[{\"id\":\"orders\"}]")).then().statusCode(200).extract().path("clientId");
        // other instances have spoken for the next 12 s of the account's client writes
        budget.reserve("cognito-client-write:" + TARGET, 24, new SharedBudget.Rate(2, 20), Instant.now(),
                Duration.ofMinutes(1));
        StrictAws.reset();

        Response refused = Api.create(Api.createBody("Shared " + UUID.randomUUID().toString().substring(0, 8),
                "t@example.com", "[{\"id\":\"orders\"}]"));
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("throttled", refused.jsonPath().getString("code"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 2 && retryAfter <= 5, "when the create would fit: " + retryAfter);
        assertEquals(0, calls("CreateUserPoolClient"), "refused before the write: " + StrictAws.stats());

        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        assertEquals(1, calls("DeleteUserPoolClient"), StrictAws.stats().toString());
    }
}
