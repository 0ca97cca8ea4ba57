package io.devportal.webhook.ledger.dynamodb;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.time.Duration;
import java.util.List;

/**
 * The table's fixed physical shape: partition key {@code pk} (S), sort key {@code sk} (S), one
 * global secondary index {@code gsi1} ({@code gsi1pk}, {@code gsi1sk}, projection ALL), TTL on
 * {@code ttl}, on-demand billing. {@link #create} makes it (local runs and tests), {@link #verify}
 * refuses to start on a table of another shape.
 */
public final class DynamoDbTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String TTL = "ttl";

    private DynamoDbTable() {
    }

    /** Creates the table if it is missing, waits until it is ACTIVE, and enables TTL on {@code ttl}. */
    public static void create(DynamoDbClient client, String table) {
        try {
            client.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(string(PK), string(SK), string(GSI1_PK), string(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(GSI1)
                            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        } catch (ResourceInUseException exists) {
            // made by an earlier start or another instance: wait for it like for our own
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(table),
                w -> w.maxAttempts(60).backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofSeconds(1))));
        TimeToLiveStatus ttl = client.describeTimeToLive(b -> b.tableName(table))
                .timeToLiveDescription().timeToLiveStatus();
        if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
            client.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)));
        }
    }

    /**
     * Checks that the table exists with the ledger's keys and index; throws an
     * {@link IllegalStateException} that says what is wrong otherwise.
     */
    public static void verify(DynamoDbClient client, String table) {
        TableDescription description;
        try {
            description = client.describeTable(b -> b.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("DynamoDB table " + table + " (webhook.dynamodb.table) does not exist: "
                    + "deploy it (deploy/sam) or set webhook.dynamodb.create-table=true for a local run");
        } catch (SdkException e) {
            throw new IllegalStateException("DynamoDB table " + table + " cannot be described: " + e.getMessage(), e);
        }
        if (!keys(description.keySchema()).equals(PK + "," + SK)) {
            throw new IllegalStateException("DynamoDB table " + table + " must have the key (pk, sk), not ("
                    + keys(description.keySchema()) + ")");
        }
        GlobalSecondaryIndexDescription index = description.globalSecondaryIndexes().stream()
                .filter(i -> i.indexName().equals(GSI1)).findFirst()
                .orElseThrow(() -> new IllegalStateException("DynamoDB table " + table + " has no index gsi1"));
        if (!keys(index.keySchema()).equals(GSI1_PK + "," + GSI1_SK)
                || index.projection().projectionType() != ProjectionType.ALL) {
            throw new IllegalStateException("DynamoDB index " + table + "/gsi1 must have the key (gsi1pk, gsi1sk) "
                    + "and project ALL");
        }
    }

    private static String keys(List<KeySchemaElement> schema) {
        String hash = schema.stream().filter(k -> k.keyType() == KeyType.HASH).map(KeySchemaElement::attributeName)
                .findFirst().orElse("");
        String range = schema.stream().filter(k -> k.keyType() == KeyType.RANGE).map(KeySchemaElement::attributeName)
                .findFirst().orElse("");
        return hash + "," + range;
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
