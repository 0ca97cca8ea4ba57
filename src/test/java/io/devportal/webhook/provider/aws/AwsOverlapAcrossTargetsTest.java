package io.devportal.webhook.provider.aws;

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

/**
 * Operations that waited for a credential's lease while another changed it act on the credential as
 * the lease finds it, in every target: a revoke that read the credential before an update added a key
 * in a new target journals (write-ahead) and revokes that key too, also when its row is finished by
 * its journal (the next request's takeover, or the sweeper). Deterministic: latches at named points
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
        String name = unique("Stale revoke");
        String keyName = name + " (s@example.com)";
        String keyId = Api.create(Api.createBody(name, "s@example.com", apis(api("api1", List.of(plans.get(0))))))
                .then().statusCode(200).extract().path("apiKeyId");
        String withPartner = apis(api("api1", List.of(plans.get(0))), api("partner-api",
                List.of(partnerPlans.get(0))));

        // instance A: the portal's update adds the partner target; parked after its AWS work, before it confirms
        LatchedProvider.Gate parked = provider.park(LatchedProvider.Point.AFTER_CONVERGE, keyId);
        CompletableFuture<Response> update = CompletableFuture.supplyAsync(() -> Api.update("{\"apiKeyId\":\""
                + keyId + "\",\"apis\":" + withPartner + "}"));
        parked.awaitArrival();
        List<ApiKey> made = keysNamed(partner, keyName);
        assertEquals(1, made.size(), "the update made the key in the partner target");
        String partnerKey = made.get(0).id();

        // instance B: the portal's revoke reads the credential (one key) and waits for the update's lease
        LeaseWaits waits = LeaseWaits.from(registry);
        CompletableFuture<Response> revoke = CompletableFuture.supplyAsync(() ->
                Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}"));
        waits.await();
        // AWS refuses the revoke's delete in the partner target once (denied here; throttling or a 5xx alike)
        StrictAws.configure("fault=DeleteApiKey@" + PARTNER + ":403:1");
        parked.release();
        Response updated = update.get(60, TimeUnit.SECONDS);
        assertEquals(204, updated.statusCode(), updated.asString());
        Response first = revoke.get(60, TimeUnit.SECONDS);
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

    private static Set<String> ids(List<ResourceRef> refs) {
        return refs.stream().filter(ResourceRef::hasId).map(ResourceRef::id)
                .collect(java.util.stream.Collectors.toSet());
    }
}
