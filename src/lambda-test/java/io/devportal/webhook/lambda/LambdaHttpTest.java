package io.devportal.webhook.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.UUID;

import static io.devportal.webhook.lambda.LambdaEvents.BASIC;
import static io.devportal.webhook.lambda.LambdaEvents.invoke;
import static io.devportal.webhook.lambda.LambdaEvents.post;
import static io.devportal.webhook.support.Api.createBody;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The -Plambda build: the same resources, reached through quarkus-amazon-lambda-http. Requests go
 * to the test mode's mock Lambda event server, either as plain HTTP (which it turns into an API
 * Gateway HTTP API v2 event) or as raw events posted to its {@code /_lambda_} runtime endpoint.
 * The local provider and the in-memory H2 ledger stand behind it.
 */
@QuarkusTest
class LambdaHttpTest {

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    @BeforeEach
    void toTheMockEventServer() {
        RestAssured.port = ConfigProvider.getConfig()
                .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    private static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String keyApp(String name) {
        return createBody(name, "dev@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]");
    }

    private static void assertErrorBody(LambdaEvents.Answer answer, int status, String code, String message) {
        assertEquals(status, answer.status(), answer.response().toString());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.header("Content-Type"));
        JsonNode body = answer.body();
        assertEquals(List.of("code", "message", "requestId"), sortedNames(body), body.toString());
        assertEquals(code, body.get("code").asText());
        assertEquals(message, body.get("message").asText());
        assertNotNull(answer.header("X-Request-Id"));
        assertEquals(answer.header("X-Request-Id"), body.get("requestId").asText());
    }

    private static List<String> sortedNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    @Test
    void thePortalsCreateUpdateAndRevokeWorkThroughHttpApiEvents() {
        String name = unique("Lambda app");
        Response created = Api.create(keyApp(name));
        created.then().statusCode(200);
        String keyId = created.path("apiKeyId");
        assertEquals("API_KEY", created.path("credentialType"));
        assertNotNull(created.path("apiKey"));
        assertNotNull(created.header("X-Request-Id"));

        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"silver\"}]}]}")
                .then().statusCode(204).body(emptyString());
        assertEquals("[\"silver\"]", db.string("SELECT usage_plans FROM local_credential WHERE id = ?", keyId));

        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + keyId + "\"}")
                .then().statusCode(204).body(emptyString());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[]}").then().statusCode(404);
    }

    @ParameterizedTest
    @EnumSource(LambdaEvents.Source.class)
    void aCreateEventWithLowerCaseHeadersIsServedAndARetryReturnsTheSameKey(LambdaEvents.Source source) {
        String body = keyApp(unique("Raw " + source));
        LambdaEvents.Answer first = invoke(post(source, "/v1/createCredentials", body, false,
                "authorization", BASIC, "content-type", "application/json"));
        assertEquals(200, first.status(), first.response().toString());
        JsonNode issued = first.body();
        assertEquals("API_KEY", issued.get("credentialType").asText());
        assertEquals(List.of("apiKey", "apiKeyId", "credentialType"), sortedNames(issued));
        // the same app again (its body base64-encoded, as a function URL may send it): the same key
        LambdaEvents.Answer again = invoke(post(source, "/v1/createCredentials", body, true,
                "authorization", BASIC, "content-type", "application/json"));
        assertEquals(200, again.status(), again.response().toString());
        assertEquals(issued, again.body());
    }

    @ParameterizedTest
    @EnumSource(LambdaEvents.Source.class)
    void basicAuthIsCheckedOnLowerCaseHeaders(LambdaEvents.Source source) {
        LambdaEvents.Answer none = invoke(LambdaEvents.get(source, "/v1/health"));
        assertErrorBody(none, 401, "unauthorized", "authentication required: send Authorization: Basic");
        assertEquals("Basic realm=\"devportal-webhook\", charset=\"UTF-8\"", none.header("WWW-Authenticate"));

        LambdaEvents.Answer wrong = invoke(LambdaEvents.get(source, "/v1/health",
                "authorization", "Basic cG9ydGFsOndyb25n"));
        assertErrorBody(wrong, 401, "unauthorized", "invalid username or password");

        LambdaEvents.Answer right = invoke(LambdaEvents.get(source, "/v1/health", "authorization", BASIC));
        assertEquals(204, right.status(), right.response().toString());
        assertEquals("", right.bodyText());
    }

    @Test
    void aBodyOver64KiBIs413WithOrWithoutContentLength() {
        String big = "{\"appName\":\"" + "x".repeat(64 * 1024) + "\"}";
        String message = "request body is too large: at most 65536 bytes";
        assertErrorBody(invoke(post(LambdaEvents.Source.FUNCTION_URL, "/v1/createCredentials", big, false,
                        "authorization", BASIC, "content-type", "application/json",
                        "content-length", String.valueOf(big.length()))),
                413, "payload_too_large", message);
        assertErrorBody(invoke(post(LambdaEvents.Source.HTTP_API, "/v1/createCredentials", big, true,
                        "authorization", BASIC, "content-type", "application/json")),
                413, "payload_too_large", message);
        // exactly at the limit is not refused for its size (it is a bad create: 400, not 413)
        String atLimit = "{\"appName\":\"" + "x".repeat(64 * 1024 - 14) + "\"}";
        assertEquals(64 * 1024, atLimit.length());
        LambdaEvents.Answer ok = invoke(post(LambdaEvents.Source.FUNCTION_URL, "/v1/createCredentials", atLimit,
                false, "authorization", BASIC, "content-type", "application/json"));
        assertEquals(400, ok.status(), ok.response().toString());
        assertEquals("invalid_request", ok.body().get("code").asText());
    }

    @Test
    void perApiSettingsFromTheOneJsonVariableApplyWithTheApiIdsCaseKept() {
        // WEBHOOK_APIS_JSON (set by the build, as the SAM template sets it) configures Lambda9Json
        LambdaEvents.Answer answer = invoke(post(LambdaEvents.Source.FUNCTION_URL, "/v1/createCredentials",
                createBody(unique("Json settings"), "j@example.com", "[{\"id\":\"Lambda9Json\"}]"), false,
                "authorization", BASIC, "content-type", "application/json"));
        assertEquals(200, answer.status(), answer.response().toString());
        JsonNode body = answer.body();
        assertEquals("CLIENT_CREDENTIALS", body.get("credentialType").asText());
        assertEquals("{\"grantType\":\"client_credentials\",\"scopes\":\"Lambda9Json/read Lambda9Json/write\"}",
                body.get("customCredentials").toString());
    }

    @Test
    void theContractDocumentIsServedWithoutCredentials() throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode asJson = LambdaEvents.get(LambdaEvents.Source.FUNCTION_URL,
                "/q/openapi");
        asJson.put("rawQueryString", "format=json");
        LambdaEvents.Answer json = invoke(asJson);
        assertEquals(200, json.status(), json.response().toString());
        assertEquals("application/json;charset=UTF-8", json.header("Content-Type"));
        assertEquals("createCredentials", LambdaEvents.JSON.readTree(json.bodyText())
                .at("/paths/~1v1~1createCredentials/post/operationId").asText());
        LambdaEvents.Answer yaml = invoke(LambdaEvents.get(LambdaEvents.Source.HTTP_API, "/q/openapi"));
        assertEquals(200, yaml.status(), yaml.response().toString());
        assertEquals("application/yaml;charset=UTF-8", yaml.header("Content-Type"));
        assertTrue(yaml.bodyText().startsWith("openapi: 3.0.3\n"), yaml.bodyText());
    }

    @Test
    void errorsAreInContractShapeWithTheirRequestIds() {
        LambdaEvents.Answer unknown = invoke(LambdaEvents.get(LambdaEvents.Source.FUNCTION_URL, "/v1/nothing-here",
                "authorization", BASIC));
        assertErrorBody(unknown, 404, "not_found",
                "no endpoint here: the webhook serves POST /v1/createCredentials, /v1/updateCredentials, "
                        + "/v1/revokeCredentials and GET /v1/health");
        LambdaEvents.Answer malformed = invoke(post(LambdaEvents.Source.HTTP_API, "/v1/createCredentials", "{\"appName\":",
                false, "authorization", BASIC, "content-type", "application/json"));
        assertEquals(400, malformed.status(), malformed.response().toString());
        assertEquals("invalid_request", malformed.body().get("code").asText());
        assertEquals(malformed.header("X-Request-Id"), malformed.body().get("requestId").asText());
        assertNotEquals(unknown.header("X-Request-Id"), malformed.header("X-Request-Id"));
        LambdaEvents.Answer unknownUpdate = invoke(post(LambdaEvents.Source.FUNCTION_URL, "/v1/updateCredentials",
                "{\"apiKeyId\":\"lk-none\",\"apis\":[]}", false, "authorization", BASIC,
                "content-type", "application/json"));
        assertErrorBody(unknownUpdate, 404, "not_found", "apiKeyId: no active credential lk-none");
    }
}
