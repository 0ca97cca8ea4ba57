package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.SharedBudgetContract;
import io.devportal.webhook.support.DynamoDbProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The shared budget as items of the DynamoDB ledger's table (conditional puts). */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class DynamoDbSharedBudgetTest extends SharedBudgetContract {
}
