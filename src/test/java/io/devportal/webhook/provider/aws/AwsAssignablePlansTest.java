package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only assignable plans (webhook.aws.assignable-plans=TAGGED, the SAM template's default, and a
 * per-API list): a plan the platform team has not tagged devportal-webhook:assignable=true, or one
 * not listed for its API, is a 422 naming the plan and the rule, checked before any key exists; an
 * update to it changes nothing; reconcile --adopt leaves a key in it an orphan.
 */
@QuarkusTest
@TestProfile(AwsAssignablePlansTest.Tagged.class)
@QuarkusTestResource(value = AwsAssignablePlansTest.Plans.class, restrictToAnnotatedClass = true)
class AwsAssignablePlansTest {
    static final String LISTED_API = "listed-api";

    /** Its own application: the rule and the list come from the resource. */
    public static class Tagged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    /**
     * The usual estate, plus: on api1, a plan tagged assignable and one that is not (an internal,
     * unthrottled plan); on listed-api, two tagged plans of which only the first is listed.
     */
    public static class Plans extends MotoResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try (ApiGatewayClient aws = Aws.apiGateway()) {
                Map<String, String> assignable = Map.of(AssignablePlans.TAG, "true");
                config.put("test.assignable-plan", plan(aws, "partners", MotoResource.API, "a1", assignable));
                config.put("test.internal-plan", plan(aws, "internal-unthrottled", MotoResource.API, "a2", Map.of()));
                config.put("test.wrongly-tagged-plan", plan(aws, "maybe", MotoResource.API, "a3",
                        Map.of(AssignablePlans.TAG, "yes")));
                String listed = plan(aws, "listed-gold", LISTED_API, "prod", assignable);
                config.put("test.listed-plan", listed);
                config.put("test.unlisted-plan", plan(aws, "listed-beta", LISTED_API, "beta", assignable));
                config.put("webhook.apis.\"" + LISTED_API + "\".usage-plans", listed);
                // tagged, on api1 and on listed-api, whose list leaves it out
                config.put("test.bridge-plan", aws.createUsagePlan(b -> b.name("bridge").tags(assignable).apiStages(
                        ApiStage.builder().apiId(MotoResource.API).stage("a4").build(),
                        ApiStage.builder().apiId(LISTED_API).stage("gamma").build())).id());
                // two real REST APIs mapped to the default target, so that check-config reads them: one served
                // only by an untagged plan (the upgrade step not done), one by a tagged plan
                String untaggedApi = AwsTargetsOperationTest.RealApis.restApiWithStage(aws, "not-yet-marked", "prod");
                String untaggedPlan = plan(aws, "not-yet-marked-prod", untaggedApi, "prod", Map.of());
                String taggedApi = AwsTargetsOperationTest.RealApis.restApiWithStage(aws, "marked", "prod");
                String taggedPlan = plan(aws, "marked-prod", taggedApi, "prod", assignable);
                config.put("webhook.apis.\"" + untaggedApi + "\".target", "default");
                config.put("webhook.apis.\"" + taggedApi + "\".target", "default");
                config.put("test.untagged-api", untaggedApi);
                config.put("test.untagged-api-plan", untaggedPlan);
                config.put("test.tagged-api", taggedApi);
                config.put("test.tagged-api-plan", taggedPlan);
            }
            config.put("webhook.aws.assignable-plans", "TAGGED");
            return config;
        }

        private static String plan(ApiGatewayClient aws, String name, String api, String stage, Map<String, String> tags) {
            return aws.createUsagePlan(b -> b.name(name).tags(tags)
                    .apiStages(ApiStage.builder().apiId(api).stage(stage).build())).id();
        }
    }

    static final ApiGatewayClient AWS = Aws.apiGateway();

    @ConfigProperty(name = "test.assignable-plan")
    String assignable;

    @ConfigProperty(name = "test.internal-plan")
    String internal;

    @ConfigProperty(name = "test.wrongly-tagged-plan")
    String wronglyTagged;

    @ConfigProperty(name = "test.listed-plan")
    String listed;

    @ConfigProperty(name = "test.unlisted-plan")
    String unlisted;

    @ConfigProperty(name = "test.bridge-plan")
    String bridge;

    @Inject
    FaultInjector faults;

    @Inject
    Ledger ledger;

    @Inject
    Reconciler reconciler;

    @Inject
    AwsConfigCheck configCheck;

    @Inject
    io.devportal.webhook.support.Db db;

    @ConfigProperty(name = "test.untagged-api")
    String untaggedApi;

    @ConfigProperty(name = "test.untagged-api-plan")
    String untaggedApiPlan;

    @ConfigProperty(name = "test.tagged-api")
    String taggedApi;

    @ConfigProperty(name = "test.tagged-api-plan")
    String taggedApiPlan;

    @BeforeEach
    void reset() {
        faults.reset();
        StrictAws.reset();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static String apis(String api, String... plans) {
        return "[{\"id\":\"" + api + "\",\"usagePlans\":[" + java.util.Arrays.stream(plans)
                .map(p -> "{\"id\":\"" + p + "\"}").collect(Collectors.joining(",")) + "]}]";
    }

    static Set<String> plansOf(String keyId) {
        return AWS.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    static List<String> keysNamed(String name) {
        return AWS.getApiKeys(b -> b.nameQuery(name)).items().stream().filter(k -> k.name().equals(name))
                .map(k -> k.id()).toList();
    }

    @Test
    void theTwinKeepsAUsagePlansTagsAsAwsDoes() {
        // the rule reads the tag from GetUsagePlan: the twin must return what the plan was given
        assertEquals(Map.of(AssignablePlans.TAG, "true"), AWS.getUsagePlan(b -> b.usagePlanId(assignable)).tags());
        assertEquals(Map.of(), AWS.getUsagePlan(b -> b.usagePlanId(internal)).tags());
    }

    @Test
    void aPlanNotTaggedAssignableIs422NamingItAndTheRuleAndNoKeyIsEverMade() {
        String name = unique("Internal plan");
        Api.create(Api.createBody(name, "i@example.com", apis(MotoResource.API, assignable, internal)))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis[].usagePlans: usage plan " + internal + " may not be handed out by "
                        + "the portal: it is not tagged devportal-webhook:assignable=true "
                        + "(webhook.aws.assignable-plans=TAGGED)"));
        assertEquals(List.of(), keysNamed(name + " (i@example.com)"));
        assertEquals(0, faults.calls("CreateApiKey"), "checked before a key was made");
        assertEquals(0, faults.calls("DeleteApiKey"));
        assertEquals(0, faults.calls("CreateUsagePlanKey"));
        assertTrue(ledger.findByExternalId(CredentialKind.API_KEY, "none").isEmpty());
    }

    @Test
    void onlyTheValueTrueMarksAPlanAssignable() {
        Api.create(Api.createBody(unique("Yes is not true"), "y@example.com", apis(MotoResource.API, wronglyTagged)))
                .then().statusCode(422)
                .body("message", equalTo("apis[].usagePlans: usage plan " + wronglyTagged + " may not be handed out "
                        + "by the portal: it is not tagged devportal-webhook:assignable=true "
                        + "(webhook.aws.assignable-plans=TAGGED)"));
    }

    @Test
    void aPlanTaggedAssignableIsHandedOut() {
        String keyId = Api.create(Api.createBody(unique("Partner plan"), "p@example.com",
                        apis(MotoResource.API, assignable)))
                .then().statusCode(200).extract().path("apiKeyId");
        assertEquals(Set.of(assignable), plansOf(keyId));
        assertEquals(1, faults.calls("CreateApiKey"));
    }

    @Test
    void anUpdateToAPlanNotTaggedAssignableIs422AndChangesNothing() {
        String name = unique("Update to internal");
        String keyId = Api.create(Api.createBody(name, "u@example.com", apis(MotoResource.API, assignable)))
                .then().statusCode(200).extract().path("apiKeyId");
        faults.reset();
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + " renamed\",\"apis\":"
                        + apis(MotoResource.API, internal) + "}")
                .then().statusCode(422)
                .body("message", equalTo("apis[].usagePlans: usage plan " + internal + " may not be handed out by "
                        + "the portal: it is not tagged devportal-webhook:assignable=true "
                        + "(webhook.aws.assignable-plans=TAGGED)"));
        assertEquals(Set.of(assignable), plansOf(keyId));
        assertEquals(name + " (u@example.com)", AWS.getApiKey(b -> b.apiKey(keyId)).name());
        assertEquals(0, faults.calls("CreateUsagePlanKey") + faults.calls("DeleteUsagePlanKey")
                + faults.calls("UpdateApiKey"));
    }

    @Test
    void aPlanNotListedForItsApiIs422NamingTheListAndAListedOneIsHandedOut() {
        String name = unique("Unlisted");
        Api.create(Api.createBody(name, "l@example.com", apis(LISTED_API, unlisted)))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis[].usagePlans: usage plan " + unlisted + " may not be handed out for "
                        + "API " + LISTED_API + ": it is not one of webhook.apis.\"" + LISTED_API + "\".usage-plans"));
        assertEquals(List.of(), keysNamed(name + " (l@example.com)"));
        assertEquals(0, faults.calls("CreateApiKey"));
        String keyId = Api.create(Api.createBody(unique("Listed"), "l@example.com", apis(LISTED_API, listed)))
                .then().statusCode(200).extract().path("apiKeyId");
        assertEquals(Set.of(listed), plansOf(keyId));
    }

    @Test
    void aPlanRequestedUnderAnotherApiIs422WhenAListedApiItServesLeavesItOut() {
        String name = unique("Bridge");
        Api.create(Api.createBody(name, "b@example.com", apis(MotoResource.API, bridge)))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis[].usagePlans: usage plan " + bridge + " may not be handed out: it also "
                        + "serves API " + LISTED_API + ", and it is not one of webhook.apis.\"" + LISTED_API
                        + "\".usage-plans"));
        assertEquals(List.of(), keysNamed(name + " (b@example.com)"));
        assertEquals(0, faults.calls("CreateApiKey"));
    }

    @Test
    void reconcileAdoptLeavesAKeyInAPlanNotTaggedAssignableAnOrphan() {
        // the webhook's keys after a restore: one in an assignable plan, one someone put in an internal plan
        String inAssignable = managedKey(unique("Adopt me"), assignable);
        String inInternal = managedKey(unique("Not me"), internal);

        var report = reconciler.reconcile(false, Reconciler.Orphans.ADOPT);

        Map<String, String> actions = new HashMap<>();
        report.findings().stream().filter(f -> f.kind() == Reconciler.Kind.ORPHAN)
                .forEach(f -> actions.put(f.resourceId(), f.action()));
        assertEquals("done", actions.get(inAssignable), report.toString());
        assertEquals("unprocessable", actions.get(inInternal), report.toString());
        assertEquals(CredentialRecord.Status.ACTIVE,
                ledger.findByExternalId(CredentialKind.API_KEY, inAssignable).orElseThrow().status());
        assertTrue(ledger.findByExternalId(CredentialKind.API_KEY, inInternal).isEmpty());
        assertEquals(Set.of(internal), plansOf(inInternal), "nothing was changed in AWS");
    }

    @Test
    void reconcileDoesNotConvergeAKeyOntoAPlanNoLongerAssignable() {
        // a credential issued on the internal plan before the rule (assignable-plans was ANY then): the
        // ledger says internal, AWS has moved the key to the partner plan
        String keyId = Api.create(Api.createBody(unique("Before the rule"), "r@example.com",
                        apis(MotoResource.API, assignable)))
                .then().statusCode(200).extract().path("apiKeyId");
        String id = db.string("SELECT id FROM credential WHERE api_key_id = ?", keyId);
        assertEquals(1, db.update("UPDATE credential SET apis = REPLACE(apis, ?, ?), usage_plans = REPLACE(usage_plans, ?, ?)"
                + " WHERE id = ?", assignable, internal, assignable, internal, id));

        var report = reconciler.reconcile(true);

        var finding = report.findings().stream().filter(f -> keyId.equals(f.resourceId())).findFirst().orElseThrow();
        assertEquals(Reconciler.Kind.DRIFT, finding.kind());
        assertEquals("unprocessable", finding.action(), report.toString());
        assertEquals(Set.of(assignable), plansOf(keyId), "the key was not put on the internal plan");
    }

    @Test
    void checkConfigNamesAnApiKeyApiThatNoAssignablePlanServes() {
        Map<String, String> report = new HashMap<>();
        configCheck.run().forEach(f -> report.put(f.subject(), f.toString()));
        assertEquals("ERROR API " + untaggedApi + " in target default: usage plans " + untaggedApiPlan + " (prod) serve "
                + "it, but none is tagged devportal-webhook:assignable=true (webhook.aws.assignable-plans=TAGGED): the "
                + "portal can hand out none of them", report.get("API " + untaggedApi + " in target default"), report.toString());
        assertEquals("OK    API " + taggedApi + " in target default: exists with stages [prod]; usage plans "
                + taggedApiPlan + " (prod, assignable)", report.get("API " + taggedApi + " in target default"));
    }

    private static String managedKey(String appName, String plan) {
        Map<String, String> tags = new HashMap<>(Map.of(ApiKeys.TAG_MANAGED, "true",
                ApiKeys.TAG_OPERATION, UUID.randomUUID().toString()));
        tags.putAll(KeyTags.appIdTags("app:" + appName));
        String id = AWS.createApiKey(b -> b.name(appName + " (a@example.com)").enabled(true).tags(tags)
                .customerId("a@example.com")).id();
        AWS.createUsagePlanKey(b -> b.usagePlanId(plan).keyId(id).keyType("API_KEY"));
        return id;
    }
}
