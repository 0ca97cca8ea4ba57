package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.LeaseWaits;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.model.ApiKey;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations that waited for a credential's lease while another changed it act on the credential as
 * the lease finds it, in every target: a revoke that read the credential before an update added a key
 * in a new target journals (write-ahead) and revokes that key too, also when its row is finished by
 * its journal (the next request's takeover, or the sweeper); an update that leaves a target deletes
 * that target's key under the lease again, never a key the next update took back. Deterministic: latches at named points
 * and the lease-wait counter, no sleep. (Found by an independent review with these interleavings.)
 */
@QuarkusTest
@TestProfile(AwsOverlapAcrossTargetsTest.Profile.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
class AwsOverlapAcrossTargetsTest extends AwsTargetsFixture {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.provider", "latched", "test.latched.delegate", "aws");
        }
    }

    @Inject
    LatchedProvider provider;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void releaseEverything() {
        provider.reset();
    }

    @Test
    void aRevokeThatWaitedBehindAnUpdateAddingATargetJournalsAndRevokesThatTargetsKeyToo() throws Exception {
        RevokeBehindUpdate o = revokeBehindAnUpdateAddingThePartner("Stale revoke", "s@example.com");
        String keyId = o.keyId();
        String keyName = o.keyName();
        String partnerKey = o.partnerKey();
        // AWS refuses the revoke's delete in the partner target once (denied here; throttling or a 5xx alike)
        StrictAws.configure("fault=DeleteApiKey@" + PARTNER + ":403:1");
        o.parked().release();
        Response updated = o.update().get(60, TimeUnit.SECONDS);
        assertEquals(204, updated.statusCode(), updated.asString());
        Response first = o.revoke().get(60, TimeUnit.SECONDS);
        assertEquals(502, first.statusCode(), first.asString());

        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        List<Operation> ops = ledger.operationsOf(record.id());
        Operation revokeRow = ops.get(ops.size() - 1);
        assertEquals(Operation.Kind.REVOKE, revokeRow.kind());
        assertEquals(Set.of(keyId, partnerKey), ids(record.resources()), "the credential holds both keys");
        assertEquals(Set.of(keyId, partnerKey), ids(revokeRow.resources()),
                "the revoke journaled, before it acted, the credential as its lease found it: both keys");
        assertEquals(List.of(partnerKey), keysNamed(partner, keyName).stream().map(ApiKey::id).toList(),
                "AWS refused the partner key's delete: still there, left for the row's takeover");

        // the portal's retry of the revoke takes the abandoned row over and finishes it by its journal
        StrictAws.reset();
        Response second = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(204, second.statusCode(), second.asString());
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
        // invariant at rest: after a 204 revoke no key of the credential is live
        assertEquals(List.of(), keysNamed(partner, keyName), "the partner twin (same value) is gone after the 204");
        assertEquals(List.of(), keysNamed(home, keyName), "the portal's key is gone after the 204");
    }

    /**
     * A revoke that waited behind an update adding a target audits what it revoked: both keys, as
     * its lease found the credential, not the one key it read before it waited.
     */
    @Test
    void aRevokeThatWaitedBehindAnUpdateAuditsTheKeysItRevoked() throws Exception {
        RevokeBehindUpdate o = revokeBehindAnUpdateAddingThePartner("Audited revoke", "a@example.com");
        o.parked().release();
        assertEquals(204, o.update().get(60, TimeUnit.SECONDS).statusCode());
        Response revoked = o.revoke().get(60, TimeUnit.SECONDS);
        assertEquals(204, revoked.statusCode(), revoked.asString());

        String keyId = o.keyId();
        String partnerKey = o.partnerKey();
        String keyName = o.keyName();
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        AuditRecord audited = ledger.audit(new AuditRecord.Query(null, null, record.id(), 0)).stream()
                .filter(a -> a.operation().equals("REVOKE")).findFirst().orElseThrow();
        assertEquals(List.of(keyId, partnerKey + "@partner"), audited.resources());
        assertEquals(List.of(), keysNamed(partner, keyName), "the partner key is gone after the 204");
    }

    /** A revoke waiting for the lease of an update that adds the partner target, parked before it confirms. */
    record RevokeBehindUpdate(String keyId, String keyName, String partnerKey, LatchedProvider.Gate parked,
                              CompletableFuture<Response> update, CompletableFuture<Response> revoke) {
    }

    private RevokeBehindUpdate revokeBehindAnUpdateAddingThePartner(String label, String developer)
            throws InterruptedException {
        String name = unique(label);
        String keyName = name + " (" + developer + ")";
        String keyId = Api.create(Api.createBody(name, developer, apis(api("api1", List.of(plans.get(0))))))
                .then().statusCode(200).extract().path("apiKeyId");
        // instance A: the portal's update adds the partner target; parked after its AWS work, before it confirms
        LatchedProvider.Gate parked = provider.park(LatchedProvider.Point.AFTER_CONVERGE, keyId);
        CompletableFuture<Response> update = CompletableFuture.supplyAsync(() -> Api.update("{\"apiKeyId\":\""
                + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(0))),
                api("partner-api", List.of(partnerPlans.get(0)))) + "}"));
        parked.awaitArrival();
        List<ApiKey> made = keysNamed(partner, keyName);
        assertEquals(1, made.size(), "the update made the key in the partner target");
        // instance B: the portal's revoke reads the credential (one key) and waits for the update's lease
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> revoke = CompletableFuture.supplyAsync(() ->
                Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
        waits.await();
        return new RevokeBehindUpdate(keyId, keyName, made.get(0).id(), parked, update, revoke);
    }

    /**
     * An update that takes a target out deletes that target's key under the credential's lease
     * again, once it is confirmed: an update that puts the target back waits for that lease, finds no
     * leftover key and makes one again. (Before, the delete ran after the lease was released: the next
     * update reused the key as a leftover, confirmed it with a 204, and the first one's late delete
     * then removed it.)
     */
    @Test
    void anUpdateLeavingATargetDeletesItsKeyUnderTheLeaseSoAnUpdatePuttingItBackMakesItAgain() throws Exception {
        InBoth made = createInBoth("Late retire", "t@example.com");
        String keyName = made.keyName();
        String keyId = made.keyId();
        String partnerKey = made.partnerKey();
        String credentialId = made.credentialId();

        // update 1 leaves the partner target: confirmed, then parked in the deletion of that target's key
        LatchedProvider.Gate parked = provider.park(LatchedProvider.Point.BEFORE_REMOVE, partnerKey);
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> Api.update("{\"apiKeyId\":\""
                + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(0)))) + "}"));
        parked.awaitArrival();
        assertEquals(Set.of(keyId), ids(ledger.find(credentialId).orElseThrow().resources()), "update 1 is confirmed");
        Operation deleting = last(ledger.operationsOf(credentialId));
        assertEquals(Operation.Kind.UPDATE, deleting.kind());
        assertEquals(Operation.Status.IN_PROGRESS, deleting.status(), "the deletion holds the lease");
        assertTrue(deleting.resources().stream().anyMatch(ref -> partnerKey.equals(ref.id())),
                "journaled before the delete: " + deleting.resources());
        assertEquals(Set.of(), plansOf(partner, partnerKey), "in no usage plan since update 1");

        // update 2 puts the partner target back: it waits for the lease the deletion holds
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> Api.update("{\"apiKeyId\":\""
                + keyId + "\",\"apis\":" + both() + "}"));
        waits.await();
        parked.release();
        Response firstAnswer = first.get(60, TimeUnit.SECONDS);
        assertEquals(204, firstAnswer.statusCode(), firstAnswer.asString());
        Response secondAnswer = second.get(60, TimeUnit.SECONDS);
        assertEquals(204, secondAnswer.statusCode(), secondAnswer.asString());
        assertEquals(Operation.Status.DONE, ledger.findOperation(deleting.id()).orElseThrow().status());

        // at rest: every key the ledger lists is live on its plan; the retired one is gone
        assertPartnerKeyMadeAgain(credentialId, keyId, partnerKey, keyName);
    }

    /**
     * A retired key whose delete AWS refuses: the deletion's row is closed (the UPDATE undo has nothing
     * to put back), never left to hold up the credential's next operation; the first update's 204
     * stands, and the key, in no plan, is what an update that puts the target back takes back.
     */
    @Test
    void aRetiredKeysRefusedDeleteClosesItsRowAndLeavesTheKeyInNoPlanForTheNextUpdateToTakeBack() {
        InBoth made = createInBoth("Failed retire", "u@example.com");
        String keyName = made.keyName();
        String keyId = made.keyId();
        String partnerKey = made.partnerKey();
        String credentialId = made.credentialId();

        StrictAws.configure("fault=DeleteApiKey@" + PARTNER + ":403:1");
        Response first = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":"
                + apis(api("api1", List.of(plans.get(0)))) + "}");
        assertEquals(204, first.statusCode(), first.asString());
        assertEquals(Set.of(keyId), ids(ledger.find(credentialId).orElseThrow().resources()));
        Operation deletion = last(ledger.operationsOf(credentialId));
        assertEquals(Operation.Kind.UPDATE, deletion.kind());
        assertEquals(Operation.Status.FAILED, deletion.status(), "closed, not handed over");
        assertTrue(deletion.resources().stream().anyMatch(ref -> partnerKey.equals(ref.id())),
                "journaled before the delete: " + deletion.resources());
        assertEquals(List.of(partnerKey), keysNamed(partner, keyName).stream().map(ApiKey::id).toList());
        assertEquals(Set.of(), plansOf(partner, partnerKey), "in no usage plan");

        StrictAws.reset();
        Response second = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + both() + "}");
        assertEquals(204, second.statusCode(), second.asString());
        assertEquals(Set.of(keyId, partnerKey), ids(ledger.find(credentialId).orElseThrow().resources()),
                "the key left in no plan is taken back");
        assertEquals(Set.of(partnerPlans.get(0)), plansOf(partner, partnerKey));
    }

    /** A credential made in the default and the partner target. */
    private record InBoth(String keyName, String keyId, String partnerKey, String credentialId) {
    }

    private InBoth createInBoth(String app, String developer) {
        String name = unique(app);
        JsonPath r = Api.create(Api.createBody(name, developer, both())).then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        return new InBoth(name + " (" + developer + ")", keyId, listed(r).get(1)[2],
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());
    }

    private String both() {
        return apis(api("api1", List.of(plans.get(0))), api("partner-api", List.of(partnerPlans.get(0))));
    }

    /** The ledger lists the portal's key and a new partner key, live on its plan; the retired one is gone. */
    private void assertPartnerKeyMadeAgain(String credentialId, String keyId, String retired, String keyName) {
        Set<String> listedNow = ids(ledger.find(credentialId).orElseThrow().resources());
        assertEquals(2, listedNow.size(), listedNow.toString());
        assertTrue(listedNow.contains(keyId), listedNow.toString());
        String again = listedNow.stream().filter(id -> !id.equals(keyId)).findFirst().orElseThrow();
        assertNotEquals(retired, again, "the retired key was deleted, so the partner key was made again");
        assertEquals(List.of(again), keysNamed(partner, keyName).stream().map(ApiKey::id).toList(),
                "only the listed partner key is in AWS");
        assertEquals(Set.of(partnerPlans.get(0)), plansOf(partner, again));
        assertEquals(Set.of(plans.get(0)), plansOf(home, keyId));
    }

    private static Operation last(List<Operation> ops) {
        return ops.get(ops.size() - 1);
    }

    private static Set<String> ids(List<ResourceRef> refs) {
        return refs.stream().filter(ResourceRef::hasId).map(ResourceRef::id)
                .collect(java.util.stream.Collectors.toSet());
    }
}
