package io.devportal.webhook.ledger;

import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail and the credential listing of the admin CLI on PostgreSQL. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PostgresAuditTest {

    @Inject
    Db db;

    @Inject
    Ledger ledger;

    @Test
    void theAuditTrailAndTheListingWorkOnPostgresql() {
        assertTrue(db.string("SELECT version()").startsWith("PostgreSQL"), db.string("SELECT version()"));
        Instant start = Instant.now().minusMillis(1);
        String body = Api.createBody("Audited on pg", "Pg.Audit@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]");
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        Api.create(body).then().statusCode(200);
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();

        List<AuditRecord> trail = ledger.audit(new AuditRecord.Query(start, null, record.id(), 0));
        assertEquals(List.of("CREATE issued", "CREATE idempotent", "REVOKE done"),
                trail.stream().map(a -> a.operation() + " " + a.outcome()).toList());
        assertEquals(List.of(keyId), trail.get(0).resources());
        assertEquals("default", trail.get(0).account());
        assertEquals(List.of("REVOKE done"), ledger.audit(new AuditRecord.Query(start, "Audited on pg", null, 1))
                .stream().map(a -> a.operation() + " " + a.outcome()).toList());

        assertEquals(List.of(record.id()), ledger.list(new CredentialQuery(null, "pg.audit@EXAMPLE.com",
                CredentialRecord.Status.REVOKED, CredentialKind.API_KEY, 10)).stream().map(CredentialRecord::id).toList());
        assertEquals(List.of(), ledger.list(new CredentialQuery("Audited on pg", null, CredentialRecord.Status.ACTIVE,
                null, 10)));
    }
}
