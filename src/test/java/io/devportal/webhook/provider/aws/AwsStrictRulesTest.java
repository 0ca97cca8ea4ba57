package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What real AWS refuses and moto accepts, through the strict twin (StrictAws) in front of moto:
 * tier moves on one API stage, the up-front 422s, error mapping, and revoke of a credential the
 * ledger forgot. AWS's state is read back from moto directly.
 */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsStrictRulesTest {
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "test.tier-plans", defaultValue = "unset-outside-moto-tests")
    List<String> tiers;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    FaultInjector faults;

    @Inject
    Ledger ledger;

    @Inject
    Sweeper sweeper;

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void clear() {
        faults.reset();
        clock.reset();
        StrictAws.reset();
    }

    @AfterAll
    static void close() {
        APIGW.close();
        COGNITO.close();
    }

    static Set<String> plansOf(String keyId) {
        return APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    static List<ApiKey> keysNamed(String name) {
        return APIGW.getApiKeys(b -> b.nameQuery(name)).items().stream().filter(k -> k.name().equals(name)).toList();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static String api(String apiId, String... planIds) {
        return "{\"id\":\"" + apiId + "\",\"usagePlans\":[" + java.util.Arrays.stream(planIds)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}";
    }

    String createKey(String apisJson) {
        return Api.create(Api.createBody(unique("Strict"), "s@example.com", apisJson)).then().statusCode(200)
                .extract().path("apiKeyId");
    }

    Response update(String keyId, String apisJson) {
        return Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apisJson + "}");
    }

    static void assertError(Response r, int status, String code, String message) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.path("code"));
        assertEquals(message, r.path("message"));
    }

    List<Operation> operationsOfKey(String keyId) {
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        return ledger.operationsOf(record.id());
    }

    // 1. Tier moves

    @ParameterizedTest(name = "AWS answers a second plan on the stage with {0}")
    @ValueSource(ints = {400, 409})
    void aTierMoveOnOneApiStageEndsOnTheNewPlanOnly(int conflictStatus) {
        StrictAws.configure("stageConflict=" + conflictStatus);
        String bronze = tiers.get(0);
        String gold = tiers.get(1);
        String keyId = createKey("[" + api(MotoResource.TIER_API, bronze) + "]");
        assertEquals(Set.of(bronze), plansOf(keyId));

        update(keyId, "[" + api(MotoResource.TIER_API, gold) + "]").then().statusCode(204);
        assertEquals(Set.of(gold), plansOf(keyId));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(gold), ApiAccess.usagePlansOf(record.apis()));
        // and back again
        update(keyId, "[" + api(MotoResource.TIER_API, bronze) + "]").then().statusCode(204);
        assertEquals(Set.of(bronze), plansOf(keyId));
    }

    @Test
    void aConflictForAPlanTheKeyIsNotInIs422AndThePreviousPlansAreRestored() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.CONFLICT, 1);
        assertError(update(keyId, "[" + api(MotoResource.API, plans.get(2)) + "]"), 422, "unprocessable",
                "apis[].usagePlans: AWS refused to add the key to usage plan " + plans.get(2)
                        + " (injected CONFLICT); an API key can be in one usage plan per API stage");
        assertEquals(Set.of(plans.get(0), plans.get(1)), plansOf(keyId), "the previous plans, at once");
        Operation update = operationsOfKey(keyId).get(1);
        assertEquals(Operation.Kind.UPDATE, update.kind());
        assertEquals(Operation.Status.FAILED, update.status());
    }

    @Test
    void aConflictIsAlreadyAttachedOnlyWhenTheKeysPlansSaySo() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.DONE_THEN_CONFLICT, 1);
        update(keyId, "[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]").then().statusCode(204);
        assertEquals(Set.of(plans.get(0), plans.get(1)), plansOf(keyId));
        assertTrue(faults.calls("GetUsagePlans") >= 2, "the key's plans were read after the 409");
    }

    @Test
    void anUpdateThatFailsHalfWayRestoresThePreviousPlansAtOnce() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]");
        // the one new attachment fails (a fault holds for all the SDK's attempts of one call); the restore works
        faults.fail("CreateUsagePlanKey", Fault.SERVER_ERROR, 1);
        Response r = update(keyId, "[" + api(MotoResource.API, plans.get(1), plans.get(2)) + "]");
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals(Set.of(plans.get(0), plans.get(1)), plansOf(keyId));
        assertEquals(1, faults.calls("DeleteUsagePlanKey"), "the plan that left was detached first");
        Operation update = operationsOfKey(keyId).get(1);
        assertEquals(Operation.Status.FAILED, update.status());
        assertTrue(update.resources().stream().filter(ref -> update.id().equals(ref.operationId()))
                .flatMap(ref -> KeyBefore.from(ref).stream())
                .anyMatch(b -> b.keyId().equals(keyId) && b.plans().equals(Set.of(plans.get(0), plans.get(1)))),
                "the journal row records the previous plans: " + update.resources());
    }

    @Test
    void anUpdateWhoseRestoreFailsTooIsRestoredByTheSweeper() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.SERVER_ERROR, 99);
        assertEquals(502, update(keyId, "[" + api(MotoResource.API, plans.get(2)) + "]").statusCode());
        assertEquals(Set.of(), plansOf(keyId), "half-way: the old plans detached, the new one not attached");
        assertEquals(Operation.Status.IN_PROGRESS, operationsOfKey(keyId).get(1).status());

        faults.reset();
        clock.advance(Duration.ofMinutes(6));
        assertTrue(sweeper.sweep() >= 1);
        assertEquals(Set.of(plans.get(0), plans.get(1)), plansOf(keyId));
        assertEquals(Operation.Status.FAILED, operationsOfKey(keyId).get(1).status());
    }

    @Test
    void anAbandonedUpdateIsFinishedBeforeTheNextUpdateRunsAndNeverUndoesIt() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.SERVER_ERROR, 99);
        assertEquals(502, update(keyId, "[" + api(MotoResource.API, plans.get(2)) + "]").statusCode());
        assertEquals(Operation.Status.IN_PROGRESS, operationsOfKey(keyId).get(1).status());

        faults.reset();
        // the next update finds the abandoned one's lease handed over, takes it over (restores the
        // previous plans, closes it FAILED) and only then converges
        update(keyId, "[" + api(MotoResource.API, plans.get(2)) + "]").then().statusCode(204);
        assertEquals(Set.of(plans.get(2)), plansOf(keyId));

        assertEquals(0, sweeper.sweep(), "nothing is left for the sweeper");
        assertEquals(Set.of(plans.get(2)), plansOf(keyId), "the confirmed update stands");
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.FAILED, Operation.Status.DONE),
                operationsOfKey(keyId).stream().map(Operation::status).toList());
    }

    @Test
    void aRevokeThatFailsIsCompletedByTheSweeper() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0)) + "]");
        faults.fail("DeleteApiKey", Fault.SERVER_ERROR, 99);
        assertEquals(502, Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").statusCode());
        assertEquals(Operation.Status.IN_PROGRESS, operationsOfKey(keyId).get(1).status(),
                "the failed revoke stays journaled for the sweeper");
        APIGW.getApiKey(b -> b.apiKey(keyId));

        faults.reset();
        clock.advance(Duration.ofMinutes(6));
        assertTrue(sweeper.sweep() >= 1);
        assertThrows(software.amazon.awssdk.services.apigateway.model.NotFoundException.class,
                () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
    }

    // 2. Refused up front

    @Test
    void twoRequestedPlansOnOneApiStageAre422BeforeAnyAttachment() {
        String name = unique("Two tiers");
        Response r = Api.create(Api.createBody(name, "t@example.com",
                "[" + api(MotoResource.TIER_API, tiers.get(0), tiers.get(1)) + "]"));
        assertError(r, 422, "unprocessable", "apis[].usagePlans: usage plans " + tiers.get(0) + " and "
                + tiers.get(1) + " share the API stage tiers:prod; an API key can be in one usage plan per API stage");
        assertEquals(0, faults.calls("CreateUsagePlanKey"));
        assertEquals(List.of(), keysNamed(name + " (t@example.com)"));
    }

    @Test
    void anUpdateToTwoPlansOnOneApiStageIs422AndChangesNothing() {
        String keyId = createKey("[" + api(MotoResource.TIER_API, tiers.get(0)) + "]");
        assertEquals(422, update(keyId, "[" + api(MotoResource.TIER_API, tiers.get(0), tiers.get(1)) + "]")
                .statusCode());
        assertEquals(Set.of(tiers.get(0)), plansOf(keyId));
        assertEquals(0, faults.calls("DeleteUsagePlanKey"));
    }

    @Test
    void aPlanThatServesNoStageOfItsApiIs422() {
        String name = unique("Wrong API");
        Response r = Api.create(Api.createBody(name, "w@example.com", "[" + api("other-api", plans.get(0)) + "]"));
        assertError(r, 422, "unprocessable", "apis[].usagePlans: usage plan " + plans.get(0)
                + " serves no stage of API other-api (it serves api1:s0, keyed-api:s0, keyed:s0)");
        assertEquals(List.of(), keysNamed(name + " (w@example.com)"));
    }

    @Test
    void moreThanTenPlansIs422NamingTheCapBeforeAnyAwsCall() {
        String[] eleven = IntStream.rangeClosed(1, 11).mapToObj(i -> "plan" + i).toArray(String[]::new);
        assertError(Api.create(Api.createBody(unique("Eleven"), "e@example.com", "[" + api("api1", eleven) + "]")),
                422, "unprocessable", "apis: the APIs name 11 distinct usage plans, and an API key can be in at "
                        + "most 10 (API Gateway's quota of usage plans per API key; webhook.max-usage-plans-per-key "
                        + "for an account whose quota was raised)");
        assertEquals(0, faults.calls("CreateApiKey"));
    }

    @Test
    void aConfiguredScopeThatNoResourceServerDefinesIs422() {
        assertError(Api.create(Api.createBody(unique("Ghost"), "g@example.com", "[{\"id\":\"ghost-api\"}]")),
                422, "unprocessable", "apis: OAuth scope ghost-api/read is not defined: user pool " + pool
                        + " has no resource server ghost-api (check webhook.apis.\"<apiId>\".scopes)");
        assertEquals(0, faults.calls("CreateUserPoolClient"));
    }

    @Test
    void moreThanFiftyScopesOnOneClientIs422() {
        assertError(Api.create(Api.createBody(unique("Wide"), "w@example.com", "[{\"id\":\"wide-api\"}]")),
                422, "unprocessable", "apis: the app's APIs need 51 OAuth scopes; a Cognito app client can have at "
                        + "most 50");
        assertEquals(0, faults.calls("CreateUserPoolClient"));
    }

    // 3. Error mapping

    @Test
    void aNotFoundFromAttachingWhenTheKeyIsGoneSaysTheKeyNotThePlan() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.NOT_FOUND, 1);
        // the first GetApiKey is the update's own read; the second, after the not-found, finds the key gone
        faults.failAfter("GetApiKey", Fault.NOT_FOUND, 1, 1);
        assertError(update(keyId, "[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]"), 404, "not_found",
                "apiKeyId: API key " + keyId + " no longer exists (deleted while this request ran)");
    }

    @Test
    void aNotFoundFromAttachingWhenTheKeyExistsNamesThePlan() {
        String keyId = createKey("[" + api(MotoResource.API, plans.get(0)) + "]");
        faults.fail("CreateUsagePlanKey", Fault.NOT_FOUND, 1);
        assertError(update(keyId, "[" + api(MotoResource.API, plans.get(0), plans.get(1)) + "]"), 422,
                "unprocessable", "apis[].usagePlans: usage plan " + plans.get(1) + " does not exist in API Gateway");
        assertEquals(Set.of(plans.get(0)), plansOf(keyId));
    }

    @Test
    void cognitoConcurrentModificationIs503WithRetryAfter() {
        String clientId = Api.create(Api.createBody(unique("Busy"), "b@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().path("clientId");
        faults.fail("UpdateUserPoolClient", Fault.BUSY, 99);
        Response r = Api.update("{\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":\"orders\"}]}");
        assertError(r, 503, "unavailable", "AWS is busy or unavailable (cognito-idp:UpdateUserPoolClient on app "
                + "client " + clientId + "); retry shortly");
        assertEquals("10", r.header("Retry-After"));
    }

    // 4. Revoke of what the ledger forgot

    @Test
    void revokeOfAManagedKeyTheLedgerDoesNotKnowDeletesItAndJournalsIt() {
        String keyId = APIGW.createApiKey(b -> b.name(unique("Forgotten")).enabled(true)
                .tags(Map.of(ApiKeys.TAG_MANAGED, "true", ApiKeys.TAG_OPERATION, "lost-operation"))).id();
        assertTrue(ledger.findByExternalId(CredentialKind.API_KEY, keyId).isEmpty());

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.RETIRE),
                ledger.operationsOf(record.id()).stream().map(Operation::kind).toList());
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.DONE),
                ledger.operationsOf(record.id()).stream().map(Operation::status).toList());
        // a repeat is done already
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
    }

    @Test
    void revokeOfAKeyTheWebhookDoesNotManageTouchesNothing() {
        String keyId = APIGW.createApiKey(b -> b.name(unique("Someone else's")).enabled(true)
                .tags(Map.of("team", "payments"))).id();
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertTrue(APIGW.getApiKey(b -> b.apiKey(keyId)).enabled());
        assertTrue(ledger.findByExternalId(CredentialKind.API_KEY, keyId).isEmpty());
        assertEquals(0, faults.calls("DeleteApiKey"));
    }

    @Test
    void revokeOfAManagedClientTheLedgerDoesNotKnowDeletesIt() {
        String clientId = COGNITO.createUserPoolClient(b -> b.userPoolId(pool)
                .clientName(ClientNames.name("Forgotten client", "app:forgotten")).generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("orders/read")).userPoolClient().clientId();
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}")
                .then().statusCode(204);
        assertThrows(ResourceNotFoundException.class,
                () -> COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)));
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow().status());
    }

    @Test
    void revokeOfAClientTheWebhookDoesNotManageTouchesNothing() {
        String clientId = COGNITO.createUserPoolClient(b -> b.userPoolId(pool).clientName("Mobile app")
                .generateSecret(true).allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                .allowedOAuthFlowsUserPoolClient(true).allowedOAuthScopes("orders/read")).userPoolClient().clientId();
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        assertEquals("Mobile app", COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId))
                .userPoolClient().clientName());
        assertEquals(0, faults.calls("DeleteUserPoolClient"));
    }
}
