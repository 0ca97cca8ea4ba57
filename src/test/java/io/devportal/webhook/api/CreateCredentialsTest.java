package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CreateCredentialsTest {

    static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void apiKeyCreateReturnsOnlyTheKeyFieldsWithAStrongUrlSafeValue() {
        Response r = Api.create(createBody(unique("Orders app"), "dev@example.com",
                "[{\"id\":\"a1b2c3d4e5\",\"usagePlans\":[{\"id\":\"plan1\"}]}]"));
        assertEquals(200, r.statusCode());
        Map<String, Object> body = r.jsonPath().getMap("$");
        assertEquals(Set.of("credentialType", "apiKeyId", "apiKey"), body.keySet());
        assertEquals("API_KEY", body.get("credentialType"));
        String key = (String) body.get("apiKey");
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), "256-bit base64url key, was " + key.length() + " chars");
    }

    @Test
    void retryForTheSameSlugReturnsTheSameKeyAndSecret() {
        String slug = UUID.randomUUID().toString().substring(0, 12);
        String body = "{\"appName\":\"my new aws app\",\"appSlug\":\"" + slug + "\",\"developer\":\"email@mycompany.com\","
                + "\"apis\":[{\"id\":\"5aba4csvd4\",\"usagePlans\":[{\"id\":\"1el57v\"}]}]}";
        JsonPath first = Api.create(body).then().statusCode(200).extract().jsonPath();
        JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
        assertEquals(first.getString("apiKeyId"), again.getString("apiKeyId"));
        assertEquals(first.getString("apiKey"), again.getString("apiKey"));
        // the slug is the identity: a renamed app is still the same app
        String renamed = body.replace("my new aws app", "renamed app");
        assertEquals(first.getString("apiKeyId"), Api.create(renamed).then().statusCode(200).extract()
                .jsonPath().getString("apiKeyId"));
    }

    @Test
    void withoutSlugTheAppIsItsNameAndDeveloper() {
        String name = unique("Shop");
        String apis = "[{\"id\":\"a1\"}]";
        String a = Api.create(createBody(name, "ana@example.com", apis)).then().statusCode(200).extract().path("apiKeyId");
        String sameApp = Api.create(createBody(name, "ANA@example.com", apis)).then().statusCode(200).extract()
                .path("apiKeyId");
        String otherDeveloper = Api.create(createBody(name, "bob@example.com", apis)).then().statusCode(200).extract()
                .path("apiKeyId");
        assertEquals(a, sameApp);
        assertNotEquals(a, otherDeveloper);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Café ☕ orders|jörg@exämple.de",
        "日本語のアプリ|dev+portal@example.com",
        "O'Brien's app|o'brien@example.ie",
        "abc|x@y.io"})
    void unicodeNamesAndUnusualEmailsAreLegal(String name, String developer) {
        Api.create(createBody(unique(name), developer, "[{\"id\":\"a1\"}]")).then().statusCode(200);
    }

    @Test
    void anApiConfiguredForClientCredentialsGetsAClientWithItsScopes() {
        Response r = Api.create(createBody(unique("Partner app"), "p@example.com", "[{\"id\":\"cc-api\"}]"));
        assertEquals(200, r.statusCode());
        Map<String, Object> body = r.jsonPath().getMap("$");
        assertEquals(Set.of("credentialType", "clientId", "clientSecret", "customCredentials"), body.keySet());
        assertEquals("CLIENT_CREDENTIALS", body.get("credentialType"));
        assertTrue(((String) body.get("clientId")).matches("[a-z2-7]{32}"));
        assertTrue(((String) body.get("clientSecret")).matches("[A-Za-z0-9_-]{43}"));
        assertEquals(Map.of("grantType", "client_credentials", "scopes", "cc-api/read cc-api/write"),
                body.get("customCredentials"));
    }

    @Test
    void apisNeedingBothTypesGetAClientWithTheApiKeyInCustomCredentials() {
        Response r = Api.create(createBody(unique("Hybrid app"), "h@example.com",
                "[{\"id\":\"cc-api\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"gold\"}]}]"));
        assertEquals(200, r.statusCode());
        JsonPath body = r.jsonPath();
        assertEquals("CLIENT_CREDENTIALS", body.getString("credentialType"));
        assertNull(body.get("apiKey"));
        Map<String, String> custom = body.getMap("customCredentials");
        assertEquals(Set.of("grantType", "scopes", "apiKeyId", "apiKey"), custom.keySet());
        assertTrue(custom.get("apiKey").matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void unknownFieldsAreIgnoredAndAMissingContentTypeIsJson() {
        String body = "{\"appName\":\"" + unique("Lenient") + "\",\"developer\":\"l@example.com\",\"apis\":[{\"id\":\"a\","
                + "\"name\":\"Orders\",\"usagePlans\":[{\"id\":\"p\",\"name\":\"Gold\"}]}],\"environment\":\"prod\","
                + "\"extra\":{\"nested\":[1,2]}}";
        Api.Raw r = Api.rawPost("/v1/createCredentials", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void aRevokedAppGetsANewCredentialOnTheNextCreate() {
        String body = createBody(unique("Again"), "again@example.com", "[{\"id\":\"a1\"}]");
        String first = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + first + "\"}").then().statusCode(204);
        String second = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        assertNotEquals(first, second);
    }
}
