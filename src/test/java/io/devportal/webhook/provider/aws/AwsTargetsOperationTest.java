package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Management;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.devportal.webhook.provider.aws.AwsTargetsFixture.api;
import static io.devportal.webhook.provider.aws.AwsTargetsFixture.apis;
import static io.devportal.webhook.provider.aws.AwsTargetsFixture.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating a webhook with targets, against moto (default account in us-east-1, partner account
 * 111122223333 in sa-east-1 through an assumed role, west in us-west-2): check-config reads each
 * target, the health check names the target that fails, metrics and audit records say where a
 * call or a resource was, and the usage-plan quota counts per target.
 */
@QuarkusTest
@TestProfile(AwsTargetsOperationTest.Profile.class)
@QuarkusTestResource(value = AwsTargetsOperationTest.RealApis.class, restrictToAnnotatedClass = true)
class AwsTargetsOperationTest {

    /** Its own application: the targets come from the resource. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    /**
     * The targets' estate, plus two real REST APIs in the partner's account: "orders", with a stage
     * prod that a usage plan serves, and "broken", whose usage plan names a stage it does not have.
     * Both are mapped to the partner target by their generated ids.
     */
    public static class RealApis extends MotoTargetsResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try (ApiGatewayClient partner = Aws.apiGateway(PARTNER_ACCOUNT, PARTNER_REGION)) {
                String orders = restApiWithStage(partner, "orders", "prod");
                String ordersPlan = partner.createUsagePlan(b -> b.name("orders-prod")
                        .apiStages(ApiStage.builder().apiId(orders).stage("prod").build())).id();
                String broken = restApiWithStage(partner, "broken", "prod");
                String brokenPlan = partner.createUsagePlan(b -> b.name("broken-beta")
                        .apiStages(ApiStage.builder().apiId(broken).stage("beta").build())).id();
                config.put("webhook.apis.\"" + orders + "\".target", PARTNER);
                config.put("webhook.apis.\"" + broken + "\".target", PARTNER);
                config.put("test.orders-api", orders);
                config.put("test.orders-plan", ordersPlan);
                config.put("test.broken-api", broken);
                config.put("test.broken-plan", brokenPlan);
            }
            return config;
        }

        static String restApiWithStage(ApiGatewayClient aws, String name, String stage) {
            String id = aws.createRestApi(b -> b.name(name)).id();
            String root = aws.getResources(b -> b.restApiId(id)).items().get(0).id();
            aws.putMethod(b -> b.restApiId(id).resourceId(root).httpMethod("GET").authorizationType("NONE")
                    .apiKeyRequired(true));
            aws.putIntegration(b -> b.restApiId(id).resourceId(root).httpMethod("GET").type(IntegrationType.MOCK));
            aws.createDeployment(b -> b.restApiId(id).stageName(stage));
            return id;
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset")
    List<String> plans;

    @ConfigProperty(name = "test.partner-plans", defaultValue = "unset")
    List<String> partnerPlans;

    @ConfigProperty(name = "test.partner-user-pool", defaultValue = "unset")
    String partnerPool;

    @ConfigProperty(name = "test.orders-api", defaultValue = "unset")
    String ordersApi;

    @ConfigProperty(name = "test.orders-plan", defaultValue = "unset")
    String ordersPlan;

    @ConfigProperty(name = "test.broken-api", defaultValue = "unset")
    String brokenApi;

    @ConfigProperty(name = "test.broken-plan", defaultValue = "unset")
    String brokenPlan;

    @Inject
    AwsConfigCheck configCheck;

    @Inject
    Ledger ledger;

    @Inject
    TestClock clock;

    @Inject
    io.devportal.webhook.provisioning.Sweeper sweeper;

    @Inject
    io.devportal.webhook.provisioning.Reconciler reconciler;

    @BeforeEach
    void clean() {
        StrictAws.reset();
        clock.advance(Duration.ofMinutes(1)); // past the health check's cache
    }

    private Map<String, AwsConfigCheck.Finding> findings() {
        return configCheck.run().stream().collect(Collectors.toMap(AwsConfigCheck.Finding::subject, f -> f,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void checkConfigReadsEveryTargetItsApisTheirStagesAndPlansAndItsPool() {
        Map<String, AwsConfigCheck.Finding> found = findings();
        assertEquals("OK    webhook.targets: 2 target(s) besides the default", found.get("webhook.targets").toString());
        assertEquals("OK    target partner (sa-east-1): reachable through role " + MotoTargetsResource.PARTNER_ROLE
                + "; usage plans can be read", found.get("target partner (sa-east-1)").toString());
        assertEquals("OK    API " + ordersApi + " in target partner: exists with stages [prod]; usage plans "
                + ordersPlan + " (prod)", found.get("API " + ordersApi + " in target partner").toString());
        assertEquals("ERROR API " + brokenApi + " in target partner: usage plan " + brokenPlan + " names stage beta, "
                + "which API " + brokenApi + " does not have in partner (sa-east-1)",
                found.get("API " + brokenApi + " in target partner").toString());
        // mapped, but no such REST API in the partner's account (the shared estate's plans name it only)
        assertEquals("ERROR API partner-api in target partner: does not exist",
                found.get("API partner-api in target partner").toString());
        assertEquals("OK    user pool " + partnerPool + " of target partner: exists",
                found.get("user pool " + partnerPool + " of target partner").toString());
        assertEquals("OK    webhook.apis.\"partner-cc\".scopes partner-cc/read: exists",
                found.get("webhook.apis.\"partner-cc\".scopes partner-cc/read").toString());
        assertEquals("OK    target west (us-west-2): reachable; usage plans can be read",
                found.get("target west (us-west-2)").toString());
        // the default target's own findings are there as before
        assertTrue(found.get("API Gateway access").ok(), found.toString());
    }

    @Test
    void theHealthCheckNamesTheTargetThatFails() {
        Api.portal().get("/v1/health").then().statusCode(204);
        clock.advance(Duration.ofMinutes(1));
        StrictAws.configure("fault=GetUsagePlans@" + MotoTargetsResource.PARTNER_ACCOUNT + "/"
                + MotoTargetsResource.PARTNER_REGION + ":403:99");
        Api.portal().get("/v1/health").then().statusCode(503)
                .body("message", equalTo("unhealthy: apigateway@partner: access denied: the role of target "
                        + "partner lacks apigateway:GET"));
    }

    @Test
    void awsCallMetricsAndAuditRecordsSayWhichTarget() {
        JsonPath issued = Api.create(Api.createBody(unique("Labels"), "l@example.com",
                apis(api("api1", List.of(plans.get(0))), api("partner-api", List.of(partnerPlans.get(0))))))
                .then().statusCode(200).extract().jsonPath();
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, issued.getString("apiKeyId"))
                .orElseThrow();
        ResourceRef partnerKey = record.resources().stream().filter(r -> r.target().equals("partner")).findFirst()
                .orElseThrow();

        String metrics = Management.scrape();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("webhook_aws_calls_seconds_count{")
                && l.contains("operation=\"CreateApiKey\"") && l.contains("target=\"partner\"")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("webhook_aws_calls_seconds_count{")
                && l.contains("operation=\"CreateApiKey\"") && l.contains("target=\"default\"")), metrics);

        List<AuditRecord> audit = ledger.audit(new AuditRecord.Query(null, null, record.id(), 0));
        AuditRecord create = audit.stream().filter(a -> a.operation().equals("CREATE")).findFirst().orElseThrow();
        assertEquals(List.of(issued.getString("apiKeyId"), partnerKey.id() + "@partner"), create.resources());
        assertTrue(io.devportal.webhook.provisioning.AuditTrail.line(create).contains(" targets=\"default,partner\" "),
                io.devportal.webhook.provisioning.AuditTrail.line(create));
    }

    @Test
    void theQuotaOfUsagePlansPerKeyCountsPerTarget() {
        // 6 + 5 plans in two targets: under 10 in each, so the quota lets it through (the plans are made up:
        // what refuses it then is AWS's "does not exist", read in each target)
        List<String> six = IntStream.range(0, 6).mapToObj(i -> "nodefault" + i).toList();
        List<String> five = IntStream.range(0, 5).mapToObj(i -> "nopartner" + i).toList();
        String spread = Api.createBody(unique("Spread"), "q@example.com",
                apis(api("api1", six), api("partner-api", five)));
        String message = Api.create(spread).then().statusCode(422).extract().path("message");
        assertTrue(message.contains("do not exist in API Gateway"), message);

        List<String> eleven = new ArrayList<>(six);
        eleven.addAll(five);
        String oneTarget = Api.create(Api.createBody(unique("Crowded"), "q@example.com",
                apis(api("api1", eleven)))).then().statusCode(422).extract().path("message");
        assertEquals("apis: the APIs name 11 distinct usage plans in target default, and an API key can be in at "
                + "most 10 (API Gateway's quota of usage plans per API key; webhook.max-usage-plans-per-key for an "
                + "account whose quota was raised)", oneTarget);
    }

    @Test
    void theSweeperFindsTheKeyACrashedCreateMadeInEachTargetByNameAndOperationTag() {
        String name = unique("Crash");
        String keyName = name + " (x@example.com)";
        java.time.Instant now = clock.instant();
        CredentialRecord pending = new CredentialRecord(java.util.UUID.randomUUID().toString(), CredentialKind.API_KEY,
                false, "aws", "app:" + name + "\nx@example.com", name, "x@example.com", null, null,
                List.of(new io.devportal.webhook.model.ApiAccess("api1", List.of(plans.get(0)), List.of(),
                        CredentialKind.API_KEY), new io.devportal.webhook.model.ApiAccess("partner-api",
                        List.of(partnerPlans.get(0)), List.of(), CredentialKind.API_KEY)),
                List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
        io.devportal.webhook.ledger.Lease lease = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        String op = lease.operationId();
        // the process journaled both intents, made both keys, and died before journaling their ids
        ledger.journalResources(lease, List.of(new ResourceRef(ApiKeys.TYPE, null, keyName, op),
                new ResourceRef(ApiKeys.TYPE, null, keyName, op, "partner")), now);
        Map<String, String> tags = Map.of(ApiKeys.TAG_MANAGED, "true", ApiKeys.TAG_OPERATION, op);
        try (ApiGatewayClient home = Aws.apiGateway();
             ApiGatewayClient partner = Aws.apiGateway(MotoTargetsResource.PARTNER_ACCOUNT,
                     MotoTargetsResource.PARTNER_REGION);
             ApiGatewayClient west = Aws.apiGateway(Aws.DEFAULT_ACCOUNT, MotoTargetsResource.WEST_REGION)) {
            String inHome = home.createApiKey(b -> b.name(keyName).enabled(true).tags(tags)).id();
            String inPartner = partner.createApiKey(b -> b.name(keyName).enabled(true).tags(tags)).id();
            String othersInPartner = partner.createApiKey(b -> b.name(keyName).enabled(true)
                    .tags(Map.of(ApiKeys.TAG_MANAGED, "true", ApiKeys.TAG_OPERATION, "another-operation"))).id();
            // the same name and tag where the journal says nothing was made: not this operation's to remove
            String inWest = west.createApiKey(b -> b.name(keyName).enabled(true).tags(tags)).id();

            ledger.abandon(lease);
            sweeper.sweep();

            assertEquals(List.of(), keyIds(home, keyName), "the default target's key is removed");
            assertEquals(List.of(othersInPartner), keyIds(partner, keyName), "the partner's key is removed, "
                    + "another operation's is left");
            assertEquals(List.of(inWest), keyIds(west, keyName), "nothing was journaled in west");
            assertTrue(!inHome.equals(inPartner));
            assertEquals(CredentialRecord.Status.ROLLED_BACK, ledger.find(pending.id()).orElseThrow().status());
        }
    }

    private static List<String> keyIds(ApiGatewayClient aws, String name) {
        return aws.getApiKeys(b -> b.nameQuery(name)).items().stream().filter(k -> k.name().equals(name))
                .map(k -> k.id()).toList();
    }

    @Test
    void aKeyInTwoTargetsIsAdoptedAsOneCredentialAndEachKeyKeepsItsOwnTargetsPlans() {
        // what a restore from an old backup leaves: the webhook's keys in AWS, unknown to the ledger
        String name = unique("Restored");
        String keyName = name + " (r@example.com)";
        String op = java.util.UUID.randomUUID().toString();
        Map<String, String> tags = new java.util.HashMap<>(Map.of(ApiKeys.TAG_MANAGED, "true",
                ApiKeys.TAG_OPERATION, op, ApiKeys.TAG_CREDENTIAL, java.util.UUID.randomUUID().toString()));
        tags.putAll(KeyTags.appIdTags("app:" + name));
        String value = "restoredvalue" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (ApiGatewayClient home = Aws.apiGateway();
             ApiGatewayClient partner = Aws.apiGateway(MotoTargetsResource.PARTNER_ACCOUNT,
                     MotoTargetsResource.PARTNER_REGION)) {
            String inHome = home.createApiKey(b -> b.name(keyName).enabled(true).value(value).tags(tags)
                    .customerId("r@example.com")).id();
            String inPartner = partner.createApiKey(b -> b.name(keyName).enabled(true).value(value).tags(tags)
                    .customerId("r@example.com")).id();
            home.createUsagePlanKey(b -> b.usagePlanId(plans.get(1)).keyId(inHome).keyType("API_KEY"));
            partner.createUsagePlanKey(b -> b.usagePlanId(partnerPlans.get(1)).keyId(inPartner).keyType("API_KEY"));

            reconciler.reconcile(false, io.devportal.webhook.provisioning.Reconciler.Orphans.ADOPT);

            CredentialRecord adopted = ledger.findByExternalId(CredentialKind.API_KEY, inHome).orElseThrow();
            assertEquals(CredentialRecord.Status.ACTIVE, adopted.status());
            assertEquals(List.of(inHome + "@default", inPartner + "@partner"), adopted.resources().stream()
                    .map(r -> r.id() + "@" + r.target()).toList(), "one credential with both keys");
            var report = reconciler.reconcile(true);
            assertEquals(List.of(), report.findings().stream().filter(f -> adopted.id().equals(f.credentialId()))
                    .toList(), "each key is on its own target's plans: no drift, nothing to converge");
            assertEquals(List.of(plans.get(1)), home.getUsagePlans(b -> b.keyId(inHome)).items().stream()
                    .map(p -> p.id()).toList());
            assertEquals(List.of(partnerPlans.get(1)), partner.getUsagePlans(b -> b.keyId(inPartner)).items()
                    .stream().map(p -> p.id()).toList());
            assertEquals(inPartner, partner.getApiKey(b -> b.apiKey(inPartner)).id(), "the partner's key stays");
        }
    }

}
