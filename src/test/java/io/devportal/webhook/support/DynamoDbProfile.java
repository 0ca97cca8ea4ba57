package io.devportal.webhook.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The service on the DynamoDB ledger, served by moto, with the AWS provider (moto too): the table
 * is created at start, finished journal rows expire after 7 days. DynamoDB is served by its own,
 * one-request-at-a-time moto ({@link DynamoDbMoto}).
 */
public class DynamoDbProfile implements QuarkusTestProfile {
    public static final String TABLE = "webhook-ledger-test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("webhook.ledger", "dynamodb",
                "webhook.dynamodb.table", TABLE,
                "webhook.dynamodb.create-table", "true",
                "webhook.dynamodb.journal-retention", "P7D",
                // moto is slower than DynamoDB, and this machine is shared: more time per attempt
                "webhook.aws.attempt-timeout", "PT10S",
                "webhook.aws.call-timeout", "PT40S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MotoResource.class), new TestResourceEntry(DynamoDbMoto.class));
    }
}
