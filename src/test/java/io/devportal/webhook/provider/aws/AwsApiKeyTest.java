package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyRequest;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys against moto: after every step, AWS's own state is read back through the SDK. */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsApiKeyTest {
    static final ApiGatewayClient AWS = Aws.apiGateway();

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    FaultInjector faults;

    @Inject
    Ledger ledger;

    @BeforeEach
    void clearFaults() {
        faults.reset();
        StrictAws.reset();
    }

    @AfterAll
    static void close() {
        AWS.close();
    }

    static Set<String> plansOf(String keyId) {
        return AWS.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    static List<ApiKey> keysNamed(String name) {
        return AWS.getApiKeys(b -> b.nameQuery(name).includeValues(true)).items().stream()
                .filter(k -> k.name().equals(name)).toList();
    }

    static String apis(String... plans) {
        return "[{\"id\":\"api1\",\"usagePlans\":[" + java.util.Arrays.stream(plans)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}]";
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void createIssuesAnEnabledTaggedKeyOnExactlyTheRequestedPlans() {
        String name = unique("Orders");
        JsonPath r = Api.create(Api.createBody(name, "dev+1@example.com", apis(plans.get(0), plans.get(1))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of("credentialType", "apiKeyId", "apiKey"), r.getMap("$").keySet());
        GetApiKeyResponse key = AWS.getApiKey(b -> b.apiKey(r.getString("apiKeyId")).includeValue(true));
        assertEquals(r.getString("apiKey"), key.value());
        assertEquals(name + " (dev+1@example.com)", key.name());
        assertEquals("dev+1@example.com", key.customerId());
        assertTrue(key.enabled());
        assertEquals("true", key.tags().get("devportal-webhook:managed"));
        // API Gateway's tag alphabet has no @, space or newline
        assertEquals("dev+1_example.com", key.tags().get("devportal-webhook:developer"));
        assertEquals("app:" + name.replace(' ', '_') + "_dev+1_example.com", key.tags().get("devportal-webhook:app"));
        assertEquals(Set.of(plans.get(0), plans.get(1)), plansOf(key.id()));
        // the tags were really sent (moto has no tag API to check them by)
        CreateApiKeyRequest sent = (CreateApiKeyRequest) faults.requests("CreateApiKey").get(0);
        assertEquals(key.tags(), sent.tags());
        assertEquals(null, sent.generateDistinctId(), "generateDistinctId is deprecated and not sent");
    }

    @Test
    void aRetryReturnsTheSameKeyAndValueAndCreatesNothing() {
        String body = Api.createBody(unique("Retry"), "r@example.com", apis(plans.get(0)));
        JsonPath first = Api.create(body).then().statusCode(200).extract().jsonPath();
        faults.reset();
        JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
        assertEquals(first.getString("apiKeyId"), again.getString("apiKeyId"));
        assertEquals(first.getString("apiKey"), again.getString("apiKey"));
        assertEquals(0, faults.calls("CreateApiKey"));
        assertEquals(1, faults.calls("GetApiKey"));
    }

    @Test
    void fivePlansCostTwoRoundTripsOfConcurrentCalls() {
        assertEquals(5, plans.size());
        // every AWS call takes 300 ms in the twin, so that calls made together are seen in flight together
        StrictAws.configure("latencyMillis=300");
        String body = Api.createBody(unique("Five"), "f@example.com",
                apis(plans.get(0), plans.get(1), plans.get(2), plans.get(3), plans.get(4)));
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        StrictAws.configure("latencyMillis=0");
        assertEquals(1, faults.calls("CreateApiKey"));
        assertEquals(5, faults.calls("GetUsagePlan"));
        assertEquals(5, faults.calls("CreateUsagePlanKey"));
        assertEquals(Set.copyOf(plans), plansOf(keyId));
        JsonNode stats = StrictAws.stats();
        assertTrue(stats.path("GetUsagePlan").path("maxInFlight").asInt() >= 3, stats.toString());
        assertTrue(stats.path("CreateUsagePlanKey").path("maxInFlight").asInt() >= 3, stats.toString());
    }

    @Test
    void updateConvergesToTheRequestedPlansFromAwsStateAndRenames() {
        String name = unique("Converge");
        String keyId = Api.create(Api.createBody(name, "c@example.com", apis(plans.get(0), plans.get(1))))
                .then().statusCode(200).extract().path("apiKeyId");
        // someone attached the key to another plan by hand: the update must see it
        AWS.createUsagePlanKey(b -> b.usagePlanId(plans.get(3)).keyId(keyId).keyType("API_KEY"));
        Api.update("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name
                        + " renamed\",\"developer\":\"c@example.com\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\""
                        + plans.get(1) + "\"},{\"id\":\"" + plans.get(2) + "\"}]}]}")
                .then().statusCode(204);
        assertEquals(Set.of(plans.get(1), plans.get(2)), plansOf(keyId));
        assertEquals(name + " renamed (c@example.com)", AWS.getApiKey(b -> b.apiKey(keyId)).name());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(name + " renamed", record.appName());
    }

    @Test
    void updateToAPlanThatDoesNotExistIs422AndChangesNothing() {
        String keyId = Api.create(Api.createBody(unique("Bad update"), "b@example.com", apis(plans.get(0))))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(plans.get(0), "nosuchplan") + "}")
                .then().statusCode(422)
                .body("message", equalTo("apis[].usagePlans: usage plan nosuchplan does not exist in API Gateway"));
        assertEquals(Set.of(plans.get(0)), plansOf(keyId));
    }

    @Test
    void updateOfAKeyDeletedInAwsIs404() {
        String keyId = Api.create(Api.createBody(unique("Gone"), "g@example.com", apis(plans.get(0))))
                .then().statusCode(200).extract().path("apiKeyId");
        AWS.deleteApiKey(b -> b.apiKey(keyId));
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(plans.get(1)) + "}")
                .then().statusCode(404).body("message", equalTo("API key " + keyId + " does not exist"));
    }

    @Test
    void aCreateForAnAppWhoseKeyWasDeletedInAwsRetiresItAndIssuesANewOne() {
        String body = Api.createBody(unique("Deleted by hand"), "h@example.com", apis(plans.get(0)));
        String first = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        AWS.deleteApiKey(b -> b.apiKey(first));
        JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
        String second = again.getString("apiKeyId");
        assertTrue(!first.equals(second));
        assertEquals(again.getString("apiKey"), AWS.getApiKey(b -> b.apiKey(second).includeValue(true)).value());
        assertEquals(Set.of(plans.get(0)), plansOf(second));
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, first).orElseThrow().status());
    }

    @Test
    void revokeDeletesTheKeyAndRepeatsAre204() {
        String keyId = Api.create(Api.createBody(unique("Revoke"), "v@example.com", apis(plans.get(0))))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> AWS.getApiKey(b -> b.apiKey(keyId)));
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
    }

    @Test
    void revokeOfAKeyAlreadyDeletedInAwsIs204() {
        String keyId = Api.create(Api.createBody(unique("Already gone"), "a@example.com", apis(plans.get(0))))
                .then().statusCode(200).extract().path("apiKeyId");
        AWS.deleteApiKey(b -> b.apiKey(keyId));
        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
    }

    @Test
    void aMissingUsagePlanIs422NamingItAndLeavesNoKey() {
        String name = unique("Missing plan");
        Api.create(Api.createBody(name, "m@example.com", apis(plans.get(0), "nosuchplan")))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis[].usagePlans: usage plan nosuchplan does not exist in API Gateway"));
        assertEquals(List.of(), keysNamed(name + " (m@example.com)"));
        assertEquals(1, faults.calls("DeleteApiKey"));
    }
}
