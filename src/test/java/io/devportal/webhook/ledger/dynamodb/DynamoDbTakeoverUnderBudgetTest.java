package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.DynamoDbProfile;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the DynamoDB ledger (moto) with the shared API Gateway budget on: a revoke retry meeting an
 * abandoned revoke that the budget cannot serve within its deadline answers 429 with the budget's
 * Retry-After before any AWS call, and the row is handed back (expired by the instance's clock less
 * the skew margin: takeable at once); once the budget frees up, the next retry finishes it, and
 * the key is gone from AWS as the ledger says.
 */
@QuarkusTest
@TestProfile(DynamoDbTakeoverUnderBudgetTest.Budget.class)
class DynamoDbTakeoverUnderBudgetTest {

    public static class Budget extends DynamoDbProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("webhook.aws.budget-per-second", "2");
            config.put("webhook.aws.budget-burst", "20");
            config.put("webhook.aws.budget-revoke-reserve", "0");
            config.put("webhook.request.deadline", "PT25S");
            return config;
        }
    }

    private static final String BUDGET_KEY = "apigateway:" + StrictAws.DEFAULT_ACCOUNT + "/" + StrictAws.DEFAULT_REGION;

    @ConfigProperty(name = "test.usage-plans")
    List<String> plans;

    @Inject
    Ledger ledger;

    @Inject
    SharedBudget budget;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    Clock clock;

    private static int apiGatewayCalls() {
        return StrictAws.serviceCalls(StrictAws.DEFAULT_ACCOUNT, StrictAws.DEFAULT_REGION, "apigateway");
    }

    private void freeTheBudget() {
        dynamo.deleteItem(b -> b.tableName(DynamoDbProfile.TABLE).key(Map.of(DynamoDbTable.PK,
                DynamoDbItems.str("BUDGET#" + BUDGET_KEY), DynamoDbTable.SK, DynamoDbItems.str("BUDGET"))));
    }

    @Test
    void aRevokeRetryMeetingAnAbandonedRevokeTheBudgetCannotServeIs429AndHandsItBackThenItsRetryRevokes() {
        freeTheBudget();
        String name = "Takeover dyn " + UUID.randomUUID().toString().substring(0, 8);
        String keyId = Api.create(Api.createBody(name, "t@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        // what a revoke whose work and undo failed leaves: its row in progress, its lease expired
        Lease left = ledger.beginOperation(Operation.Kind.REVOKE, record.id(), CredentialRecord.Status.ACTIVE,
                record.resources(), Duration.ofMinutes(2), clock.instant());
        ledger.abandon(left);
        // other instances have spoken for the next 40 s of the budget
        budget.reserve(BUDGET_KEY, 80, new SharedBudget.Rate(2, 20), Instant.now(), Duration.ofMinutes(1));
        StrictAws.reset();

        Response refused = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");

        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("throttled", refused.path("code"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        // its turn (40.5 s less the 10 s burst) less what the deadline allows (25 s less 2 x 10 s attempts)
        assertTrue(retryAfter >= 20 && retryAfter <= 32, "when the budget can serve it: " + retryAfter);
        assertTrue(refused.<String>path("message").startsWith("an earlier revoke of this credential was left "
                + "unfinished, and this request could not finish it"), refused.asString());
        assertEquals(0, apiGatewayCalls(), "refused before any AWS call: " + StrictAws.stats());
        LeaseState handedBack = ledger.lease(record.id()).orElseThrow();
        assertEquals(left.operationId(), handedBack.operationId());
        assertTrue(handedBack.expired() && handedBack.takeableIn().isNegative(), "handed back: " + handedBack);
        assertTrue(ledger.staleOperations(clock.instant()).stream().anyMatch(op -> op.id().equals(left.operationId())),
                "takeable at once");

        freeTheBudget();
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(record.id()).orElseThrow().status());
        assertEquals(Operation.Status.DONE, ledger.findOperation(left.operationId()).orElseThrow().status());
        assertTrue(ledger.lease(record.id()).isEmpty(), "nothing holds it");
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            assertFalse(aws.getApiKeys(b -> b.nameQuery(name)).items().stream().anyMatch(k -> k.id().equals(keyId)),
                    "revoked in the ledger, gone from AWS (delete mode)");
        }
    }
}
