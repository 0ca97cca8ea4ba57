package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.ConfigStub;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * API Gateway's quota of 10 usage plans per API key is checked before anything is journaled or
 * created, on every provider, with a 422 that names it. Distinct plans count, across all APIs.
 */
@QuarkusTest
class UsagePlanQuotaTest {
    private static final String ELEVEN = "apis: the APIs name 11 distinct usage plans, and an API key can be in at "
            + "most 10 (API Gateway's quota of usage plans per API key; webhook.max-usage-plans-per-key for an "
            + "account whose quota was raised)";

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    /** {"id":"<api>","usagePlans":[{"id":"p<from>"}..{"id":"p<to>"}]} */
    private static String api(String id, int from, int to) {
        return "{\"id\":\"" + id + "\",\"usagePlans\":[" + IntStream.rangeClosed(from, to)
                .mapToObj(i -> "{\"id\":\"p" + i + "\"}").collect(Collectors.joining(",")) + "]}";
    }

    private static String unique() {
        return "Quota " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void elevenDistinctPlansAcrossTheApisAreRefusedWith422NamingTheQuota() {
        String app = unique();
        Api.create(Api.createBody(app, "q@example.com", "[" + api("a", 1, 6) + "," + api("b", 6, 11) + "]"))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo(ELEVEN))
                .body("requestId", matchesPattern("[0-9a-f-]{36}"));
        assertEquals("0", db.string("SELECT COUNT(*) FROM credential WHERE app_name = ?", app));
    }

    @Test
    void tenDistinctPlansNamedByManyApisAreAccepted() {
        Api.create(Api.createBody(unique(), "q@example.com",
                        "[" + api("a", 1, 10) + "," + api("b", 1, 10) + "," + api("c", 5, 6) + "]"))
                .then().statusCode(200)
                .body("credentialType", equalTo("API_KEY"));
    }

    @Test
    void aHybridClientCarriesAnApiKeySoTheQuotaApplies() {
        Api.create(Api.createBody(unique(), "q@example.com", "[" + api("cc-api", 1, 11) + "]"))
                .then().statusCode(422)
                .body("message", equalTo(ELEVEN));
    }

    @Test
    void anUpdateToElevenDistinctPlansIsRefusedAndChangesNothing() {
        String keyId = Api.create(Api.createBody(unique(), "q@example.com", "[" + api("a", 1, 1) + "]"))
                .then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord before = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        int journaled = ledger.operationsOf(before.id()).size();
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[" + api("a", 1, 5) + "," + api("b", 6, 11) + "]}")
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo(ELEVEN));
        CredentialRecord after = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of("p1"), ApiAccess.usagePlansOf(after.apis()));
        assertEquals(journaled, ledger.operationsOf(before.id()).size(), "the refused update was journaled");
    }

    @Test
    void aClientWithoutAnApiKeyIsInNoUsagePlanSoTheQuotaDoesNotApply() {
        UsagePlanQuota quota = new UsagePlanQuota();
        quota.config = ConfigStub.webhook(Map.of("maxUsagePlansPerKey", 10));
        quota.targets = io.devportal.webhook.config.Targets.of(quota.config);
        List<RequestedApi> many = List.of(new RequestedApi("cc", IntStream.rangeClosed(1, 50)
                .mapToObj(i -> "p" + i).toList()));
        quota.check(false, many);
        WebhookException refused = assertThrows(WebhookException.class, () -> quota.check(true, many));
        assertEquals(WebhookException.Kind.UNPROCESSABLE, refused.kind());
    }

    @Test
    void theQuotaIsConfigurableForAnAccountWhoseQuotaWasRaised() {
        UsagePlanQuota quota = new UsagePlanQuota();
        quota.config = ConfigStub.webhook(Map.of("maxUsagePlansPerKey", 50));
        quota.targets = io.devportal.webhook.config.Targets.of(quota.config);
        quota.check(true, List.of(new RequestedApi("a", IntStream.rangeClosed(1, 50).mapToObj(i -> "p" + i).toList())));
        WebhookException refused = assertThrows(WebhookException.class, () -> quota.check(true, List.of(
                new RequestedApi("a", IntStream.rangeClosed(1, 50).mapToObj(i -> "p" + i).toList()),
                new RequestedApi("b", List.of("p51")))));
        assertEquals("apis: the APIs name 51 distinct usage plans, and an API key can be in at most 50 (API Gateway's "
                + "quota of usage plans per API key; webhook.max-usage-plans-per-key for an account whose quota was "
                + "raised)", refused.getMessage());
    }
}
