package io.devportal.webhook.ledger;

import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The ledger contract on the embedded H2 (the test profile's in-memory database). */
@QuarkusTest
class H2LedgerContractTest extends LedgerContract {

    @Test
    void theLedgerUnderTestIsTheJdbcOne() {
        assertInstanceOf(JdbcLedger.class, io.quarkus.arc.ClientProxy.unwrap(ledger));
    }

    @Override
    protected boolean leasesExpireInStoreTime() {
        return true;
    }
}
