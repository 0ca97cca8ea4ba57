package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.DynamoDbMoto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The DynamoDB ledger has no schema to migrate: items written before targets existed keep their
 * resources without a target, and the ledger reads those resources as the default target's.
 * The items here are written directly, as the code before targets wrote them (the same item
 * layout; the resources JSON from the four-component ResourceRef of that code).
 */
class DynamoDbResourceTargetTest {

    /** ResourceRef as it was before targets (up to 1aefa55^). */
    record V4ResourceRef(String type, String id, String name, String operationId) {
    }

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private DynamoDbClient client;
    private String table;
    private DynamoDbLedger ledger;

    @BeforeEach
    void freshTable() {
        client = DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(DynamoDbMoto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(120)))
                .build();
        table = "targets-" + UUID.randomUUID();
        DynamoDbTable.create(client, table);
        ledger = new DynamoDbLedger(client, table, Duration.ofDays(7));
    }

    @AfterEach
    void close() {
        client.deleteTable(b -> b.tableName(table));
        client.close();
    }

    @Test
    void resourcesWrittenBeforeTargetsReadAsTheDefaultTarget() {
        List<V4ResourceRef> old = List.of(
                new V4ResourceRef("apigateway:api-key", "k1", "Shop {\"type\":\"x\"}", "op-1"),
                new V4ResourceRef("apigateway:usage-plan-key", "plan1:k1", null, "op-1"),
                new V4ResourceRef("cognito:app-client", null, "app-client", null));
        String oldJson = Json.write(old);
        assertFalse(oldJson.contains("target"), oldJson);
        List<ResourceRef> expected = old.stream().map(r -> new ResourceRef(r.type(), r.id(), r.name(),
                r.operationId(), ResourceRef.DEFAULT_TARGET)).toList();

        CredentialRecord pending = new CredentialRecord("c1", CredentialKind.API_KEY, false, "aws", "app-1",
                "Shop app", "dev@example.com", null, null,
                List.of(new ApiAccess("api1", List.of("plan1"), List.of(), CredentialKind.API_KEY)), List.of(),
                List.of(), CredentialRecord.Status.PENDING, NOW, NOW, null);
        Map<String, AttributeValue> credential = new HashMap<>(DynamoDbItems.pendingCredential(pending, "op-1",
                DynamoDbItems.num(NOW.toEpochMilli()), NOW));
        credential.keySet().removeAll(List.of(DynamoDbItems.LEASE_HOLDER, DynamoDbItems.LEASE_KIND,
                DynamoDbItems.LEASE_UNTIL));
        credential.put(DynamoDbItems.STATUS, DynamoDbItems.str("ACTIVE"));
        credential.put("apiKeyId", DynamoDbItems.str("k1"));
        credential.put("resources", DynamoDbItems.str(oldJson));
        put(credential);
        put(DynamoDbItems.lookup(DynamoDbItems.externalPartition(CredentialKind.API_KEY, "k1"),
                DynamoDbItems.time(NOW), "c1"));
        Map<String, AttributeValue> row = new HashMap<>(DynamoDbItems.operationRow("op-2", Operation.Kind.UPDATE, "c1",
                List.of(), NOW));
        row.put("resources", DynamoDbItems.str(Json.write(old.subList(0, 2))));
        put(row);

        assertEquals(expected, ledger.find("c1").orElseThrow().resources());
        assertEquals(expected, ledger.findByExternalId(CredentialKind.API_KEY, "k1").orElseThrow().resources());
        assertEquals(expected.subList(0, 2), ledger.findOperation("op-2").orElseThrow().resources());
        assertEquals(expected.subList(0, 2), ledger.operationsInProgress().get(0).resources());
        // nothing rewrote the item: the default is how the old shape reads, not a migration
        assertEquals(oldJson, client.getItem(b -> b.tableName(table).key(DynamoDbItems.credentialKey("c1"))
                .consistentRead(true)).item().get("resources").s());
    }

    private void put(Map<String, AttributeValue> item) {
        client.putItem(b -> b.tableName(table).item(item));
    }
}
