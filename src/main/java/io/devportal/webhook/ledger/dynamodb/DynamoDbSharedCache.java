package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.model.SharedCache;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.TTL;

/**
 * The shared cache as items of the ledger's table: {@code pk = CACHE#<key>}, {@code sk = CACHE},
 * {@code value}, {@code storedAt} (N, epoch milliseconds) and a {@code ttl} a day later, so that
 * DynamoDB deletes entries nobody reads any more. Reads are strongly consistent, as the ledger's.
 */
@Singleton
@Typed(DynamoDbSharedCache.class)
public class DynamoDbSharedCache implements SharedCache {
    static final String PREFIX = "CACHE#";
    /** How long DynamoDB keeps an entry after it was stored; the provider's own limit is far shorter. */
    static final Duration KEEP = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final String table;

    @Inject
    DynamoDbSharedCache(DynamoDbClient client, WebhookConfig config) {
        this(client, config.dynamodb().table());
    }

    public DynamoDbSharedCache(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(PK, AttributeValue.fromS(PREFIX + key), SK, AttributeValue.fromS("CACHE"));
    }

    @Override
    public Optional<Entry> get(String key) {
        try {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true)).item();
            if (item == null || item.isEmpty() || !item.containsKey("value") || !item.containsKey("storedAt")) {
                return Optional.empty();
            }
            return Optional.of(new Entry(item.get("value").s(),
                    Instant.ofEpochMilli(Long.parseLong(item.get("storedAt").n()))));
        } catch (SdkException e) {
            throw new LedgerException("read the shared cache", e);
        }
    }

    @Override
    public void put(String key, String value, Instant storedAt) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(key));
        item.put("value", AttributeValue.fromS(value));
        item.put("storedAt", AttributeValue.fromN(Long.toString(storedAt.toEpochMilli())));
        item.put(TTL, AttributeValue.fromN(Long.toString(storedAt.plus(KEEP).getEpochSecond())));
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw new LedgerException("write the shared cache", e);
        }
    }

    @Override
    public void remove(String key) {
        try {
            client.deleteItem(b -> b.tableName(table).key(key(key)));
        } catch (SdkException e) {
            throw new LedgerException("forget a shared cache entry", e);
        }
    }
}
