package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.LedgerContract;
import io.devportal.webhook.support.DynamoDbProfile;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The ledger contract on DynamoDB (moto). The service runs with webhook.ledger=dynamodb; each test
 * gets a fresh table of the same shape (moto copies a whole table for every transaction, so a
 * table that grows over the class would slow the 50-way race down to timeouts).
 */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class DynamoDbLedgerContractTest extends LedgerContract {

    @Inject
    DynamoDbClient client;

    private String table;

    @BeforeEach
    void freshTable() {
        table = "contract-" + UUID.randomUUID();
        DynamoDbTable.create(client, table);
        DynamoDbTable.verify(client, table);
        // no clock-skew margin here: the contract's expired lease (1 ms, then 30 ms of sleep) would
        // otherwise still run; the margin is DynamoDbLeaseTest's
        ledger = new DynamoDbLedger(client, table, Duration.ofDays(7), java.time.Clock.systemUTC(), Duration.ZERO);
    }

    @Test
    void theServiceRunsOnTheDynamoDbLedgerOfTheConfiguredTable() {
        DynamoDbLedger configured = assertInstanceOf(DynamoDbLedger.class, ClientProxy.unwrap(selected));
        assertEquals(DynamoDbProfile.TABLE, configured.table());
    }

    @Inject
    io.devportal.webhook.ledger.Ledger selected;

    /** DynamoDB has no server clock: leases expire by the instances' clocks, less the skew margin. */
    @Override
    protected boolean leasesExpireInStoreTime() {
        return false;
    }

    @Override
    protected void writeResourcesJson(String operationId, String json) {
        client.updateItem(b -> b.tableName(table).key(DynamoDbItems.operationKey(operationId))
                .updateExpression("SET #r = :r").expressionAttributeNames(java.util.Map.of("#r", "resources"))
                .expressionAttributeValues(java.util.Map.of(":r", DynamoDbItems.str(json)))
                .conditionExpression("attribute_exists(#r)"));
    }

    @Override
    protected void moveLeaseStartBack(String credentialId, Duration by) {
        java.util.Map<String, String> names = java.util.Map.of("#s", DynamoDbItems.LEASE_SINCE);
        if (by == null) {
            client.updateItem(b -> b.tableName(table).key(DynamoDbItems.credentialKey(credentialId))
                    .updateExpression("REMOVE #s").expressionAttributeNames(names));
        } else {
            client.updateItem(b -> b.tableName(table).key(DynamoDbItems.credentialKey(credentialId))
                    .updateExpression("SET #s = #s - :by").expressionAttributeNames(names)
                    .expressionAttributeValues(java.util.Map.of(":by", DynamoDbItems.num(by.toMillis())))
                    .conditionExpression("attribute_exists(#s)"));
        }
    }
}
