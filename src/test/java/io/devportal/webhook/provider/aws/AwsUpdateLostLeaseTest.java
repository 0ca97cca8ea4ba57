package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.LatchedProvider;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoTargetsResource;
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
 * An update that adds a target the app had not used, and loses its lease while it makes the key
 * there: the ledger's lease ran out (set so in the ledger here, with the update itself still in time:
 * a process that stalled, or on DynamoDB another instance whose clock runs ahead), and the sweeper
 * took the update over and restored it from the journal it read, which had the key only as planned,
 * not made. The update, let go, makes the key after the takeover; its loss path deletes that key
 * ({@code UpdateOperation.removeOwnAfterLoss}), so no key is left in the new target in no plan and in
 * no ledger row. Through the latched provider in front of the AWS provider, on moto behind StrictAws,
 * with revoke-mode DISABLE (the undo deletes all the same: a disabled key would still be an orphan).
 */
@QuarkusTest
@TestProfile(AwsUpdateLostLeaseTest.Profile.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
class AwsUpdateLostLeaseTest extends AwsTargetsFixture {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.provider", "latched", "test.latched.delegate", "aws",
                    "webhook.aws.revoke-mode", "DISABLE",
                    "webhook.request.deadline", "PT20S", "webhook.request.undo-time", "PT10S",
                    "webhook.lease.duration", "PT60S", "webhook.lease.clock-skew", "PT1S");
        }
    }

    @Inject
    LatchedProvider provider;

    @Inject
    Sweeper sweeper;

    @Inject
    Db db;

    @AfterEach
    void releaseEverything() {
        provider.reset();
    }

    private static String update(String keyId, String name, String apisJson) {
        return "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + "\",\"developer\":\"l@example.com\","
                + "\"apis\":" + apisJson + "}";
    }

    @Test
    void anUpdateThatLostItsLeaseDeletesTheKeyItMadeAfterTheTakeoverInATargetTheAppHadNotUsed() throws Exception {
        String name = unique("Lost lease");
        String keyName = name + " (l@example.com)";
        String home1 = apis(api("api1", List.of(plans.get(0))));
        String keyId = Api.create(Api.createBody(name, "l@example.com", home1)).then().statusCode(200)
                .extract().path("apiKeyId");
        String withPartner = apis(api("api1", List.of(plans.get(0))), api("partner-api",
                List.of(partnerPlans.get(0))));

        LatchedProvider.Gate parked = provider.parkAws("CreateApiKey", name);
        CompletableFuture<Response> zombie = CompletableFuture.supplyAsync(() ->
                Api.update(update(keyId, name, withPartner)));
        parked.awaitArrival();
        // the key in the partner target is journaled as planned, not made yet; the lease runs out in the
        // ledger, and the sweeper takes the update over and restores it from that journal
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(1, db.update("UPDATE credential SET lease_until = DATEADD(SECOND, -5, CURRENT_TIMESTAMP) "
                + "WHERE id = ? AND lease_holder IS NOT NULL", record.id()));
        assertEquals(1, sweeper.sweep(), "taken over");
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
        assertEquals(List.of(), keysNamed(partner, keyName), "nothing in the partner target yet");

        parked.release();
        Response answer = zombie.get(60, TimeUnit.SECONDS);
        assertEquals(503, answer.statusCode(), answer.asString());
        assertEquals("deadline_exceeded", answer.path("code"), answer.asString());
        assertEquals(List.of(), keysNamed(partner, keyName).stream().map(ApiKey::id).toList(),
                "the key the update made after the takeover is deleted, not left in no plan and no ledger row");
        assertEquals(Set.of(plans.get(0)), plansOf(home, keyId), "the portal's key as before the update");
        record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(plans.get(0)), ApiAccess.usagePlansOf(record.apis()));
        assertEquals(1, record.resources().size(), record.resources().toString());

        // the portal's retry: one key in the partner target, on its plan
        Api.update(update(keyId, name, withPartner)).then().statusCode(204);
        List<ApiKey> inPartner = keysNamed(partner, keyName);
        assertEquals(1, inPartner.size(), inPartner.toString());
        assertEquals(Set.of(partnerPlans.get(0)), plansOf(partner, inPartner.get(0).id()));
    }
}
