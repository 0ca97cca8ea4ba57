package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One webhook, three targets on moto (issue 14): the default one (the default account, us-east-1),
 * "partner" (account 111122223333 in sa-east-1, reached through an assumed role with an external id)
 * and "west" (the default account in us-west-2). Every step is read back from AWS's own state in each
 * account and Region ({@link Aws#apiGateway(String, String)}), and from the strict twin, which keeps
 * its counters per account and Region and logs the STS calls that pass through it.
 */
@QuarkusTest
@TestProfile(AwsTargetsTest.Targets.class)
@QuarkusTestResource(value = MotoTargetsResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsTargetsTest extends AwsTargetsFixture {

    /**
     * The class's own application: the targets' configuration (webhook.targets.*, webhook.apis.*.target)
     * comes from {@link MotoTargetsResource} and never meets another class's running service.
     */
    public static class Targets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    static final String OPERATION_TAG = "devportal-webhook:operation";

    @ConfigProperty(name = "test.partner-user-pool", defaultValue = "unset")
    String partnerPool;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset")
    String defaultPool;

    static int calls(String target, String operation) {
        String[] t = target.split("/");
        return StrictAws.stats(t[0], t[1]).path(operation).path("calls").asInt();
    }

    String threeTargets() {
        return apis(api("api1", List.of(plans.get(0))), api("partner-api", partnerPlans),
                api("west-api", westPlans));
    }

    /** First: the partner's role has not been assumed yet (its session is cached afterwards). */
    @Test
    @Order(1)
    void aRoleThatCannotBeAssumedIs502AndLeavesNothingInTheFirstTarget() {
        List<JsonNode> before = partnerAssumes();
        assertEquals(List.of(), before, "nothing has assumed the partner's role before the first partner call");
        StrictAws.configure("fault=AssumeRole@" + Aws.DEFAULT_ACCOUNT + "/" + PARTNER_REGION + ":403");
        String name = unique("No role");
        String body = Api.createBody(name, "n@example.com",
                apis(api("api1", List.of(plans.get(3))), api("partner-api", List.of(partnerPlans.get(0)))));
        Response r = Api.create(body);
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals(Set.of("code", "message", "requestId"), r.jsonPath().getMap("$").keySet());
        assertEquals("upstream_access_denied", r.jsonPath().getString("code"));
        assertEquals("AWS STS refused to let the webhook assume a target's role (AccessDenied, for sts:AssumeRole on "
                + "role " + MotoTargetsResource.PARTNER_ROLE + " of target partner (sa-east-1)): the role must trust the "
                + "webhook's role with the configured external id, as deploy/target-account-role.yaml does",
                r.jsonPath().getString("message"));
        assertEquals(List.of(), keysNamed(home, name + " (n@example.com)"), "the first target's key was removed");
        assertEquals(List.of(), keysNamed(partner, name + " (n@example.com)"));
        assertEquals(0, calls(PARTNER, "CreateApiKey"), "no call reached the partner account");
        List<JsonNode> refused = partnerAssumes();
        assertTrue(!refused.isEmpty() && refused.stream().allMatch(e -> e.path("status").asInt() == 403),
                refused.toString());

        StrictAws.reset();
        // the role is assumed before anything is journaled in the partner's account, so the rollback had
        // nothing to look for there and the credential is closed: the retry issues it
        Response retry = Api.create(body);
        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals(List.of("default", "partner"), listed(retry.jsonPath()).stream().map(k -> k[0]).toList());
        assertEquals(200, partnerAssumes().get(partnerAssumes().size() - 1).path("status").asInt());
    }

    static List<JsonNode> partnerAssumes() {
        List<JsonNode> assumed = new ArrayList<>();
        StrictAws.assumedRoles().forEach(entry -> {
            if (entry.path("roleArn").asText().equals(MotoTargetsResource.PARTNER_ROLE)) {
                assumed.add(entry);
            }
        });
        return assumed;
    }

    @Test
    void oneKeyValueInEveryTargetEachOnItsOwnPlans() {
        String name = unique("Everywhere");
        JsonPath r = Api.create(Api.createBody(name, "e@example.com", threeTargets()))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of("credentialType", "apiKeyId", "apiKey", "customCredentials"), r.getMap("$").keySet());
        assertEquals("API_KEY", r.getString("credentialType"));
        assertEquals(Set.of("apiKeys"), r.getMap("customCredentials").keySet());
        List<String[]> listed = listed(r);
        assertEquals(3, listed.size(), r.prettify());
        assertEquals(List.of("default:us-east-1", "partner:sa-east-1", "west:us-west-2"),
                listed.stream().map(k -> k[0] + ":" + k[1]).toList());
        String homeKey = listed.get(0)[2];
        String partnerKey = listed.get(1)[2];
        String westKey = listed.get(2)[2];
        assertEquals(homeKey, r.getString("apiKeyId"), "apiKeyId is the first target's key");
        assertEquals("default:us-east-1:" + homeKey + " partner:sa-east-1:" + partnerKey + " west:us-west-2:" + westKey,
                r.getString("customCredentials.apiKeys"));

        // each key in its own account and Region, with the one value, the name and the tags
        GetApiKeyResponse h = home.getApiKey(b -> b.apiKey(homeKey).includeValue(true));
        GetApiKeyResponse p = partner.getApiKey(b -> b.apiKey(partnerKey).includeValue(true));
        GetApiKeyResponse w = west.getApiKey(b -> b.apiKey(westKey).includeValue(true));
        for (GetApiKeyResponse key : List.of(h, p, w)) {
            assertEquals(r.getString("apiKey"), key.value());
            assertEquals(name + " (e@example.com)", key.name());
            assertEquals("e@example.com", key.customerId());
            assertTrue(key.enabled());
            // the same tags, and on the other targets' keys which key the portal holds
            Map<String, String> tags = new java.util.HashMap<>(key.tags());
            if (key != h) {
                assertEquals(homeKey, tags.remove("devportal-webhook:twin-of"));
            }
            assertEquals(h.tags(), tags);
        }
        assertEquals(null, h.tags().get("devportal-webhook:twin-of"), "the portal's key is no twin");
        assertEquals("true", p.tags().get("devportal-webhook:managed"));
        // each on exactly that target's plans
        assertEquals(Set.of(plans.get(0)), plansOf(home, homeKey));
        assertEquals(Set.copyOf(partnerPlans), plansOf(partner, partnerKey));
        assertEquals(Set.copyOf(westPlans), plansOf(west, westKey));
        // and nowhere else
        assertEquals(List.of(h.id()), keysNamed(home, h.name()).stream().map(ApiKey::id).toList());
        assertEquals(List.of(p.id()), keysNamed(partner, h.name()).stream().map(ApiKey::id).toList());
        assertEquals(List.of(w.id()), keysNamed(west, h.name()).stream().map(ApiKey::id).toList());
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(partnerKey)));
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(westKey)));
        // the calls really went to each account and Region
        assertEquals(1, calls(DEFAULT, "CreateApiKey"), StrictAws.targets().toString());
        assertEquals(1, calls(PARTNER, "CreateApiKey"), StrictAws.targets().toString());
        assertEquals(2, calls(PARTNER, "CreateUsagePlanKey"), StrictAws.targets().toString());
        assertEquals(1, calls(WEST, "CreateApiKey"), StrictAws.targets().toString());
        assertEquals(1, calls(WEST, "CreateUsagePlanKey"), StrictAws.targets().toString());
        assertEquals("{}", StrictAws.stats(PARTNER_ACCOUNT, "us-east-1").toString());

        // journaled: every key with its target
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, homeKey).orElseThrow();
        assertEquals(Set.of("default:" + homeKey, "partner:" + partnerKey, "west:" + westKey),
                record.resources().stream().filter(ref -> ref.type().equals(ApiKeys.TYPE))
                        .map(ref -> ref.target() + ":" + ref.id()).collect(Collectors.toSet()));

        // a retry answers the same, creating nothing
        faults.reset();
        JsonPath again = Api.create(Api.createBody(name, "e@example.com", threeTargets()))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(r.getMap("$"), again.getMap("$"));
        assertEquals(0, faults.calls("CreateApiKey"));
    }

    @Test
    void theFirstApisTargetHoldsTheKeyThePortalSees() {
        String name = unique("Partner first");
        JsonPath r = Api.create(Api.createBody(name, "p@example.com",
                        apis(api("partner-api", List.of(partnerPlans.get(0))), api("api1", List.of(plans.get(1))))))
                .then().statusCode(200).extract().jsonPath();
        List<String[]> listed = listed(r);
        assertEquals(List.of("partner", "default"), listed.stream().map(k -> k[0]).toList());
        assertEquals(listed.get(0)[2], r.getString("apiKeyId"));
        assertEquals(r.getString("apiKey"), partner.getApiKey(b -> b.apiKey(r.getString("apiKeyId"))
                .includeValue(true)).value());
        assertEquals(Set.of(plans.get(1)), plansOf(home, listed.get(1)[2]));
    }

    @Test
    void aKeyInOneOtherTargetLivesThereOnlyAndTheAnswerIsAsBefore() {
        String name = unique("Partner only");
        JsonPath r = Api.create(Api.createBody(name, "o@example.com", apis(api("partner-api", partnerPlans))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of("credentialType", "apiKeyId", "apiKey"), r.getMap("$").keySet());
        String keyId = r.getString("apiKeyId");
        assertEquals(r.getString("apiKey"), partner.getApiKey(b -> b.apiKey(keyId).includeValue(true)).value());
        assertEquals(Set.copyOf(partnerPlans), plansOf(partner, keyId));
        assertEquals(List.of(), keysNamed(home, name + " (o@example.com)"));
        assertEquals(0, calls(DEFAULT, "CreateApiKey"));

        // and an app of the default target alone answers exactly as a single-target webhook did
        JsonPath d = Api.create(Api.createBody(unique("Home only"), "h@example.com",
                apis(api("api1", List.of(plans.get(2)))))).then().statusCode(200).extract().jsonPath();
        assertEquals(Set.of("credentialType", "apiKeyId", "apiKey"), d.getMap("$").keySet());
        assertEquals(Set.of(plans.get(2)), plansOf(home, d.getString("apiKeyId")));
    }

    @Test
    void updateConvergesEveryTarget() {
        String name = unique("Moving");
        JsonPath r = Api.create(Api.createBody(name, "m@example.com",
                        apis(api("api1", List.of(plans.get(0))), api("partner-api", List.of(partnerPlans.get(0))))))
                .then().statusCode(200).extract().jsonPath();
        String homeKey = r.getString("apiKeyId");
        String partnerKey = listed(r).get(1)[2];
        String value = r.getString("apiKey");

        // partner: another plan; west: new; default: another plan
        Api.update("{\"apiKeyId\":\"" + homeKey + "\",\"appName\":\"" + name + "\",\"developer\":\"m@example.com\","
                        + "\"apis\":" + apis(api("api1", List.of(plans.get(1))),
                        api("partner-api", List.of(partnerPlans.get(1))), api("west-api", westPlans)) + "}")
                .then().statusCode(204);
        assertEquals(Set.of(plans.get(1)), plansOf(home, homeKey));
        assertEquals(Set.of(partnerPlans.get(1)), plansOf(partner, partnerKey));
        List<ApiKey> inWest = keysNamed(west, name + " (m@example.com)");
        assertEquals(1, inWest.size(), "the API in a new target got the key there");
        assertEquals(value, inWest.get(0).value(), "with the same value");
        assertEquals(Set.copyOf(westPlans), plansOf(west, inWest.get(0).id()));
        // the same tags, but for the operation that made it (this update)
        Map<String, String> homeTags = new java.util.TreeMap<>(home.getApiKey(b -> b.apiKey(homeKey)).tags());
        Map<String, String> westTags = new java.util.TreeMap<>(west.getApiKey(b -> b.apiKey(inWest.get(0).id())).tags());
        assertTrue(!homeTags.remove(OPERATION_TAG).equals(westTags.remove(OPERATION_TAG)));
        assertEquals(homeKey, westTags.remove("devportal-webhook:twin-of"));
        assertEquals(homeTags, westTags);

        // partner no longer used: its key goes; default still used
        Api.update("{\"apiKeyId\":\"" + homeKey + "\",\"apis\":" + apis(api("api1", List.of(plans.get(1))),
                        api("west-api", westPlans)) + "}")
                .then().statusCode(204);
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(partnerKey)));
        assertEquals(List.of(), keysNamed(partner, name + " (m@example.com)"));
        assertEquals(Set.of(plans.get(1)), plansOf(home, homeKey));
        assertEquals(Set.copyOf(westPlans), plansOf(west, inWest.get(0).id()));
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, homeKey).orElseThrow();
        assertEquals(Set.of("default:" + homeKey, "west:" + inWest.get(0).id()),
                record.resources().stream().filter(ref -> ref.type().equals(ApiKeys.TYPE))
                        .map(ref -> ref.target() + ":" + ref.id()).collect(Collectors.toSet()));

        // and revoke removes what is left, in every target
        Api.revoke("{\"apiKeyId\":\"" + homeKey + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(homeKey)));
        assertThrows(NotFoundException.class, () -> west.getApiKey(b -> b.apiKey(inWest.get(0).id())));
    }

    @Test
    void revokeRemovesTheKeyInEveryTarget() {
        String name = unique("Revoked");
        JsonPath r = Api.create(Api.createBody(name, "r@example.com", threeTargets()))
                .then().statusCode(200).extract().jsonPath();
        List<String[]> listed = listed(r);
        StrictAws.reset();
        Api.revoke("{\"apiKeyId\":\"" + r.getString("apiKeyId") + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(listed.get(0)[2])));
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(listed.get(1)[2])));
        assertThrows(NotFoundException.class, () -> west.getApiKey(b -> b.apiKey(listed.get(2)[2])));
        assertEquals(1, calls(DEFAULT, "DeleteApiKey"));
        assertEquals(1, calls(PARTNER, "DeleteApiKey"));
        assertEquals(1, calls(WEST, "DeleteApiKey"));
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, r.getString("apiKeyId")).orElseThrow().status());
        Api.revoke("{\"apiKeyId\":\"" + r.getString("apiKeyId") + "\"}").then().statusCode(204);
    }

    @ParameterizedTest(name = "{0} refused in the partner account")
    @ValueSource(strings = {"CreateApiKey", "CreateUsagePlanKey"})
    void aFaultInTheSecondTargetLeavesNothingInTheFirst(String operation) {
        StrictAws.configure("fault=" + operation + "@" + PARTNER + ":403");
        String name = unique("Half");
        String body = Api.createBody(name, "f@example.com",
                apis(api("api1", List.of(plans.get(0))), api("partner-api", List.of(partnerPlans.get(0)))));
        Response r = Api.create(body);
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals(Set.of("code", "message", "requestId"), r.jsonPath().getMap("$").keySet());
        assertEquals("upstream_access_denied", r.jsonPath().getString("code"));
        assertEquals("AWS denied the permission apigateway:POST (on " + (operation.equals("CreateApiKey")
                ? "a new API key" : "usage plan " + partnerPlans.get(0)) + ") in target partner (sa-east-1) through role "
                + MotoTargetsResource.PARTNER_ROLE + "; grant it to that role as deploy/target-account-role.yaml does",
                r.jsonPath().getString("message"));
        String keyName = name + " (f@example.com)";
        assertEquals(List.of(), keysNamed(home, keyName), "the first target's key was removed");
        assertEquals(List.of(), keysNamed(partner, keyName));
        assertEquals(1, calls(DEFAULT, "CreateApiKey"));
        assertEquals(1, calls(DEFAULT, "DeleteApiKey"));
        assertEquals(1, calls(PARTNER, operation));
        assertEquals(operation.equals("CreateApiKey") ? 0 : 1, calls(PARTNER, "DeleteApiKey"));
        StrictAws.reset();
        // nothing is held: the same create now succeeds in both
        JsonPath ok = Api.create(body).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("default", "partner"), listed(ok).stream().map(k -> k[0]).toList());
    }

    /**
     * An operator reading a denial must learn which account and Region refused, and that the
     * target's role (deploy/target-account-role.yaml) lacks the permission, not the webhook's own.
     */
    @Test
    void aDenialInATargetNamesTheTargetAndItsRole() {
        StrictAws.configure("fault=CreateApiKey@" + PARTNER + ":403");
        Response r = Api.create(Api.createBody(unique("Denied"), "d@example.com",
                apis(api("partner-api", List.of(partnerPlans.get(0))))));
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals("upstream_access_denied", r.jsonPath().getString("code"));
        String message = r.jsonPath().getString("message");
        assertEquals("AWS denied the permission apigateway:POST (on a new API key) in target partner (sa-east-1) "
                + "through role " + MotoTargetsResource.PARTNER_ROLE + "; grant it to that role as "
                + "deploy/target-account-role.yaml does", message);
    }

    @Test
    void aFaultInTheNewTargetOfAnUpdatePutsTheFirstBack() {
        String name = unique("Half update");
        String keyId = Api.create(Api.createBody(name, "u@example.com", apis(api("api1", List.of(plans.get(0))))))
                .then().statusCode(200).extract().path("apiKeyId");
        StrictAws.configure("fault=CreateUsagePlanKey@" + PARTNER + ":403");
        Response r = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apis(api("api1", List.of(plans.get(1))),
                api("partner-api", partnerPlans)) + "}");
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals("upstream_access_denied", r.jsonPath().getString("code"), r.asString());
        assertTrue(r.jsonPath().getString("message").startsWith("AWS denied the permission apigateway:POST (on "
                + "usage plan "), r.asString());
        assertTrue(r.jsonPath().getString("message").contains(" in target partner (sa-east-1) through role "),
                r.asString());
        assertEquals(Set.of(plans.get(0)), plansOf(home, keyId), "the first target's plans are as before");
        assertEquals(List.of(), keysNamed(partner, name + " (u@example.com)"), "the new target's key was removed");
    }

    @Test
    void theRoleIsAssumedWithTheExternalIdASessionNamingTheWebhookAndStsOfTheTargetsRegion() {
        Api.create(Api.createBody(unique("Assumed"), "a@example.com", apis(api("partner-api", partnerPlans))))
                .then().statusCode(200);
        List<JsonNode> assumed = partnerAssumes().stream().filter(e -> e.path("status").asInt() == 200).toList();
        assertTrue(!assumed.isEmpty(), StrictAws.assumedRoles().toString());
        for (JsonNode entry : assumed) {
            assertEquals("ext-partner-1", entry.path("externalId").asText(), entry.toString());
            assertEquals("devportal-webhook-partner", entry.path("roleSessionName").asText(), entry.toString());
            assertEquals("sa-east-1", entry.path("region").asText(), "STS of the target's Region: " + entry);
            assertEquals("sts", entry.path("service").asText(), entry.toString());
            assertEquals(Aws.DEFAULT_ACCOUNT, entry.path("callerAccount").asText(), "as the webhook's own account");
        }
        // cached: one session for the whole class, not one per call
        assertEquals(1, assumed.size(), assumed.toString());
        // the partner's calls were signed with that session: they acted in the partner account
        assertTrue(calls(PARTNER, "CreateApiKey") == 1, StrictAws.targets().toString());
        // the west target has no role: the service's own credentials, no STS call for it
        StrictAws.assumedRoles().forEach(entry -> assertTrue(!entry.path("roleSessionName").asText()
                .equals("devportal-webhook-west"), entry.toString()));
    }

    @Test
    void reconcileFindsAndDeletesAnOrphanInAnyTarget() {
        Map<String, String> managed = Map.of("devportal-webhook:managed", "true");
        String inPartner = partner.createApiKey(b -> b.name(unique("hand made")).enabled(true).tags(managed)).id();
        String inWest = west.createApiKey(b -> b.name(unique("hand made")).enabled(true).tags(managed)).id();
        String issued = Api.create(Api.createBody(unique("Held"), "k@example.com", threeTargets()))
                .then().statusCode(200).extract().path("apiKeyId");

        Reconciler.Report report = reconciler.reconcile(false);
        Map<String, String> orphans = new java.util.TreeMap<>();
        report.findings().stream().filter(f -> f.kind() == Reconciler.Kind.ORPHAN)
                .forEach(f -> orphans.put(f.resourceId(), f.detail()));
        assertEquals("unknown to the ledger (in target partner)", orphans.get(inPartner), report.toString());
        assertEquals("unknown to the ledger (in target west)", orphans.get(inWest), report.toString());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, issued).orElseThrow();
        Set<String> held = record.resources().stream().map(ResourceRef::id).collect(Collectors.toSet());
        assertEquals(3, held.size());
        // each key is compared with the plans of its own target's APIs
        List<Reconciler.Finding> aboutHeld = report.findings().stream().filter(f -> held.contains(f.resourceId()))
                .toList();
        assertEquals(List.of(), aboutHeld, "held keys on their own targets' plans are no finding");

        reconciler.reconcile(false, Reconciler.Orphans.DELETE);
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(inPartner)));
        assertThrows(NotFoundException.class, () -> west.getApiKey(b -> b.apiKey(inWest)));
        for (ResourceRef ref : record.resources()) {
            ApiGatewayClient where = switch (ref.target()) {
                case "partner" -> partner;
                case "west" -> west;
                default -> home;
            };
            assertEquals(ref.id(), where.getApiKey(b -> b.apiKey(ref.id())).id(), "the held keys stay");
        }
    }

    @Test
    void clientCredentialsOfAPartnerApiAreMadeInThePartnersPool() {
        String name = unique("Partner client");
        JsonPath r = Api.create(Api.createBody(name, "c@example.com", "[{\"id\":\"partner-cc\"}]"))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        assertEquals("https://partner-test.auth.sa-east-1.amazoncognito.com/oauth2/token",
                r.getString("customCredentials.tokenUrl"));
        assertEquals("partner-cc/read partner-cc/write", r.getString("customCredentials.scopes"));
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION);
             CognitoIdentityProviderClient defaultCognito = Aws.cognito()) {
            UserPoolClientType client = cognito.describeUserPoolClient(b -> b.userPoolId(partnerPool).clientId(clientId))
                    .userPoolClient();
            assertEquals(r.getString("clientSecret"), client.clientSecret());
            assertEquals(List.of("partner-cc/read", "partner-cc/write"), client.allowedOAuthScopes());
            assertThrows(ResourceNotFoundException.class, () -> defaultCognito.describeUserPoolClient(
                    b -> b.userPoolId(defaultPool).clientId(clientId)));
        }
        assertEquals(1, calls(PARTNER, "CreateUserPoolClient"));
        assertEquals(0, calls(DEFAULT, "CreateUserPoolClient"));
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            assertThrows(ResourceNotFoundException.class, () -> cognito.describeUserPoolClient(
                    b -> b.userPoolId(partnerPool).clientId(clientId)));
        }
    }

    @Test
    void aRevokeThatFailsInOneTargetIsFinishedByARepeat() {
        JsonPath r = Api.create(Api.createBody(unique("Stubborn"), "s@example.com",
                        apis(api("api1", List.of(plans.get(4))), api("partner-api", List.of(partnerPlans.get(1))))))
                .then().statusCode(200).extract().jsonPath();
        String homeKey = r.getString("apiKeyId");
        String partnerKey = listed(r).get(1)[2];
        StrictAws.configure("fault=DeleteApiKey@" + PARTNER + ":403:1");
        Response refused = Api.revoke("{\"apiKeyId\":\"" + homeKey + "\"}");
        assertEquals(502, refused.statusCode(), refused.asString());
        assertEquals("upstream_access_denied", refused.jsonPath().getString("code"), refused.asString());
        assertEquals(partnerKey, partner.getApiKey(b -> b.apiKey(partnerKey)).id(), "still there: the delete was refused");
        Api.revoke("{\"apiKeyId\":\"" + homeKey + "\"}").then().statusCode(204);
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(homeKey)));
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(partnerKey)));
    }

    @Test
    void clientCredentialsApisInTwoPoolsAre422NamingTheApisAndThePools() {
        String name = unique("Two pools");
        Response r = Api.create(Api.createBody(name, "t@example.com", "[{\"id\":\"cc-api\"},{\"id\":\"partner-cc\"}]"));
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals("unprocessable", r.jsonPath().getString("code"));
        assertEquals("apis: the app's client-credentials APIs need two user pools (cc-api in user pool " + defaultPool
                + " of target default (us-east-1); partner-cc in user pool " + partnerPool + " of target partner "
                + "(sa-east-1)); an app client lives in one user pool: map these APIs to targets that share one pool",
                r.jsonPath().getString("message"));
        assertEquals(0, calls(DEFAULT, "CreateUserPoolClient") + calls(PARTNER, "CreateUserPoolClient"));
    }

    @Test
    void aHybridAppGetsItsClientInThePartnersPoolAndOneKeyInBothTargets() {
        String name = unique("Hybrid");
        JsonPath r = Api.create(Api.createBody(name, "y@example.com", apis("{\"id\":\"partner-cc\"}",
                        api("partner-api", List.of(partnerPlans.get(0))), api("api1", List.of(plans.get(0))))))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            assertEquals(r.getString("clientSecret"), cognito.describeUserPoolClient(
                    b -> b.userPoolId(partnerPool).clientId(clientId)).userPoolClient().clientSecret());
        }
        String keyId = r.getString("customCredentials.apiKeyId");
        String value = r.getString("customCredentials.apiKey");
        List<String[]> listed = listed(r);
        assertEquals(List.of("partner:sa-east-1:" + keyId, "default:us-east-1:" + listed.get(1)[2]),
                listed.stream().map(k -> String.join(":", k)).toList());
        assertEquals(value, partner.getApiKey(b -> b.apiKey(keyId).includeValue(true)).value());
        assertEquals(value, home.getApiKey(b -> b.apiKey(listed.get(1)[2]).includeValue(true)).value());
        assertEquals(Set.of(partnerPlans.get(0)), plansOf(partner, keyId));
        assertEquals(Set.of(plans.get(0)), plansOf(home, listed.get(1)[2]));
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}")
                .then().statusCode(204);
        assertThrows(NotFoundException.class, () -> partner.getApiKey(b -> b.apiKey(keyId)));
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(listed.get(1)[2])));
    }
}
