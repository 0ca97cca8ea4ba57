package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Client;
import io.devportal.webhook.support.MinistackGapProxy;
import io.devportal.webhook.support.MinistackServer;
import io.devportal.webhook.support.MinistackTargetsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlanKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.MinistackTargetsResource.OWN_ACCOUNT;
import static io.devportal.webhook.support.MinistackTargetsResource.ORDERS_BODY;
import static io.devportal.webhook.support.MinistackTargetsResource.SOUTH;
import static io.devportal.webhook.support.MinistackTargetsResource.SOUTH_ROLE;
import static io.devportal.webhook.support.MinistackTargetsResource.TARGET_ACCOUNT;
import static io.devportal.webhook.support.MinistackTargetsResource.WEST;
import static io.devportal.webhook.support.MinistackTargetsResource.WEST_ROLE;
import static io.devportal.webhook.support.MinistackTargetsResource.invokeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API keys the webhook issues in targets reached through an assumed role, used as a
 * developer's program would use them, against ministack, which enforces API keys and usage plans
 * when a stage is invoked. See {@link MinistackTargetsResource} for the targets: {@code west}
 * (us-west-2) and {@code south} (sa-east-1), each through its own role with its own external id,
 * in an account that is not the webhook's own.
 *
 * <p>What this proves, on ministack:</p>
 * <ul>
 *   <li>the webhook assumes each target's role with ministack's STS: the AssumeRole request
 *   carries the target's RoleArn, its ExternalId and the session name
 *   {@code devportal-webhook-<target>}, is signed with the webhook's own credentials for the
 *   target's Region, and every API Gateway call of that Region is then signed with the access key
 *   STS issued for that role, never with the webhook's own ({@link MinistackGapProxy} sees the
 *   traffic);</li>
 *   <li>the key lands in the role's account and the target's Region, and in no other account or
 *   Region (ministack keeps accounts and Regions apart in its control plane);</li>
 *   <li>a client with that key gets {@code 200} from the target's stage, {@code 403} without it,
 *   with another value or on a stage of that target whose plan the key is not on, and
 *   {@code 403} after revoke;</li>
 *   <li>an app whose APIs span the two Regions gets one value that opens both stages, a key in
 *   each Region with that value on that Region's plan, both listed in customCredentials.apiKeys;
 *   an update that adds the second Region opens it with the same value, one that drops the first
 *   closes it; after revoke neither opens.</li>
 * </ul>
 *
 * <p>What ministack cannot prove (moto-based tests and StrictAws cover the rest):</p>
 * <ul>
 *   <li>a second account for a client: ministack lets an unsigned request (a client with an API
 *   key) invoke only the APIs of its ambient account, so both targets' roles are in that account
 *   ({@value MinistackTargetsResource#TARGET_ACCOUNT}) and the webhook's own account
 *   ({@value MinistackTargetsResource#OWN_ACCOUNT}) holds no API a client calls. The two targets
 *   are two Regions of one target account, not two accounts;</li>
 *   <li>the trust policy and the external id: ministack (without AUTH, which the shared instance
 *   cannot turn on for the other tests) lets any caller assume any role ARN, with or without an
 *   external id, and checks no trust policy. That the right external id is sent is asserted on
 *   the request itself; that a wrong one would be refused is not provable here;</li>
 *   <li>the regional STS endpoint: every call goes to the one ministack endpoint (aws.endpointUrl),
 *   so only the Region of the STS request's signature is seen, not the host it would reach;</li>
 *   <li>Regions in a client's URL: ministack's path-style invoke URL names no Region; it finds the
 *   API by id in its own Region, and the key in that API's account and Region only with the
 *   correction {@link MinistackServer} applies (ministack 1.5.33 alone lets one value in only in
 *   the Region whose key was made first).</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(value = MinistackTargetsResource.class, restrictToAnnotatedClass = true)
class TargetsWorkForARealClientTest {
    static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";
    static final ApiGatewayClient WEST_AS_TARGET = MinistackTargetsResource.apiGateway(TARGET_ACCOUNT, WEST);
    static final ApiGatewayClient SOUTH_AS_TARGET = MinistackTargetsResource.apiGateway(TARGET_ACCOUNT, SOUTH);

    @ConfigProperty(name = "test.ministack.west-orders", defaultValue = "unset")
    String westOrders;
    @ConfigProperty(name = "test.ministack.west-other", defaultValue = "unset")
    String westOther;
    @ConfigProperty(name = "test.ministack.south-orders", defaultValue = "unset")
    String southOrders;
    @ConfigProperty(name = "test.ministack.west-plan", defaultValue = "unset")
    String westPlan;
    @ConfigProperty(name = "test.ministack.west-other-plan", defaultValue = "unset")
    String westOtherPlan;
    @ConfigProperty(name = "test.ministack.south-plan", defaultValue = "unset")
    String southPlan;
    @ConfigProperty(name = "test.ministack.west-external-id", defaultValue = "unset")
    String westExternalId;
    @ConfigProperty(name = "test.ministack.south-external-id", defaultValue = "unset")
    String southExternalId;

    /** The keys this test issued: revoked again after it, so that a failed test leaves no key on the shared plans. */
    final List<String> issued = new ArrayList<>();

    @AfterEach
    void revokeLeftovers() {
        issued.forEach(id -> Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + id + "\"}"));
    }

    @AfterAll
    static void close() {
        WEST_AS_TARGET.close();
        SOUTH_AS_TARGET.close();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static String api(String apiId, String planId) {
        return "{\"id\":\"" + apiId + "\",\"usagePlans\":[{\"id\":\"" + planId + "\"}]}";
    }

    JsonPath createKey(String... apis) {
        JsonPath r = Api.create(Api.createBody(unique("Target client"), "dev@example.com",
                "[" + String.join(",", apis) + "]")).then().statusCode(200).extract().jsonPath();
        assertEquals("API_KEY", r.getString("credentialType"));
        issued.add(r.getString("apiKeyId"));
        return r;
    }

    static void assertAnswer(int status, String body, Client.Answer answer) {
        assertEquals(status + " " + body, answer.status() + " " + answer.body());
    }

    static Client.Answer call(String apiId, String key) {
        return Client.get(invokeUrl(apiId, "orders"), key, null);
    }

    /** customCredentials.apiKeys ("target:Region:keyId ...") as target -> "Region:keyId". */
    static Map<String, String> listing(String apiKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : apiKeys.split(" ")) {
            int colon = entry.indexOf(':');
            out.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return out;
    }

    /** The key as the account sees it in the Region, or a NotFoundException. */
    static GetApiKeyResponse key(String account, Region region, String id) {
        try (ApiGatewayClient apigw = MinistackTargetsResource.apiGateway(account, region)) {
            return apigw.getApiKey(b -> b.apiKey(id).includeValue(true));
        }
    }

    /** The key exists in the target account and Region only: not in the webhook's own account, not in another Region. */
    static GetApiKeyResponse assertKeyOnlyIn(Region region, String id, String value) {
        GetApiKeyResponse key = key(TARGET_ACCOUNT, region, id);
        assertEquals(value, key.value());
        assertTrue(key.enabled());
        for (Region other : List.of(Region.US_EAST_1, WEST, SOUTH)) {
            assertThrows(NotFoundException.class, () -> key(OWN_ACCOUNT, other, id), "own account, " + other);
            if (!other.equals(region)) {
                assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, other, id), "target account, " + other);
            }
        }
        return key;
    }

    /**
     * The existing keys on the plan. ministack 1.5.33 keeps a deleted key's entry on the plans it
     * was on (AWS removes it with the key), so a revoked key of an earlier test would otherwise
     * still be listed.
     */
    static Set<String> planKeys(ApiGatewayClient apigw, String plan) {
        return apigw.getUsagePlanKeys(b -> b.usagePlanId(plan).limit(500)).items().stream().map(UsagePlanKey::id)
                .filter(id -> exists(apigw, id)).collect(Collectors.toSet());
    }

    static boolean exists(ApiGatewayClient apigw, String keyId) {
        try {
            apigw.getApiKey(b -> b.apiKey(keyId));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * The webhook assumed the role (at least once, with the target's external id and session
     * name, signed with its own credentials for the target's Region), and every API Gateway call it
     * signed for that Region used credentials STS issued for that role.
     */
    static void assertReachedThroughTheRole(String role, String externalId, String target, Region region) {
        List<MinistackGapProxy.Call> calls = MinistackGapProxy.calls();
        List<MinistackGapProxy.Call> assumed = calls.stream()
                .filter(c -> "AssumeRole".equals(c.action()) && role.equals(c.params().get("RoleArn"))).toList();
        assertFalse(assumed.isEmpty(), "no AssumeRole of " + role + " among " + calls.size() + " calls");
        for (MinistackGapProxy.Call c : assumed) {
            assertEquals(externalId, c.params().get("ExternalId"), c.toString());
            assertEquals("devportal-webhook-" + target, c.params().get("RoleSessionName"), c.toString());
            assertEquals("sts", c.service(), c.toString());
            assertEquals(region.id(), c.region(), "STS of the target's Region: " + c);
            assertEquals(OWN_ACCOUNT, c.accessKey(), "assumed with the webhook's own credentials: " + c);
            assertEquals(200, c.status(), c.toString());
            assertTrue(c.issued().isPresent(), c.toString());
        }
        Set<String> issued = assumed.stream().map(c -> c.issued().orElseThrow()).collect(Collectors.toSet());
        List<MinistackGapProxy.Call> gateway = calls.stream()
                .filter(c -> "apigateway".equals(c.service()) && region.id().equals(c.region())).toList();
        assertFalse(gateway.isEmpty(), "no API Gateway call signed for " + region);
        for (MinistackGapProxy.Call c : gateway) {
            assertTrue(issued.contains(c.accessKey()), "signed with " + c.accessKey() + ", not with the credentials "
                    + "of " + role + " " + issued + ": " + c.method() + " " + c.path());
        }
    }

    @Test
    void aKeyMadeThroughTheAssumedRoleOpensItsTargetsStageForAClientAndNothingAfterRevoke() {
        JsonPath r = createKey(api(westOrders, westPlan));
        String id = r.getString("apiKeyId");
        String value = r.getString("apiKey");
        // one target: no listing of keys per target
        assertNull(r.get("customCredentials.apiKeys"));

        assertAnswer(403, FORBIDDEN, call(westOrders, null));
        assertAnswer(403, FORBIDDEN, call(westOrders, "not-" + value));
        assertAnswer(200, ORDERS_BODY, call(westOrders, value));
        // the target's other API is served by a plan this key is not on
        assertAnswer(403, FORBIDDEN, call(westOther, value));

        assertKeyOnlyIn(WEST, id, value);
        assertEquals(Set.of(id), planKeys(WEST_AS_TARGET, westPlan));
        assertEquals(Set.of(), planKeys(WEST_AS_TARGET, westOtherPlan));
        assertReachedThroughTheRole(WEST_ROLE, westExternalId, "west", WEST);

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + id + "\"}").then().statusCode(204);

        assertAnswer(403, FORBIDDEN, call(westOrders, value));
        assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, WEST, id));
        assertEquals(Set.of(), planKeys(WEST_AS_TARGET, westPlan));
    }

    @Test
    void oneKeyValueOpensStagesInTwoRegionsAndAfterRevokeNeither() {
        JsonPath r = createKey(api(westOrders, westPlan), api(southOrders, southPlan));
        String id = r.getString("apiKeyId");
        String value = r.getString("apiKey");
        Map<String, String> keys = listing(r.getString("customCredentials.apiKeys"));
        assertEquals(List.of("west", "south"), List.copyOf(keys.keySet()));
        // apiKeyId: the key of the first API's target
        assertEquals("us-west-2:" + id, keys.get("west"));
        assertTrue(keys.get("south").startsWith("sa-east-1:"), keys.toString());
        String southId = keys.get("south").substring("sa-east-1:".length());

        GetApiKeyResponse west = assertKeyOnlyIn(WEST, id, value);
        GetApiKeyResponse south = assertKeyOnlyIn(SOUTH, southId, value);
        assertEquals(west.name(), south.name());
        assertEquals(Set.of(id), planKeys(WEST_AS_TARGET, westPlan));
        assertEquals(Set.of(southId), planKeys(SOUTH_AS_TARGET, southPlan));

        assertAnswer(200, ORDERS_BODY, call(westOrders, value));
        assertAnswer(200, ORDERS_BODY, call(southOrders, value));
        assertAnswer(403, FORBIDDEN, call(westOrders, null));
        assertAnswer(403, FORBIDDEN, call(southOrders, null));
        assertAnswer(403, FORBIDDEN, call(southOrders, "not-" + value));
        assertAnswer(403, FORBIDDEN, call(westOther, value));
        assertReachedThroughTheRole(WEST_ROLE, westExternalId, "west", WEST);
        assertReachedThroughTheRole(SOUTH_ROLE, southExternalId, "south", SOUTH);

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + id + "\"}").then().statusCode(204);

        assertAnswer(403, FORBIDDEN, call(westOrders, value));
        assertAnswer(403, FORBIDDEN, call(southOrders, value));
        assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, WEST, id));
        assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, SOUTH, southId));
    }

    @Test
    void anUpdateOpensTheSecondRegionWithTheSameValueAndOneThatDropsTheFirstClosesIt() {
        JsonPath r = createKey(api(westOrders, westPlan));
        String id = r.getString("apiKeyId");
        String value = r.getString("apiKey");
        assertAnswer(200, ORDERS_BODY, call(westOrders, value));
        assertAnswer(403, FORBIDDEN, call(southOrders, value));

        Api.update("{\"apiKeyId\":\"" + id + "\",\"apis\":[" + api(westOrders, westPlan) + ","
                + api(southOrders, southPlan) + "]}").then().statusCode(204);

        // the value read back from the west key, given to a new key in sa-east-1
        assertAnswer(200, ORDERS_BODY, call(westOrders, value));
        assertAnswer(200, ORDERS_BODY, call(southOrders, value));
        Set<String> southKeys = planKeys(SOUTH_AS_TARGET, southPlan);
        assertEquals(1, southKeys.size(), southKeys.toString());
        String southId = southKeys.iterator().next();
        assertKeyOnlyIn(SOUTH, southId, value);

        Api.update("{\"apiKeyId\":\"" + id + "\",\"apis\":[" + api(southOrders, southPlan) + "]}")
                .then().statusCode(204);

        assertAnswer(403, FORBIDDEN, call(westOrders, value));
        assertAnswer(200, ORDERS_BODY, call(southOrders, value));
        // the key whose id the portal holds stays, in no usage plan (it opens nothing), until the revoke
        assertEquals(id, key(TARGET_ACCOUNT, WEST, id).id());
        assertReachedThroughTheRole(SOUTH_ROLE, southExternalId, "south", SOUTH);

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + id + "\"}").then().statusCode(204);

        assertAnswer(403, FORBIDDEN, call(southOrders, value));
        assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, SOUTH, southId));
        assertThrows(NotFoundException.class, () -> key(TARGET_ACCOUNT, WEST, id));
    }
}
