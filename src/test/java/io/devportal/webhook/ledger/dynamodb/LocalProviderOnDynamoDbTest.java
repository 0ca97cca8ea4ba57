package io.devportal.webhook.ledger.dynamodb;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local provider keeps its credentials in the JDBC database, which the DynamoDB ledger does not
 * open: the combination refuses to start, and says what to set instead.
 */
@QuarkusMainTest
@TestProfile(LocalProviderOnDynamoDbTest.LocalOnDynamoDb.class)
class LocalProviderOnDynamoDbTest {

    public static class LocalOnDynamoDb implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.ledger", "dynamodb", "webhook.provider", "local");
        }
    }

    @Test
    void theLocalProviderWithTheDynamoDbLedgerRefusesToStartWithAClearMessage(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();
        assertNotEquals(0, result.exitCode());
        String output = result.getOutput() + result.getErrorOutput();
        assertTrue(output.contains("webhook.ledger=dynamodb cannot run with webhook.provider=local"), output);
        assertTrue(output.contains("Set WEBHOOK_PROVIDER=aws, or WEBHOOK_LEDGER=jdbc for the local provider"), output);
    }
}
