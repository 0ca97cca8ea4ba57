package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared API Gateway budget (ControlPlaneBudget over the ledger's SharedBudget): concurrent
 * creates take their turns and AWS (the strict twin, limits on) never throttles them; a create whose
 * turn would come after its deadline allows is 429 with an honest Retry-After before any AWS call;
 * a revoke uses the share held back for revokes and goes through where a create is refused.
 */
@QuarkusTest
@TestProfile(AwsSharedBudgetTest.Budget.class)
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)  // the second spends the budget's next seconds
class AwsSharedBudgetTest {

    /**
     * The webhook's share: 2 calls a second (API Gateway; Cognito's client reads, and its writes, the
     * same); creates may burst 4, revokes 20; a request may wait 8 s
     * (10 s less two 1 s attempts). AWS (the twin) allows twice the share: 4 a second, burst 8.
     */
    public static class Budget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.aws.budget-per-second", "2", "webhook.aws.budget-burst", "20",
                    "webhook.aws.budget-revoke-reserve", "16", "webhook.aws.cache-ttl", "PT5M",
                    "webhook.request.deadline", "PT10S", "webhook.aws.cognito-budget-per-second", "2",
                    "webhook.aws.cognito-budget-burst", "20", "webhook.aws.cognito-budget-revoke-reserve", "16");
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    SharedBudget budget;

    @AfterEach
    void resetTwin() {
        StrictAws.reset();
    }

    static String body(String plan) {
        return Api.createBody("Budget " + UUID.randomUUID().toString().substring(0, 8), "b@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}]");
    }

    static int apiGatewayCalls() {
        return StrictAws.serviceCalls(StrictAws.DEFAULT_ACCOUNT, StrictAws.DEFAULT_REGION, "apigateway");
    }

    @Test
    @Order(1)
    void concurrentCreatesTakeTurnsAndAwsNeverThrottlesThem() throws Exception {
        Api.create(body(plans.get(0))).then().statusCode(200);  // the plan is known from now on
        Thread.sleep(2000);  // the budget and AWS's bucket refill (a rate, not a race)
        StrictAws.reset();
        StrictAws.configure("awsLimits=true&limit=apigateway:4:8");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // 16 calls: at once they would be twice AWS's burst
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> Api.create(body(plans.get(0)))));
            }
            for (Future<Response> answer : answers) {
                assertEquals(200, answer.get().statusCode(), answer.get().asString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16, apiGatewayCalls(), StrictAws.stats().toString());
        StrictAws.stats().fields().forEachRemaining(op -> assertEquals(0, op.getValue().path("throttled").asInt(),
                op.getKey() + " was throttled by AWS: " + StrictAws.stats()));
    }

    @Test
    @Order(2)
    void aCreateThatWouldWaitPastItsDeadlineIs429AtOnceAndARevokeStillGoesThrough() {
        String keyId = Api.create(body(plans.get(1))).then().statusCode(200).extract().path("apiKeyId");
        // other instances have spoken for the next 12 s of the budget
        budget.reserve("apigateway:" + StrictAws.DEFAULT_ACCOUNT + "/" + StrictAws.DEFAULT_REGION, 24,
                new SharedBudget.Rate(2, 20), Instant.now(), Duration.ofMinutes(1));
        StrictAws.reset();
        Response refused = Api.create(body(plans.get(1)));
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("throttled", refused.jsonPath().getString("code"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 2 && retryAfter <= 5, "when the create would fit: " + retryAfter);
        assertEquals(0, apiGatewayCalls(), "refused before any AWS call: " + StrictAws.stats());

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(1, apiGatewayCalls(), StrictAws.stats().toString());
    }
}
