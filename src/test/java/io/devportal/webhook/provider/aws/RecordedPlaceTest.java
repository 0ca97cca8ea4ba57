package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static io.devportal.webhook.support.MotoTargetsResource.WEST_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 item 1 inside one running service: every resource and journal entry records its place,
 * and every later action acts there. A configuration change is stood for by the ledger row an older
 * configuration wrote (the same resource, recorded under another target name, at a place no target
 * reaches, or without a place), since the service cannot restart inside one test; the built service
 * restarted with another configuration is {@link PlacesAcrossRestartsIT}.
 */
@QuarkusTest
@TestProfile(RecordedPlaceTest.Profile.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
class RecordedPlaceTest extends AwsTargetsFixture {

    /** The class's own application (see AwsTargetsTest.Targets). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    static final Place HOME = new Place(Aws.DEFAULT_ACCOUNT, "us-east-1", null);
    static final Place AWAY = new Place(Aws.DEFAULT_ACCOUNT, "eu-west-1", null);

    @ConfigProperty(name = "test.partner-user-pool", defaultValue = "unset")
    String partnerPool;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset")
    String defaultPool;

    @Inject
    Sweeper sweeper;

    @Inject
    TestClock clock;

    CredentialRecord record(String keyId) {
        return ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
    }

    /** The credential's row as an older configuration (or version) wrote it: each resource rewritten. */
    void rewrite(CredentialRecord r, UnaryOperator<ResourceRef> older) {
        Lease lease = ledger.beginOperation(Operation.Kind.UPDATE, r.id(), CredentialRecord.Status.ACTIVE,
                r.resources(), Duration.ofMinutes(1), Instant.now());
        ledger.completeUpdate(lease, r.appName(), r.developer(), r.apis(), r.scopes(),
                r.resources().stream().map(older).toList(), Instant.now());
    }

    static ResourceRef named(ResourceRef ref, String target) {
        return new ResourceRef(ref.type(), ref.id(), ref.name(), ref.operationId(), target, ref.place(), ref.before());
    }

    static boolean live(ApiGatewayClient aws, String keyId) {
        try {
            return aws.getApiKey(b -> b.apiKey(keyId)).enabled();
        } catch (NotFoundException e) {
            return false;
        }
    }

    String createKey(String name, String apis) {
        return Api.create(Api.createBody(name, "p@example.com", apis)).then().statusCode(200).extract()
                .jsonPath().getString("apiKeyId");
    }

    @Test
    void everyResourceAndEveryJournalEntryRecordsItsAccountRegionAndAClientsPool() {
        JsonPath key = Api.create(Api.createBody(unique("Placed"), "p@example.com", apis(api("api1",
                List.of(plans.get(0))), api("partner-api", List.of(partnerPlans.get(0)))))).then().statusCode(200)
                .extract().jsonPath();
        CredentialRecord keys = record(key.getString("apiKeyId"));
        assertEquals(List.of(HOME, new Place(PARTNER_ACCOUNT, PARTNER_REGION, null)),
                keys.resources().stream().map(ResourceRef::place).toList());
        Api.update("{\"apiKeyId\":\"" + key.getString("apiKeyId") + "\",\"apis\":" + apis(api("api1",
                List.of(plans.get(1))), api("partner-api", List.of(partnerPlans.get(1)))) + "}").then().statusCode(204);
        for (Operation op : ledger.operationsOf(keys.id())) {
            assertTrue(op.resources().stream().allMatch(ResourceRef::placeRecorded), op.kind() + " " + op.resources());
        }
        assertTrue(ledger.operationsOf(keys.id()).get(1).resources().stream()
                .anyMatch(r -> r.type().equals(ApiKeys.PLANS_BEFORE) && r.place().equals(HOME)),
                "the update's journal entry of the key's state before it records where the key lives");

        String clientId = Api.create("{\"appName\":\"" + unique("Placed client") + "\",\"developer\":\"p@example.com\","
                + "\"apis\":[{\"id\":\"partner-cc\",\"usagePlans\":[]}]}").then().statusCode(200).extract()
                .jsonPath().getString("clientId");
        CredentialRecord client = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow();
        assertEquals(List.of(new Place(PARTNER_ACCOUNT, PARTNER_REGION, partnerPool)),
                client.resources().stream().map(ResourceRef::place).toList());
    }

    /**
     * AWS_REGION was us-west-2 when the key was made (the default target then), and is us-east-1 now,
     * with a target west for us-west-2: the revoke deletes the key in us-west-2, where it lives. By
     * the target's name it would look in us-east-1, find nothing there and answer 204.
     */
    @Test
    void aKeyRecordedUnderTheDefaultTargetInAnotherRegionIsRevokedWhereItLives() {
        String keyId = createKey(unique("Was default"), apis(api("west-api", westPlans)));
        rewrite(record(keyId), ref -> named(ref, ResourceRef.DEFAULT_TARGET));
        assertEquals(ResourceRef.DEFAULT_TARGET, record(keyId).resources().get(0).target());
        assertTrue(live(west, keyId));
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertFalse(live(west, keyId), "deleted in us-west-2");
        assertEquals(CredentialRecord.Status.REVOKED, record(keyId).status());
    }

    @Test
    void aKeyWhoseTargetWasRenamedIsUpdatedAndRevokedThroughTheTargetThatReachesItsPlace() {
        String keyId = createKey(unique("Renamed"), apis(api("partner-api", List.of(partnerPlans.get(0)))));
        rewrite(record(keyId), ref -> named(ref, "old-partner-name"));
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("partner-api",
                List.of(partnerPlans.get(1)))) + "}").then().statusCode(204);
        assertEquals(java.util.Set.of(partnerPlans.get(1)), plansOf(partner, keyId));
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertFalse(live(partner, keyId));
    }

    @Test
    void aPlaceNoTargetReachesIs503NamingItForRevokeUpdateAndTheCreatesRetryAndNothingChanges() {
        String name = unique("Unreachable");
        String body = Api.createBody(name, "p@example.com", apis(api("api1", List.of(plans.get(0)))));
        String keyId = Api.create(body).then().statusCode(200).extract().jsonPath().getString("apiKeyId");
        CredentialRecord before = record(keyId);
        rewrite(before, ref -> ref.withPlace(AWAY));
        String expected = "API key " + keyId + " lives in account " + Aws.DEFAULT_ACCOUNT + ", Region eu-west-1, which no "
                + "configured target reaches any more (target default is Region us-east-1, user pool " + defaultPool
                + " now): configure a target there again (AWS_REGION for the service's own settings, or "
                + "webhook.targets.\"<name>\".region and .role-arn); nothing was changed";
        for (Response r : List.of(
                Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(1)))) + "}"),
                Api.create(body))) {
            assertEquals(503, r.statusCode(), r.asString());
            assertEquals("unavailable", r.jsonPath().getString("code"));
            assertEquals(expected, r.jsonPath().getString("message"));
        }
        // reconcile reports it, and --apply neither retires nor re-converges a credential it cannot see
        List<Reconciler.Finding> reconciled = findings(reconciler.reconcile(true), before.id());
        assertEquals(List.of(Reconciler.Kind.UNREACHABLE), reconciled.stream().map(Reconciler.Finding::kind).toList());
        assertEquals(expected, reconciled.get(0).detail());
        assertEquals(null, reconciled.get(0).action());
        // the revoke last: it stays journaled for the sweeper, which retries it until the place is reachable
        Response revoke = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(503, revoke.statusCode(), revoke.asString());
        assertEquals(expected, revoke.jsonPath().getString("message"));
        assertEquals(CredentialRecord.Status.ACTIVE, record(keyId).status());
        assertEquals(before.id(), ledger.findLive(before.appId()).orElseThrow().id(), "no second credential");
        assertEquals(java.util.Set.of(plans.get(0)), plansOf(home, keyId), "the key as it was");
    }

    @Test
    void aRowBeforePlacesIsDeletedWhereItIsFoundAndOtherwiseIs503UntilReconcileRecordsItsPlace() {
        String found = createKey(unique("Old found"), apis(api("api1", List.of(plans.get(0)))));
        rewrite(record(found), ref -> ref.withPlace(null));
        assertFalse(record(found).resources().get(0).placeRecorded());
        Api.revoke("{\"apiKeyId\":\"" + found + "\"}").then().statusCode(204);
        assertFalse(live(home, found), "found in the configured place: deleted");

        String name = unique("Old gone");
        String body = Api.createBody(name, "p@example.com", apis(api("api1", List.of(plans.get(0)))));
        String gone = Api.create(body).then().statusCode(200).extract().jsonPath().getString("apiKeyId");
        CredentialRecord row = record(gone);
        rewrite(row, ref -> ref.withPlace(null));
        home.deleteApiKey(b -> b.apiKey(gone)); // or: it lives where an earlier configuration put it
        String expected = "API key " + gone + " is not in target default (us-east-1), and its ledger row was written "
                + "before the webhook recorded where each resource lives: it may live where an earlier configuration "
                + "put it. Run reconcile --apply, which records the place of every resource it finds (and reports "
                + "the others as stale); nothing was changed";
        Response retry = Api.create(body);
        assertEquals(503, retry.statusCode(), retry.asString());
        assertEquals(expected, retry.jsonPath().getString("message"));
        Response revoke = Api.revoke("{\"apiKeyId\":\"" + gone + "\"}");
        assertEquals(503, revoke.statusCode(), revoke.asString());
        assertEquals(expected, revoke.jsonPath().getString("message"));
        assertEquals(row.id(), ledger.findLive(row.appId()).orElseThrow().id(), "no second credential");
        assertEquals(CredentialRecord.Status.ACTIVE, record(gone).status());
    }

    @Test
    void reconcileReportsARowBeforePlacesAndApplyRecordsThePlaceItWasFoundIn() {
        String keyId = createKey(unique("Reconciled"), apis(api("west-api", westPlans)));
        rewrite(record(keyId), ref -> ref.withPlace(null));
        List<Reconciler.Finding> seen = findings(reconciler.reconcile(false), record(keyId).id());
        assertEquals(List.of(Reconciler.Kind.UNPLACED), seen.stream().map(Reconciler.Finding::kind).toList());
        assertEquals("recorded before places; found in account " + Aws.DEFAULT_ACCOUNT + ", Region " + WEST_REGION,
                seen.get(0).detail());
        assertFalse(record(keyId).resources().get(0).placeRecorded(), "a report changes nothing");

        List<Reconciler.Finding> applied = findings(reconciler.reconcile(true), record(keyId).id());
        assertEquals(List.of("done"), applied.stream().map(Reconciler.Finding::action).toList());
        assertEquals(new Place(Aws.DEFAULT_ACCOUNT, WEST_REGION, null), record(keyId).resources().get(0).place());
        assertEquals(List.of(), findings(reconciler.reconcile(false), record(keyId).id()));
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertFalse(live(west, keyId));
    }

    @Test
    void reconcileApplyLeavesARowBeforePlacesWhoseResourceItDoesNotFindActiveAndSaysWhy() {
        String keyId = createKey(unique("Reconciled gone"), apis(api("api1", List.of(plans.get(0)))));
        rewrite(record(keyId), ref -> ref.withPlace(null));
        home.deleteApiKey(b -> b.apiKey(keyId));
        List<Reconciler.Finding> applied = findings(reconciler.reconcile(true), record(keyId).id());
        assertEquals(List.of(Reconciler.Kind.STALE), applied.stream().map(Reconciler.Finding::kind).toList());
        assertEquals("unavailable", applied.get(0).action(), "its retire is refused: not found is not gone");
        assertEquals(CredentialRecord.Status.ACTIVE, record(keyId).status());
    }

    @Test
    void aRevokeLeftToTheSweeperIsCompletedWhereTheKeyLives() {
        String keyId = createKey(unique("Swept"), apis(api("west-api", westPlans)));
        rewrite(record(keyId), ref -> named(ref, ResourceRef.DEFAULT_TARGET));
        StrictAws.configure("fault=DeleteApiKey@" + WEST + ":500:99");
        assertEquals(502, Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").statusCode());
        StrictAws.reset();
        assertTrue(live(west, keyId));
        clock.advance(Duration.ofMinutes(6));
        try {
            assertTrue(sweeper.sweep() >= 1);
        } finally {
            clock.reset();
        }
        assertFalse(live(west, keyId), "the sweeper deleted it in us-west-2");
        assertEquals(CredentialRecord.Status.REVOKED, record(keyId).status());
    }

    /**
     * The partner target's pool was another when the client was made, and its role is scoped to the
     * new pool now: AWS denies the delete in the old pool, and that is the configuration no longer
     * reaching the client (503), not a missing permission (502). In the pool it is configured for,
     * a denial stays a 502.
     */
    @Test
    void aDenialWhereTheTargetNoLongerPointsIs503AndInItsConfiguredPlaceStays502() {
        String oldPool;
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            oldPool = cognito.createUserPool(b -> b.poolName("partner-before")).userPool().id();
        }
        String made = Api.create("{\"appName\":\"" + unique("Pool moved") + "\",\"developer\":\"p@example.com\","
                + "\"apis\":[{\"id\":\"partner-cc\",\"usagePlans\":[]}]}").then().statusCode(200).extract()
                .jsonPath().getString("clientId");
        CredentialRecord row = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, made).orElseThrow();
        // the row as written while the partner's pool was oldPool (the client there)
        String movedId = made;
        rewrite(row, ref -> ref.withPlace(new Place(PARTNER_ACCOUNT, PARTNER_REGION, oldPool)));
        StrictAws.configure("fault=DeleteUserPoolClient@" + PARTNER + ":403:99");
        Response denied = Api.revoke("{\"clientId\":\"" + movedId + "\"}");
        assertEquals(503, denied.statusCode(), denied.asString());
        assertTrue(denied.jsonPath().getString("message").startsWith("app client " + movedId + " lives in account "
                + PARTNER_ACCOUNT + ", Region " + PARTNER_REGION + ", user pool " + oldPool + ", and AWS denied the "
                + "webhook there"), denied.asString());

        String sameName = unique("Pool same");
        String inPlace = Api.create("{\"appName\":\"" + sameName + "\",\"developer\":\"p@example.com\","
                + "\"apis\":[{\"id\":\"partner-cc\",\"usagePlans\":[]}]}").then().statusCode(200).extract()
                .jsonPath().getString("clientId");
        Response stays = Api.revoke("{\"clientId\":\"" + inPlace + "\"}");
        StrictAws.reset();
        assertEquals(502, stays.statusCode(), stays.asString());
        assertEquals("upstream_access_denied", stays.jsonPath().getString("code"));
    }

    static List<Reconciler.Finding> findings(Reconciler.Report report, String credentialId) {
        return report.findings().stream().filter(f -> credentialId.equals(f.credentialId())).toList();
    }
}
