package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.SharedCacheContract;
import io.devportal.webhook.support.DynamoDbProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The shared cache as items of the DynamoDB ledger's table. */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class DynamoDbSharedCacheTest extends SharedCacheContract {

    @Test
    void theCacheUnderTestIsTheDynamoDbOne() {
        assertInstanceOf(DynamoDbSharedCache.class, io.quarkus.arc.ClientProxy.unwrap(cache));
    }
}
