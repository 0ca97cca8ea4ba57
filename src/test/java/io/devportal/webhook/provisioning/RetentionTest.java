package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** webhook.retention.personal-data: what ended longer ago loses its name and e-mail, nothing else. */
@QuarkusTest
@TestProfile(RetentionTest.ThirtyDays.class)
class RetentionTest {

    public static class ThirtyDays implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.retention.personal-data", "P30D");
        }
    }

    @Inject
    Ledger ledger;

    @Inject
    Retention retention;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String issue(String name) {
        return Api.create(Api.createBody(name, "r@example.com", "[{\"id\":\"api1\"}]")).then().statusCode(200)
                .extract().path("apiKeyId");
    }

    @Test
    void aCredentialRevokedLongerAgoThanTheSettingLosesItsAppNameAndDeveloperOnlyThere() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String old = issue("Old " + tag);
        Api.revoke("{\"apiKeyId\":\"" + old + "\"}").then().statusCode(204);
        clock.advance(Duration.ofDays(20));
        String recent = issue("Recent " + tag);
        Api.revoke("{\"apiKeyId\":\"" + recent + "\"}").then().statusCode(204);
        String live = issue("Live " + tag);
        clock.advance(Duration.ofDays(11));

        assertTrue(retention.apply(clock.instant()) >= 1);

        CredentialRecord erased = ledger.findByExternalId(CredentialKind.API_KEY, old).orElseThrow();
        assertEquals(List.of(Ledger.ERASED, Ledger.ERASED, CredentialRecord.Status.REVOKED),
                List.of(erased.appName(), erased.developer(), erased.status()));
        assertTrue(erased.appId().startsWith("erased:"), erased.appId());
        List<AuditRecord> trail = ledger.audit(new AuditRecord.Query(null, null, erased.id(), 0));
        assertEquals(List.of("CREATE issued " + Ledger.ERASED + " " + Ledger.ERASED,
                        "REVOKE done " + Ledger.ERASED + " " + Ledger.ERASED),
                trail.stream().map(r -> r.operation() + " " + r.outcome() + " " + r.appName() + " " + r.developer())
                        .toList());
        assertEquals("Recent " + tag, ledger.findByExternalId(CredentialKind.API_KEY, recent).orElseThrow().appName(),
                "revoked 11 days ago: kept");
        assertEquals("Live " + tag, ledger.findByExternalId(CredentialKind.API_KEY, live).orElseThrow().appName());
        // a revoke after the erasure is still a 204, and the live one still works
        Api.revoke("{\"apiKeyId\":\"" + old + "\"}").then().statusCode(204);
        Api.create(Api.createBody("Live " + tag, "r@example.com", "[{\"id\":\"api1\"}]")).then().statusCode(200);
    }
}
