package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several targets when things go wrong half-way, or the ledger lost a credential: a failed or
 * refused update leaves every target as it was, a key of a dropped target is made harmless before
 * it is deleted, the id the portal holds stays the credential's, and a revoke (by any target's key
 * id, or of a credential the ledger lost) removes the key in every target. Found by a review that
 * hunted for these cases; each test was red against the code before the fix.
 */
@QuarkusTest
@TestProfile(AwsTargetsRecoveryTest.Targets.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AwsTargetsRecoveryTest extends AwsTargetsFixture {

    public static class Targets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @Inject
    Db db;

    void forget(String credentialId) {
        db.update("DELETE FROM operation WHERE credential_id = ?", credentialId);
        db.update("DELETE FROM credential WHERE id = ?", credentialId);
    }

    /**
     * A key an update added in a new target carries the update's operation tag; a revoke of the
     * portal's key id that the ledger lost finds "twins" by the create's operation tag only.
     */
    @Test
    void revokeOfALostCredentialRemovesTheKeyAnUpdateAddedInAnotherTarget() {
        String name = unique("Lost after update");
        String keyId = Api.create(Api.createBody(name, "l@example.com", apis(api("api1", List.of(plans.get(0))))))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(0))),
                api("partner-api", List.of(partnerPlans.get(0)))) + "}").then().statusCode(204);
        List<ApiKey> inPartner = keysNamed(partner, name + " (l@example.com)");
        assertEquals(1, inPartner.size());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        forget(record.id());

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(keyId)));
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(inPartner.get(0).id())),
                "204, but the key (with the credential's value) still opens the partner's API");
    }

    /**
     * reconcile --adopt of a multi-target credential records one API (RESTORED_API, which lives in
     * the default target) with the first key's plans; a later reconcile --apply then sees the
     * partner's key as DRIFT and "converges" it by deleting it.
     */
    @Test
    void adoptThenApplyKeepsTheKeyInEveryTarget() {
        String name = unique("Adopted");
        JsonPath r = Api.create(Api.createBody(name, "a@example.com", apis(api("api1", List.of(plans.get(1))),
                api("partner-api", List.of(partnerPlans.get(1)))))).then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        String partnerKey = listed(r).get(1)[2];
        forget(ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());

        reconciler.reconcile(false, Reconciler.Orphans.ADOPT);
        CredentialRecord adopted = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(Set.of("default:" + keyId, "partner:" + partnerKey), adopted.resources().stream()
                .map(ref -> ref.target() + ":" + ref.id()).collect(Collectors.toSet()));

        Reconciler.Report report = reconciler.reconcile(true);
        List<Reconciler.Finding> about = report.findings().stream()
                .filter(f -> f.resourceId() != null && (f.resourceId().equals(keyId) || f.resourceId().equals(partnerKey)))
                .toList();
        try {
            assertEquals(partnerKey, partner.getApiKey(b -> b.apiKey(partnerKey)).id(),
                    "the adopted credential's partner key survives reconcile --apply; findings: " + about);
        } catch (NotFoundException e) {
            throw new AssertionError("reconcile --apply deleted the adopted credential's partner key; findings: "
                    + about, e);
        }
        assertEquals(Set.of(partnerPlans.get(1)), plansOf(partner, partnerKey));
        assertEquals(List.of(), about, "an adopted multi-target credential is no DRIFT");
    }

    /**
     * An update that drops two targets detaches both keys (journaled, so a failure puts them back)
     * and deletes them once it is confirmed. When one of those deletes is refused, the update stays
     * confirmed: that key is in no usage plan (it opens nothing), the ledger no longer lists it, and
     * reconcile finds it as an orphan and removes it.
     */
    @Test
    void anUpdateThatDropsTwoTargetsIsConfirmedEvenWhenADeleteIsRefusedAndLeavesThatKeyInNoPlan() {
        String name = unique("Two drops");
        JsonPath r = Api.create(Api.createBody(name, "t@example.com", apis(api("api1", List.of(plans.get(2))),
                        api("partner-api", List.of(partnerPlans.get(0))), api("west-api", westPlans))))
                .then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        String partnerKey = listed(r).get(1)[2];
        String westKey = listed(r).get(2)[2];
        StrictAws.configure("fault=DeleteApiKey@" + WEST + ":403");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(2)))) + "}")
                .then().statusCode(204);
        StrictAws.reset();
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(keyId), record.resources().stream().map(ResourceRef::id).toList());
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(partnerKey)));
        assertEquals(Set.of(), plansOf(west, westKey), "the key whose delete was refused opens nothing");

        Reconciler.Report report = reconciler.reconcile(false, Reconciler.Orphans.DELETE);
        assertTrue(report.findings().stream().anyMatch(f -> f.kind() == Reconciler.Kind.ORPHAN
                && westKey.equals(f.resourceId())), report.toString());
        assertThrows(NotFoundException.class, () -> west.getApiKey(b -> b.apiKey(westKey)));
        assertEquals(Set.of(plans.get(2)), plansOf(home, keyId));
    }

    /** An update refused in its last target puts the dropped target's key back on its plans. */
    @Test
    void anUpdateRefusedAfterDetachingADroppedTargetPutsItBack() {
        String name = unique("Drop undone");
        JsonPath r = Api.create(Api.createBody(name, "t@example.com", apis(api("api1", List.of(plans.get(2))),
                        api("partner-api", List.of(partnerPlans.get(0))))))
                .then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        String partnerKey = listed(r).get(1)[2];
        // drop partner, add west: west's attach is refused after partner's key was detached
        StrictAws.configure("fault=CreateUsagePlanKey@" + WEST + ":403");
        Response u = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1",
                List.of(plans.get(2))), api("west-api", westPlans)) + "}");
        assertEquals(502, u.statusCode(), u.asString());
        StrictAws.reset();
        assertEquals(Set.of(partnerPlans.get(0)), plansOf(partner, partnerKey), "the partner's key is back on its plan");
        assertEquals(List.of(), keysNamed(west, name + " (t@example.com)"), "the new target's key was removed");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(keyId, partnerKey), record.resources().stream().map(ResourceRef::id).toList());
    }

    /** An idempotent create retry answers 200 with a key listing that names a key deleted since. */
    @Test
    void anIdempotentRetryDoesNotAnswerAKeyThatIsGoneInOneTarget() {
        String name = unique("Half gone");
        String body = Api.createBody(name, "h@example.com", apis(api("api1", List.of(plans.get(3))),
                api("west-api", westPlans)));
        JsonPath r = Api.create(body).then().statusCode(200).extract().jsonPath();
        String westKey = listed(r).get(1)[2];
        west.deleteApiKey(b -> b.apiKey(westKey));
        Response again = Api.create(body);
        String answered = again.statusCode() == 200 ? again.jsonPath().getString("customCredentials.apiKeys") : "";
        assertTrue(!answered.contains(westKey), "status " + again.statusCode() + ": the retry answers " + answered
                + " although " + westKey + " no longer exists in west");
    }

    /**
     * A hybrid update whose keys converge first (dropping the default target's key, which is
     * deleted at once) and whose client is then refused with a 422 (its CC APIs now need another
     * pool): a 4xx, "nothing changed", yet the default key is gone.
     */
    @Test
    void aHybridUpdateRefused422DeletesNoKey() {
        String name = unique("Hybrid move");
        JsonPath r = Api.create(Api.createBody(name, "y@example.com", apis("{\"id\":\"partner-cc\"}",
                        api("partner-api", List.of(partnerPlans.get(0))), api("api1", List.of(plans.get(4))))))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        String homeKey = listed(r).get(1)[2];
        assertEquals("default", listed(r).get(1)[0]);
        Response u = Api.update("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId
                + "\",\"apis\":" + apis("{\"id\":\"cc-api\"}", api("partner-api", List.of(partnerPlans.get(0)))) + "}");
        assertEquals(422, u.statusCode(), u.asString());
        try {
            assertEquals(Set.of(plans.get(4)), plansOf(home, home.getApiKey(b -> b.apiKey(homeKey)).id()));
        } catch (NotFoundException e) {
            throw new AssertionError("422 (" + u.asString() + "), yet the default target's key was deleted", e);
        }
    }

    /**
     * The ledger's api_key_id (the id the portal holds, by which update and revoke find the credential)
     * stays the first key of the create; an update that merely reorders the APIs reorders the
     * resources, and an idempotent create then answers another target's key id, which update cannot find.
     */
    @Test
    void anIdempotentCreateAfterAReorderingUpdateAnswersTheIdTheLedgerKnows() {
        String name = unique("Reordered");
        String body = Api.createBody(name, "o@example.com", apis(api("api1", List.of(plans.get(3))),
                api("partner-api", List.of(partnerPlans.get(1)))));
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("partner-api", List.of(partnerPlans.get(1))),
                api("api1", List.of(plans.get(3)))) + "}").then().statusCode(204);
        JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
        String answered = again.getString("apiKeyId");
        Response u = Api.update("{\"apiKeyId\":\"" + answered + "\",\"apis\":" + apis(api("api1", List.of(plans.get(3)))) + "}");
        assertEquals(keyId, answered, "the retry answers another apiKeyId; an update by it answers " + u.statusCode()
                + " " + u.asString());
    }

    /** After an update refused half-way through its drops, an update that keeps the target succeeds. */
    @Test
    void afterAnUpdateRefusedHalfWayAnUpdateKeepingTheTargetSucceeds() {
        String name = unique("Two drops heal");
        JsonPath r = Api.create(Api.createBody(name, "t@example.com", apis(api("api1", List.of(plans.get(2))),
                        api("partner-api", List.of(partnerPlans.get(0))), api("west-api", westPlans))))
                .then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        StrictAws.configure("fault=DeleteUsagePlanKey@" + WEST + ":403");
        assertEquals(502, Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(2))))
                + "}").statusCode());
        StrictAws.reset();
        Response heal = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(2))),
                api("partner-api", List.of(partnerPlans.get(0)))) + "}");
        assertEquals(204, heal.statusCode(), heal.asString());
    }

    /**
     * The portal revokes by a key id of the customCredentials listing (not the first target's): the
     * ledger, which knows that key in a credential's resources, is not asked; the key is "adopted" as
     * an unknown credential and retired, and the real credential stays ACTIVE over deleted keys.
     */
    @Test
    void aRevokeByAnotherTargetsKeyIdRevokesTheCredentialInTheLedger() {
        String name = unique("Revoke by twin");
        JsonPath r = Api.create(Api.createBody(name, "w@example.com", apis(api("api1", List.of(plans.get(1))),
                api("west-api", westPlans)))).then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        String westKey = listed(r).get(1)[2];
        Response revoke = Api.revoke("{\"apiKeyId\":\"" + westKey + "\"}");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        boolean homeGone = gone(home, keyId);
        assertTrue(!(homeGone && record.status() == CredentialRecord.Status.ACTIVE), "revoke answered "
                + revoke.statusCode() + "; home key gone=" + homeGone + ", yet the credential is " + record.status()
                + " in the ledger with resources " + record.resources());
    }

    /** Revoke by a key an update took out (its delete failed): only that key goes, the credential's stay. */
    @Test
    void aRevokeByTheIdOfAKeyAnUpdateTookOutLeavesTheCredentialsOwnKeysAlone() {
        String name = unique("Retired revoke");
        String[] keys = westLeftInNoPlan(name, "rr@example.com", plans.get(1));
        String keyId = keys[0];
        String westKey = keys[1];
        assertEquals(Set.of(), plansOf(west, westKey), "retired west key left in no plan");

        Response revoke = Api.revoke("{\"apiKeyId\":\"" + westKey + "\"}");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        boolean homeGone = gone(home, keyId);
        assertTrue(!(homeGone && record.status() == CredentialRecord.Status.ACTIVE), "revoke of the retired key "
                + westKey + " answered " + revoke.statusCode() + "; the live home key " + keyId + " gone=" + homeGone
                + ", yet the credential is " + record.status() + " with resources " + record.resources());
        assertEquals(204, revoke.statusCode(), revoke.asString());
        assertThrows(NotFoundException.class, () -> west.getApiKey(b -> b.apiKey(westKey)), "the retired key is removed");
        assertEquals(Set.of(plans.get(1)), plansOf(home, keyId), "the live key keeps its plan");
    }


    /** An update that brings a target back takes back the key an earlier update left there in no plan. */
    @Test
    void anUpdateAddingBackATargetWhoseKeyWasLeftInNoPlanReusesThatKey() {
        String name = unique("Leftover reused");
        String[] keys = westLeftInNoPlan(name, "lr@example.com", plans.get(3));
        String keyId = keys[0];
        String leftover = keys[1];
        assertEquals(Set.of(), plansOf(west, leftover), "left in no plan");

        // a second key with the same value would be refused: the leftover is taken back instead
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(3))),
                api("west-api", westPlans)) + "}").then().statusCode(204);
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(keyId, leftover), record.resources().stream().map(ResourceRef::id).toList());
        assertEquals(Set.copyOf(westPlans), plansOf(west, leftover));
        assertEquals(1, keysNamed(west, name + " (lr@example.com)").size());
    }

    /** Adoption after a restore records the key the portal holds, wherever its target is, as the credential's id. */
    @Test
    void anAdoptedKeyOfSeveralTargetsKeepsThePortalsIdWhenItIsNotTheDefaultTargets() {
        String name = unique("Adopt partner first");
        JsonPath r = partnerFirst(name, "ap@example.com");
        String keyId = r.getString("apiKeyId");
        forget(ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());

        reconciler.reconcile(false, Reconciler.Orphans.ADOPT);
        assertUpdateByThePortalsId(keyId, "");
    }


    /**
     * An update into a target whose role cannot be assumed says which target and role. First in the
     * class: the partner's role is assumed once per application, and later tests hold its session.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void anUpdateIntoATargetWhoseRoleIsRefusedNamesThatTargetsRole() {
        String name = unique("Upd no role");
        JsonPath r = Api.create(Api.createBody(name, "unr@example.com", apis(api("api1", List.of(plans.get(2))))))
                .then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        StrictAws.configure("fault=AssumeRole@" + Aws.DEFAULT_ACCOUNT + "/" + PARTNER_REGION + ":403");
        Response u = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(2))),
                api("partner-api", List.of(partnerPlans.get(0)))) + "}");
        StrictAws.reset();
        assertEquals(502, u.statusCode(), u.asString());
        assertEquals("upstream_access_denied", u.jsonPath().getString("code"), u.asString());
        assertTrue(u.jsonPath().getString("message").contains("target partner"), u.asString());
    }


    /** Adoption of keys made before the twin-of tag: the oldest is the portal's. */
    @Test
    void anAdoptedKeyOfSeveralTargetsMadeBeforeTheTwinTagKeepsThePortalsId() {
        String name = unique("Adopt pre tag");
        JsonPath r = partnerFirst(name, "pt@example.com");
        String keyId = r.getString("apiKeyId");
        String twin = listed(r).get(1)[2];
        // as written before the twin-of tag existed: the same twin, without it (and made later than the
        // portal's key, as a create makes them; moto dates keys by the second)
        sleepPastASecond();
        var t = home.getApiKey(b -> b.apiKey(twin).includeValue(true));
        Map<String, String> tags = new java.util.HashMap<>(t.tags());
        assertEquals(keyId, tags.remove("devportal-webhook:twin-of"));
        home.deleteApiKey(b -> b.apiKey(twin));
        String old = home.createApiKey(b -> b.name(t.name()).customerId(t.customerId()).description(t.description())
                .enabled(true).value(t.value()).tags(tags)).id();
        home.createUsagePlanKey(b -> b.usagePlanId(plans.get(1)).keyId(old).keyType("API_KEY"));
        forget(ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());

        reconciler.reconcile(false, Reconciler.Orphans.ADOPT);
        assertUpdateByThePortalsId(keyId, "; by the twin's id: " + ledger.findByExternalId(CredentialKind.API_KEY, old));
    }


    /**
     * A key made in the default target (on {@code plan}) and west, then an update that takes west out
     * while west refuses the key's delete: the key id and west's key, left in no plan.
     */
    String[] westLeftInNoPlan(String name, String developer, String plan) {
        JsonPath r = Api.create(Api.createBody(name, developer, apis(api("api1", List.of(plan)),
                api("west-api", westPlans)))).then().statusCode(200).extract().jsonPath();
        String keyId = r.getString("apiKeyId");
        String westKey = listed(r).get(1)[2];
        StrictAws.configure("fault=DeleteApiKey@" + WEST + ":403");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plan))) + "}")
                .then().statusCode(204);
        StrictAws.reset();
        return new String[] {keyId, westKey};
    }

    /** A key made in the partner's target first (the portal holds that one's id), then the default target. */
    JsonPath partnerFirst(String name, String developer) {
        JsonPath r = Api.create(Api.createBody(name, developer, apis(api("partner-api",
                List.of(partnerPlans.get(1))), api("api1", List.of(plans.get(1)))))).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("partner", listed(r).get(0)[0]);
        return r;
    }

    /** After an adoption, the portal's update by the id it holds finds the credential. */
    void assertUpdateByThePortalsId(String keyId, String more) {
        Response u = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("partner-api",
                List.of(partnerPlans.get(1))), api("api1", List.of(plans.get(1)))) + "}");
        assertEquals(204, u.statusCode(), "update by the portal's id after adoption: " + u.asString()
                + "; ledger by that id: " + ledger.findByExternalId(CredentialKind.API_KEY, keyId) + more);
    }

    static boolean gone(ApiGatewayClient aws, String keyId) {
        try {
            aws.getApiKey(b -> b.apiKey(keyId));
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static void sleepPastASecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
