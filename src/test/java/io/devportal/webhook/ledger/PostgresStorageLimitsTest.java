package io.devportal.webhook.ledger;

import io.devportal.webhook.support.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.List;
import java.util.Map;

/** {@link StorageLimitsContract} on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresStorageLimitsTest.RaisedQuotaOnPostgres.class)
class PostgresStorageLimitsTest extends StorageLimitsContract {

    public static class RaisedQuotaOnPostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new RaisedQuota().getConfigOverrides();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class));
        }
    }
}
