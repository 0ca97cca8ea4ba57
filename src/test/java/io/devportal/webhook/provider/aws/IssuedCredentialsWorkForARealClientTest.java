package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Client;
import io.devportal.webhook.support.MinistackGapProxy;
import io.devportal.webhook.support.MinistackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.devportal.webhook.support.MinistackResource.invokeUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The credentials the webhook issues, used as a developer's program would use them, against
 * ministack, which (unlike moto) enforces API keys and usage plans when a stage is invoked, issues
 * signed client-credentials tokens and runs a Cognito authorizer with scopes. See
 * {@link MinistackResource} for the APIs, plans and user pool.
 */
@QuarkusTest
@QuarkusTestResource(value = MinistackResource.class, restrictToAnnotatedClass = true)
class IssuedCredentialsWorkForARealClientTest {
    static final ApiGatewayClient APIGW = MinistackResource.apiGateway();
    static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";

    @ConfigProperty(name = "test.ministack.endpoint", defaultValue = "unset")
    String endpoint;
    @ConfigProperty(name = "test.ministack.orders-a", defaultValue = "unset")
    String ordersA;
    @ConfigProperty(name = "test.ministack.orders-b", defaultValue = "unset")
    String ordersB;
    @ConfigProperty(name = "test.ministack.reports", defaultValue = "unset")
    String reports;
    @ConfigProperty(name = "test.ministack.bronze-a", defaultValue = "unset")
    String bronzeA;
    @ConfigProperty(name = "test.ministack.gold-b", defaultValue = "unset")
    String goldB;
    @ConfigProperty(name = "test.ministack.reports-plan", defaultValue = "unset")
    String reportsPlan;
    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset")
    String pool;

    @AfterAll
    static void close() {
        APIGW.close();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static String apis(String apiId, String planId) {
        return "[{\"id\":\"" + apiId + "\"" + (planId == null ? "" : ",\"usagePlans\":[{\"id\":\"" + planId + "\"}]") + "}]";
    }

    JsonPath createKey(String apiId, String planId) {
        JsonPath r = Api.create(Api.createBody(unique("Key client"), "dev@example.com", apis(apiId, planId)))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("API_KEY", r.getString("credentialType"));
        return r;
    }

    static void assertAnswer(int status, String body, Client.Answer answer) {
        assertEquals(status + " " + body, answer.status() + " " + answer.body());
    }

    static Set<String> words(String s) {
        return new TreeSet<>(Arrays.asList(s.split(" ")));
    }

    // ---- API keys ----

    @Test
    void theIssuedKeyOpensItsPlansStageOnlyAndNothingAfterRevoke() {
        JsonPath key = createKey(ordersA, bronzeA);
        String value = key.getString("apiKey");

        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersA, "orders"), null, null));
        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersA, "orders"), "not-" + value, null));
        assertAnswer(200, MinistackResource.ORDERS_BODY, Client.get(invokeUrl(ordersA, "orders"), value, null));
        // orders-b's stage is served by gold-b, which this key is not on
        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersB, "orders"), value, null));

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + key.getString("apiKeyId") + "\"}")
                .then().statusCode(204);

        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersA, "orders"), value, null));
        assertThrows(NotFoundException.class, () -> APIGW.getApiKey(b -> b.apiKey(key.getString("apiKeyId"))));
    }

    @Test
    void anUpdateToAnotherApisPlanClosesTheStageTheKeyLeftAndOpensTheNewOne() {
        JsonPath key = createKey(ordersA, bronzeA);
        String id = key.getString("apiKeyId");
        String value = key.getString("apiKey");
        assertAnswer(200, MinistackResource.ORDERS_BODY, Client.get(invokeUrl(ordersA, "orders"), value, null));

        Api.update("{\"apiKeyId\":\"" + id + "\",\"apis\":" + apis(ordersB, goldB) + "}").then().statusCode(204);

        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersA, "orders"), value, null));
        assertAnswer(200, MinistackResource.ORDERS_BODY, Client.get(invokeUrl(ordersB, "orders"), value, null));

        Api.revoke("{\"apiKeyId\":\"" + id + "\"}").then().statusCode(204);
        assertAnswer(403, FORBIDDEN, Client.get(invokeUrl(ordersB, "orders"), value, null));
    }

    @Test
    void theWebhooksEndpointAnswersGetUsagePlansByKeyAsAwsDoesWhereMinistackAloneDoesNot() {
        String key = APIGW.createApiKey(b -> b.name(unique("probe")).enabled(true)).id();
        APIGW.createUsagePlanKey(b -> b.usagePlanId(goldB).keyId(key).keyType("API_KEY"));
        try (ApiGatewayClient throughProxy = ApiGatewayClient.builder()
                .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
                .endpointOverride(java.net.URI.create(MinistackGapProxy.endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            assertEquals(List.of(goldB), throughProxy.getUsagePlans(b -> b.keyId(key).limit(500)).items().stream()
                    .map(UsagePlan::id).toList());
        }
        // the gap the proxy fills: ministack answers every plan
        assertTrue(APIGW.getUsagePlans(b -> b.keyId(key).limit(500)).items().stream().map(UsagePlan::id).toList()
                .containsAll(List.of(goldB, bronzeA, reportsPlan)));
        APIGW.deleteApiKey(b -> b.apiKey(key));
    }

    // ---- client credentials ----

    String tokenUrl() {
        return endpoint + "/oauth2/token";
    }

    String jwks() {
        return endpoint + "/" + pool + "/.well-known/jwks.json";
    }

    @Test
    void theIssuedClientGetsAPoolSignedTokenWithTheConfiguredScopesAndNoneAfterRevoke() {
        JsonPath r = Api.create(Api.createBody(unique("Token client"), "dev@example.com", apis(reports, null)))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("CLIENT_CREDENTIALS", r.getString("credentialType"));
        String clientId = r.getString("clientId");
        String secret = r.getString("clientSecret");
        assertEquals(Map.of("tokenUrl", tokenUrl(), "grantType", "client_credentials",
                "scopes", "reports/read reports/write"), r.getMap("customCredentials"));

        Client.Answer answer = Client.token(r.getString("customCredentials.tokenUrl"), clientId, secret);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("Bearer", answer.json().path("token_type").asText());
        String token = answer.json().path("access_token").asText();
        JsonNode claims = Client.claims(token);
        // the configured scopes, not every scope of the resource server (it also has reports/admin)
        assertEquals(Set.of("reports/read", "reports/write"), words(claims.path("scope").asText()));
        assertEquals(clientId, claims.path("client_id").asText());
        assertEquals("access", claims.path("token_use").asText());
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/" + pool, claims.path("iss").asText());
        assertTrue(Client.signatureValid(token, jwks()), "the token verifies against the pool's JWKS");
        assertFalse(Client.signatureValid(tamperedScope(token), jwks()), "the check of the signature can fail");

        // the API behind the pool's authorizer lets the token in, and nothing else
        assertAnswer(200, MinistackResource.REPORTS_BODY, Client.get(invokeUrl(reports, "reports"), null, token));
        assertAnswer(401, "{\"message\":\"Unauthorized\"}", Client.get(invokeUrl(reports, "reports"), null, null));
        assertEquals("invalid_client", Client.token(tokenUrl(), clientId, "wrong-" + secret).json().path("error").asText());

        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}").then().statusCode(204);

        Client.Answer after = Client.token(tokenUrl(), clientId, secret);
        assertEquals(400, after.status(), after.body());
        assertEquals("invalid_client", after.json().path("error").asText());
    }

    @Test
    void aHybridAppNeedsItsTokenAndItsKeyAndAfterRevokeHasNeither() {
        JsonPath r = Api.create(Api.createBody(unique("Hybrid client"), "dev@example.com", apis(reports, reportsPlan)))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("CLIENT_CREDENTIALS", r.getString("credentialType"));
        String clientId = r.getString("clientId");
        String secret = r.getString("clientSecret");
        String key = r.getString("customCredentials.apiKey");
        String token = Client.token(tokenUrl(), clientId, secret).json().path("access_token").asText();
        String export = invokeUrl(reports, "reports/export");

        assertAnswer(200, MinistackResource.EXPORT_BODY, Client.get(export, key, token));
        assertAnswer(403, FORBIDDEN, Client.get(export, null, token));
        assertAnswer(401, "{\"message\":\"Unauthorized\"}", Client.get(export, key, null));

        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);

        assertEquals("invalid_client", Client.token(tokenUrl(), clientId, secret).json().path("error").asText());
        // a token issued before the revoke still passes the authorizer (a signed JWT, valid until it
        // expires); the deleted key does not, so the hybrid API is closed at once
        assertAnswer(200, MinistackResource.REPORTS_BODY, Client.get(invokeUrl(reports, "reports"), null, token));
        assertAnswer(403, FORBIDDEN, Client.get(export, key, token));
    }

    /** The token with reports/admin added to its scope claim and its signature kept. */
    static String tamperedScope(String token) {
        String[] parts = token.split("\\.");
        JsonNode claims = Client.claims(token);
        ((com.fasterxml.jackson.databind.node.ObjectNode) claims).put("scope", "reports/admin");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }
}
