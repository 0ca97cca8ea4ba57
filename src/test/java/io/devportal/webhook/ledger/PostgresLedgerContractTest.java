package io.devportal.webhook.ledger;

import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger contract on a throw-away PostgreSQL server, chosen by JDBC URL. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PostgresLedgerContractTest extends LedgerContract {

    @Inject
    Db db;

    @Test
    void theLedgerUnderTestIsTheJdbcOneOnPostgresql() {
        assertInstanceOf(JdbcLedger.class, io.quarkus.arc.ClientProxy.unwrap(ledger));
        assertTrue(db.string("SELECT version()").startsWith("PostgreSQL"), db.string("SELECT version()"));
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
