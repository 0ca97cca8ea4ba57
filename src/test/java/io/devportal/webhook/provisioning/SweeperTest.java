package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A crash is simulated by doing a create's first half by hand and stopping there. */
@QuarkusTest
class SweeperTest {

    @Inject
    Ledger ledger;

    @Inject
    LocalCredentialProvider provider;

    @Inject
    Sweeper sweeper;

    @Inject
    TestClock clock;

    @Inject
    Db db;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** The journal a real create would write, as a crashed process would have left it. */
    private ResourceJournal journalOf(Lease lease) {
        List<ResourceRef> resources = new ArrayList<>();
        return new ResourceJournal() {
            @Override
            public void intend(ResourceRef planned) {
                resources.add(planned);
                ledger.journalResources(lease, List.copyOf(resources), clock.instant());
            }

            @Override
            public void created(ResourceRef resource) {
                ledger.journalResources(lease, List.copyOf(resources), clock.instant());
            }
        };
    }

    /** The lease of the last crashed create: expiring it stands for the time a crash leaves behind. */
    private Lease crashed;

    private String crashedCreate(String slug) {
        Instant now = clock.instant();
        String appId = CreateCommand.appId(slug, "Crashed app", "c@example.com");
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "local", appId, "Crashed app", "c@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        crashed = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        IssuedCredential issued = provider.issue(new CredentialSpec(CredentialKind.API_KEY, false, appId,
                "Crashed app", "c@example.com", apis, crashed.operationId()), journalOf(crashed));
        return issued.apiKeyId();
    }

    private static String body(String slug) {
        return "{\"appName\":\"Crashed app\",\"appSlug\":\"" + slug + "\",\"developer\":\"c@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}";
    }

    @Test
    void anAbandonedCreateIsUndoneOnlyOnceItsLeaseHasExpired() {
        String slug = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String orphan = crashedCreate(slug);
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", orphan).toUpperCase());
        // while it looks in progress, the portal's retry is told to come back
        // (when its holder's deadline, 15 s from its lease, ends: it cannot know the holder is gone)
        io.restassured.response.Response pending = Api.create(body(slug));
        assertEquals(409, pending.statusCode(), pending.asString());
        int retryAfter = Integer.parseInt(pending.header("Retry-After"));
        assertTrue(retryAfter >= 10 && retryAfter <= 15, "the rest of the holder's deadline: " + retryAfter);
        assertEquals("appName: the credential of this app is being created by another request; retry in "
                + retryAfter + " s", pending.path("message"));

        // its lease still runs (even on a clock far ahead: JDBC leases expire in database time)
        clock.advance(Duration.ofMinutes(10));
        sweeper.sweep();
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", orphan).toUpperCase());

        ledger.abandon(crashed);
        assertTrue(sweeper.sweep() >= 1);
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", orphan).toUpperCase());
        assertEquals("ROLLED_BACK", db.string("SELECT status FROM operation WHERE credential_id = "
                + "(SELECT id FROM credential WHERE api_key_id IS NULL AND app_id = ?)",
                CreateCommand.appId(slug, null, null)));

        String fresh = Api.create(body(slug)).then().statusCode(200).extract().path("apiKeyId");
        assertNotEquals(orphan, fresh);
    }

    @Test
    void anAbandonedRevokeIsCompleted() {
        String keyId = Api.create(Api.createBody("Revoke crash " + UUID.randomUUID(), "r@example.com",
                "[{\"id\":\"api1\"}]")).then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        Lease revoke = ledger.beginOperation(Operation.Kind.REVOKE, record.id(), CredentialRecord.Status.ACTIVE,
                record.resources(), Duration.ofMinutes(2), clock.instant());
        ledger.abandon(revoke);
        assertTrue(sweeper.sweep() >= 1);
        assertEquals(CredentialRecord.Status.REVOKED, ledger.find(record.id()).orElseThrow().status());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
    }

    @Test
    void anAbandonedRecheckThatNeverFoundTheCredentialGoneLeavesItLive() {
        // a create's retry that could not fetch the credential begins a RETIRE to look again; left
        // undecided (its completion failed, the process died), its row names no resource
        String keyId = Api.create(Api.createBody("Recheck crash " + UUID.randomUUID(), "k@example.com",
                "[{\"id\":\"api1\"}]")).then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        Lease recheck = ledger.beginOperation(Operation.Kind.RETIRE, record.id(), CredentialRecord.Status.ACTIVE,
                List.of(), Duration.ofMinutes(2), clock.instant());
        ledger.abandon(recheck);
        assertTrue(sweeper.sweep() >= 1);
        assertEquals(CredentialRecord.Status.ACTIVE, ledger.find(record.id()).orElseThrow().status());
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        assertEquals("FAILED", db.string("SELECT status FROM operation WHERE id = ?", recheck.operationId()));
    }
}
