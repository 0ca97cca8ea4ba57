package io.devportal.webhook.ledger;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link StorageLimitsContract} on the embedded H2 ledger. */
@QuarkusTest
@TestProfile(StorageLimitsContract.RaisedQuota.class)
class StorageLimitsTest extends StorageLimitsContract {
}
