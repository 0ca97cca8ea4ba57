package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.DynamoDbProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portal's create, update and revoke over HTTP, end to end on the DynamoDB ledger and the AWS provider (moto). */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class DynamoDbHttpTest {

    @ConfigProperty(name = "test.usage-plans")
    List<String> plans;

    @Inject
    Ledger ledger;

    @Inject
    DynamoDbClient dynamo;

    private static Set<String> plansOf(ApiGatewayClient aws, String keyId) {
        return aws.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    private String apis(String plan) {
        return "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}]";
    }

    @Test
    void createUpdateAndRevokeRunEndToEndOnTheDynamoDbLedger() {
        String slug = "dyn-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"appName\":\"Serverless app\",\"appSlug\":\"" + slug + "\",\"developer\":\"s@example.com\","
                + "\"apis\":" + apis(plans.get(0)) + "}";
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            JsonPath created = Api.create(body).then().statusCode(200).extract().jsonPath();
            String keyId = created.getString("apiKeyId");
            String secret = created.getString("apiKey");
            assertEquals(Set.of("credentialType", "apiKeyId", "apiKey"), created.getMap("$").keySet());
            assertEquals(secret, aws.getApiKey(b -> b.apiKey(keyId).includeValue(true)).value());
            assertEquals(Set.of(plans.get(0)), plansOf(aws, keyId));
            CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
            assertEquals(CredentialRecord.Status.ACTIVE, record.status());
            assertEquals(record.id(), ledger.findLive("slug:" + slug).orElseThrow().id());

            // a retry returns the same credential, secret included, and creates nothing
            JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
            assertEquals(keyId, again.getString("apiKeyId"));
            assertEquals(secret, again.getString("apiKey"));
            assertEquals(1, ledger.operationsOf(record.id()).size());

            Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"Serverless app 2\",\"apis\":" + apis(plans.get(1))
                    + "}").then().statusCode(204);
            assertEquals(Set.of(plans.get(1)), plansOf(aws, keyId));
            assertEquals("Serverless app 2", ledger.find(record.id()).orElseThrow().appName());

            Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
            assertThrows(NotFoundException.class, () -> aws.getApiKey(b -> b.apiKey(keyId)));
            assertEquals(CredentialRecord.Status.REVOKED, ledger.find(record.id()).orElseThrow().status());
            assertTrue(ledger.findLive("slug:" + slug).isEmpty());
            Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
            Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(plans.get(1)) + "}").then().statusCode(404);

            assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.UPDATE, Operation.Kind.REVOKE),
                    ledger.operationsOf(record.id()).stream().map(Operation::kind).toList());
            assertTrue(ledger.operationsOf(record.id()).stream().allMatch(o -> o.status() == Operation.Status.DONE));

            // the key's value is nowhere in the table
            dynamo.scanPaginator(b -> b.tableName(DynamoDbProfile.TABLE)).items().forEach(item ->
                    item.values().forEach(v -> assertFalse(String.valueOf(v.s()).contains(secret),
                            "the API key's value is in the ledger")));
        }
    }
}
