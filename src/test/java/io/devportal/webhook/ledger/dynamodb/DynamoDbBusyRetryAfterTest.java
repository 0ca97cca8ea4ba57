package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.BusyAnswers;
import io.devportal.webhook.support.DynamoDbProfile;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.LatchedProvider.Point;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A busy credential's 409 on the DynamoDB ledger (moto), the AWS provider behind the latched one:
 * its Retry-After is the rest of the holder's deadline (15 s from its lease, by the instance's
 * clock as DynamoDB leases are), then of its undo time.
 */
@QuarkusTest
@TestProfile(DynamoDbBusyRetryAfterTest.Latched.class)
class DynamoDbBusyRetryAfterTest {

    public static class Latched extends DynamoDbProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("webhook.provider", "latched");
            config.put("test.latched.delegate", "aws");
            config.put("webhook.lease.wait", "PT0.2S");
            return config;
        }
    }

    @ConfigProperty(name = "test.usage-plans")
    List<String> plans;

    @Inject
    LatchedProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void releaseEverything() {
        provider.reset();
    }

    private String update(String keyId, String name, String plan) {
        return "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + "\",\"developer\":\"b@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}]}";
    }

    /** Moves the lease's start back, as if its holder had taken it {@code by} earlier. */
    private void leaseTakenEarlier(String credentialId, Duration by) {
        dynamo.updateItem(b -> b.tableName(DynamoDbProfile.TABLE).key(DynamoDbItems.credentialKey(credentialId))
                .updateExpression("SET #s = #s - :by").expressionAttributeNames(Map.of("#s", DynamoDbItems.LEASE_SINCE))
                .expressionAttributeValues(Map.of(":by", DynamoDbItems.num(by.toMillis())))
                .conditionExpression("attribute_exists(#s)"));
    }

    @Test
    void aSecondUpdateMeetingAHolderIs409WithTheRestOfTheHoldersDeadlineThenOfItsUndoTime() throws Exception {
        String name = "Busy dyn " + UUID.randomUUID().toString().substring(0, 8);
        String keyId = Api.create(Api.createBody(name, "b@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        String credentialId = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id();
        LatchedProvider.Gate first = provider.park(Point.BEFORE_CONVERGE, keyId);
        long sent = System.nanoTime();
        CompletableFuture<Response> holder = CompletableFuture.supplyAsync(() -> Api.update(update(keyId, name,
                plans.get(1))));
        first.awaitArrival();

        BusyAnswers.assertBusyFor(Api.update(update(keyId, name, plans.get(0))), 15, sent);
        leaseTakenEarlier(credentialId, Duration.ofSeconds(12));
        BusyAnswers.assertBusyFor(Api.update(update(keyId, name, plans.get(0))), 3, sent);
        leaseTakenEarlier(credentialId, Duration.ofSeconds(10));
        BusyAnswers.assertBusyFor(Api.update(update(keyId, name, plans.get(0))), 3, sent);

        first.release();
        assertEquals(204, holder.get(60, TimeUnit.SECONDS).statusCode(), "the holder was never disturbed");
        Api.update(update(keyId, name, plans.get(0))).then().statusCode(204);
    }
}
