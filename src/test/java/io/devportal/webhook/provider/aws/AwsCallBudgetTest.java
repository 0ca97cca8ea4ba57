package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.SharedCache;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each operation spends of the account's control-plane budget, counted by the strict twin
 * with AWS's limits on (docs/real-aws.md, "What each operation spends"): a key create on two plans
 * costs three API Gateway calls once the plans are known to any instance (five for the very first),
 * because usage plans and resource servers are read through the ledger's cache.
 */
@QuarkusTest
@TestProfile(AwsCallBudgetTest.CacheOn.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsCallBudgetTest {

    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.aws.cache-ttl", "PT5M");
        }
    }

    private static final String ACCOUNT = StrictAws.DEFAULT_ACCOUNT;
    private static final String REGION = StrictAws.DEFAULT_REGION;

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    RareReads reads;

    @Inject
    SharedCache shared;

    @BeforeEach
    void limitsOn() {
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
    }

    static String apis(String... plans) {
        return "[{\"id\":\"api1\",\"usagePlans\":[" + java.util.Arrays.stream(plans)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}]";
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static int apiGatewayCalls() {
        return StrictAws.serviceCalls(ACCOUNT, REGION, "apigateway");
    }

    static int calls(String operation) {
        return StrictAws.stats(ACCOUNT, REGION).path(operation).path("calls").asInt();
    }

    static void noneThrottled() {
        JsonNode stats = StrictAws.stats();
        stats.fields().forEachRemaining(op -> assertEquals(0, op.getValue().path("throttled").asInt(),
                op.getKey() + " was throttled: " + stats));
    }

    String createKey(String... onPlans) {
        return Api.create(Api.createBody(unique("Budget"), "b@example.com", apis(onPlans)))
                .then().statusCode(200).extract().path("apiKeyId");
    }

    @Test
    void aKeyCreateOnTwoPlansCostsThreeApiGatewayCallsOnceAnyInstanceHasReadThePlans() {
        // the JVM's first AWS calls may outlast the tests' 1 s attempt timeout (and be looked up, retried):
        // warm up on another plan first
        createKey(plans.get(0));
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        // plans 3 and 4: read by no other test of this class
        String cold = createKey(plans.get(3), plans.get(4));
        assertEquals(5, apiGatewayCalls(), "the first create reads both plans: " + StrictAws.stats());
        assertEquals(2, calls("GetUsagePlan"));

        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        for (int i = 0; i < 9; i++) {
            createKey(plans.get(3), plans.get(4));
        }
        assertEquals(27, apiGatewayCalls(), "CreateApiKey and two CreateUsagePlanKey each: " + StrictAws.stats());
        assertEquals(0, calls("GetUsagePlan"));
        assertTrue((5 + 27) / 10.0 <= 3.5);

        // a cold instance (a new Lambda container) has nothing in memory, and finds the plans in the ledger
        reads.dropLocal();
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        createKey(plans.get(3), plans.get(4));
        assertEquals(3, apiGatewayCalls(), StrictAws.stats().toString());
        assertEquals(Set.of(plans.get(3), plans.get(4)), plansOf(cold));
        noneThrottled();
    }

    @Test
    void aPlanReadLongerAgoThanTheLimitIsReadAgain() {
        createKey(plans.get(0), plans.get(1));
        String key = "apigateway:usage-plan:" + ACCOUNT + "/" + REGION + ":" + plans.get(0);
        String kept = shared.get(key).orElseThrow().value();
        // as if another instance had read it six minutes ago (the limit is five)
        shared.put(key, kept, Instant.now().minusSeconds(360));
        reads.dropLocal();
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        createKey(plans.get(0), plans.get(1));
        assertEquals(1, calls("GetUsagePlan"), "only the stale plan is read: " + StrictAws.stats());
        assertTrue(shared.get(key).orElseThrow().storedAt().isAfter(Instant.now().minusSeconds(60)), "and kept anew");
    }

    @Test
    void aTierMoveCostsFourCallsAndARevokeOne() {
        String keyId = createKey(plans.get(0));
        createKey(plans.get(2));  // plan 2 is known now
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(plans.get(2)) + "}").then().statusCode(204);
        assertEquals(Set.of(plans.get(2)), plansOf(keyId));
        // GetApiKey (enabled, name, customer), GetUsagePlans of the key, DeleteUsagePlanKey, CreateUsagePlanKey
        assertEquals(4, apiGatewayCalls(), StrictAws.stats().toString());

        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(1, apiGatewayCalls(), StrictAws.stats().toString());
        assertEquals(1, calls("DeleteApiKey"));
        noneThrottled();
    }

    @Test
    void aClientCreateReadsItsResourceServerOnceForEveryInstance() {
        String body = "{\"appName\":\"%s\",\"developer\":\"c@example.com\",\"apis\":[{\"id\":\"orders\"}]}";
        Api.create(body.formatted(unique("Client"))).then().statusCode(200);
        assertEquals(1, calls("DescribeResourceServer"), StrictAws.stats().toString());
        reads.dropLocal();
        StrictAws.reset();
        StrictAws.configure("awsLimits=true");
        for (int i = 0; i < 3; i++) {
            Api.create(body.formatted(unique("Client"))).then().statusCode(200);
        }
        assertEquals(0, calls("DescribeResourceServer"), StrictAws.stats().toString());
        assertEquals(3, calls("CreateUserPoolClient"));
        noneThrottled();
    }

    static Set<String> plansOf(String keyId) {
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            return aws.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
        }
    }
}
