package io.devportal.webhook.ledger;

import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The ledger contract on the embedded H2 (the test profile's in-memory database). */
@QuarkusTest
class H2LedgerContractTest extends LedgerContract {

    @jakarta.inject.Inject
    io.devportal.webhook.support.Db db;

    @Test
    void theLedgerUnderTestIsTheJdbcOne() {
        assertInstanceOf(JdbcLedger.class, io.quarkus.arc.ClientProxy.unwrap(ledger));
    }

    @Override
    protected boolean leasesExpireInStoreTime() {
        return true;
    }

    @Override
    protected void writeResourcesJson(String operationId, String json) {
        assertEquals(1, db.update("UPDATE operation SET resources = ? WHERE id = ?", json, operationId));
    }

    @Override
    protected void moveLeaseStartBack(String credentialId, java.time.Duration by) {
        io.devportal.webhook.support.BusyAnswers.moveLeaseStartBack(db, "id", credentialId, by);
    }
}
