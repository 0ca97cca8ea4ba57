package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.model.SharedBudget;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.SK;

/**
 * The shared budget as items of the ledger's table: {@code pk = BUDGET#<key>}, {@code sk = BUDGET},
 * {@code tat} (N, epoch nanoseconds). A reservation of an idle budget is one update conditional on
 * the stored {@code tat} not being after now; of a busy one, a consistent read and a put conditional
 * on the {@code tat} read (optimistic: tried again when another instance wrote in between).
 */
@Singleton
@Typed(DynamoDbSharedBudget.class)
public class DynamoDbSharedBudget implements SharedBudget {
    private static final int ATTEMPTS = 20;

    private final DynamoDbClient client;
    private final String table;

    @Inject
    DynamoDbSharedBudget(DynamoDbClient client, WebhookConfig config) {
        this(client, config.dynamodb().table());
    }

    public DynamoDbSharedBudget(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static Map<String, AttributeValue> itemKey(String key) {
        return Map.of(PK, AttributeValue.fromS("BUDGET#" + key), SK, AttributeValue.fromS("BUDGET"));
    }

    /** One UpdateItem, conditional on the stored tat being earlier (or absent): no read first. */
    @Override
    public void pushBack(String key, long tat) {
        try {
            client.updateItem(b -> b.tableName(table).key(itemKey(key)).updateExpression("SET tat = :tat")
                    .conditionExpression("attribute_not_exists(tat) OR tat < :tat")
                    .expressionAttributeValues(Map.of(":tat", AttributeValue.fromN(Long.toString(tat)))));
        } catch (ConditionalCheckFailedException later) {
            // another instance pushed it further already
        } catch (SdkException e) {
            throw new LedgerException("push back the shared budget", e);
        }
    }

    /**
     * An idle budget (its stored time not after now: the common case of a single create) is
     * reserved in one round trip, an update conditional on that; a busy one (the failed condition
     * returns what is stored) is read, decided and put conditionally on what was read.
     */
    @Override
    public Grant reserve(String key, int calls, Rate rate, Instant now, Duration maxWait) {
        Map<String, AttributeValue> itemKey = itemKey(key);
        try {
            Map<String, AttributeValue> busy = null;
            long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            Grant idle = SharedBudget.decide(t, calls, rate, now, maxWait);
            if (idle.granted()) {
                try {
                    client.updateItem(b -> b.tableName(table).key(itemKey).updateExpression("SET tat = :tat")
                            .conditionExpression("attribute_not_exists(tat) OR tat <= :now")
                            .expressionAttributeValues(Map.of(":tat", AttributeValue.fromN(Long.toString(idle.tat())),
                                    ":now", AttributeValue.fromN(Long.toString(t))))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                    return idle;
                } catch (ConditionalCheckFailedException notIdle) {
                    busy = notIdle.hasItem() && notIdle.item().containsKey("tat") ? notIdle.item() : null;
                }
            }
            for (int attempt = 1; ; attempt++) {
                Map<String, AttributeValue> item = busy != null ? busy
                        : client.getItem(b -> b.tableName(table).key(itemKey).consistentRead(true)).item();
                busy = null;
                AttributeValue stored = item == null ? null : item.get("tat");
                Grant grant = SharedBudget.decide(stored == null ? 0 : Long.parseLong(stored.n()), calls, rate, now, maxWait);
                if (!grant.granted()) {
                    return grant;
                }
                Map<String, AttributeValue> put = new HashMap<>(itemKey);
                put.put("tat", AttributeValue.fromN(Long.toString(grant.tat())));
                try {
                    if (stored == null) {
                        client.putItem(b -> b.tableName(table).item(put).conditionExpression("attribute_not_exists(tat)"));
                    } else {
                        client.putItem(b -> b.tableName(table).item(put).conditionExpression("tat = :read")
                                .expressionAttributeValues(Map.of(":read", stored)));
                    }
                    return grant;
                } catch (ConditionalCheckFailedException moved) {
                    if (attempt >= ATTEMPTS) {
                        throw moved;
                    }
                }
            }
        } catch (SdkException e) {
            throw new LedgerException("reserve AWS calls in the shared budget", e);
        }
    }
}
