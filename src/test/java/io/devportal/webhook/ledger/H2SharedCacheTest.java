package io.devportal.webhook.ledger;

import io.devportal.webhook.ledger.jdbc.JdbcSharedCache;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The shared cache in table shared_cache (V7) of the embedded H2. */
@QuarkusTest
class H2SharedCacheTest extends SharedCacheContract {

    @Test
    void theCacheUnderTestIsTheJdbcOne() {
        assertInstanceOf(JdbcSharedCache.class, io.quarkus.arc.ClientProxy.unwrap(cache));
    }
}
