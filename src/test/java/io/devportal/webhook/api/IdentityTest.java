package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app's identity is exact: look-alike inputs never share a credential. Bodies are sent as raw
 * bytes (ASCII with JSON escapes, or deliberately broken UTF-8) so that no client library
 * re-encodes them on the way.
 */
@QuarkusTest
class IdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APIS = "[{\"id\":\"a1\",\"usagePlans\":[{\"id\":\"gold\"}]}]";

    @Inject
    Db db;

    private static Api.Raw post(String path, byte[] body) {
        return Api.rawPost(path, body, "Content-Type", "application/json");
    }

    private static Api.Raw create(String asciiJson) {
        return post("/v1/createCredentials", asciiJson.getBytes(StandardCharsets.US_ASCII));
    }

    private static JsonNode created(String asciiJson) {
        Api.Raw r = create(asciiJson);
        assertEquals(200, r.status(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    /** A create body; the arguments are JSON string contents, escapes allowed. */
    private static String body(String appName, String developer) {
        return "{\"appName\":\"" + appName + "\",\"developer\":\"" + developer + "\",\"apis\":" + APIS + "}";
    }

    private static String unique() {
        return "Identity " + UUID.randomUUID().toString().substring(0, 8);
    }

    private void assertRefused(Api.Raw r, String message) {
        assertEquals(400, r.status(), r.body());
        try {
            JsonNode error = JSON.readTree(r.body());
            assertEquals(message, error.path("message").asText(), r.body());
            assertEquals("invalid_request", error.path("code").asText(), r.body());
            assertTrue(error.path("requestId").asText().matches("[0-9a-f-]{36}"), r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String credentialsNamed(String appName) {
        return db.string("SELECT COUNT(*) FROM credential WHERE app_name = ?", appName);
    }

    @Test
    void aKelvinSignInTheEmailIsAnotherDeveloperThanAsciiK() {
        String app = unique();
        JsonNode kim = created(body(app, "kim@example.com"));
        JsonNode kelvin = created(body(app, "\\u212Aim@example.com"));
        assertNotEquals(kim.path("apiKeyId").asText(), kelvin.path("apiKeyId").asText());
        assertNotEquals(kim.path("apiKey").asText(), kelvin.path("apiKey").asText());
        assertEquals("2", credentialsNamed(app));
        assertEquals("\u212Aim@example.com", db.string(
                "SELECT developer FROM credential WHERE api_key_id = ?", kelvin.path("apiKeyId").asText()));
    }

    @Test
    void aRetryDifferingOnlyInAsciiCaseOfTheEmailReturnsTheSameCredential() {
        String app = unique();
        JsonNode first = created(body(app, "kim@example.com"));
        JsonNode retry = created(body(app, "KIM@Example.COM"));
        assertEquals(first.path("apiKeyId").asText(), retry.path("apiKeyId").asText());
        assertEquals(first.path("apiKey").asText(), retry.path("apiKey").asText());
        assertEquals("1", credentialsNamed(app));
    }

    @Test
    void nonAsciiLetterCaseInTheEmailIsNotFolded() {
        String app = unique();
        JsonNode lower = created(body(app, "\\u00e9lodie@example.com"));
        JsonNode upper = created(body(app, "\\u00c9lodie@example.com"));
        assertNotEquals(lower.path("apiKeyId").asText(), upper.path("apiKeyId").asText());
        assertEquals("2", credentialsNamed(app));
    }

    @Test
    void nfcAndNfdFormsOfAnAppNameAreDifferentApps() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode nfc = created(body("Caf\\u00e9 " + suffix, "n@example.com"));
        JsonNode nfd = created(body("Cafe\\u0301 " + suffix, "n@example.com"));
        assertNotEquals(nfc.path("apiKeyId").asText(), nfd.path("apiKeyId").asText());
        assertEquals("1", credentialsNamed("Caf\u00e9 " + suffix));
        assertEquals("1", credentialsNamed("Cafe\u0301 " + suffix));
    }

    @Test
    void surroundingSpacesAreKeptSoTheyMakeAnotherApp() {
        String app = unique();
        JsonNode plain = created(body(app, "s@example.com"));
        JsonNode spaced = created(body(" " + app + " ", "s@example.com"));
        assertNotEquals(plain.path("apiKeyId").asText(), spaced.path("apiKeyId").asText());
        assertEquals("1", credentialsNamed(" " + app + " "));
    }

    @Test
    void aSlugWithALoneSurrogateDoesNotGetTheCredentialOfTheSlugWithAQuestionMark() {
        String slug = "slug" + UUID.randomUUID().toString().substring(0, 8);
        created("{\"appName\":\"Question\",\"appSlug\":\"" + slug + "?1\",\"developer\":\"q@example.com\",\"apis\":"
                + APIS + "}");
        String before = db.string("SELECT COUNT(*) FROM credential");
        assertRefused(create("{\"appName\":\"Question\",\"appSlug\":\"" + slug + "\\uDFFF1\",\"developer\":"
                        + "\"q@example.com\",\"apis\":" + APIS + "}"),
                "appSlug is not valid Unicode: it contains a lone surrogate (U+DFFF)");
        assertEquals(before, db.string("SELECT COUNT(*) FROM credential"));
    }

    @Test
    void anEmailWithALoneSurrogateDoesNotGetTheCredentialOfTheEmailWithAQuestionMark() {
        String app = unique();
        created(body(app, "bob?@example.com"));
        assertRefused(create(body(app, "bob\\uD83D@example.com")),
                "developer is not valid Unicode: it contains a lone surrogate (U+D83D)");
        assertEquals("1", credentialsNamed(app));
    }

    @Test
    void aSurrogatePairIsValidUnicodeAndKeptAsIs() {
        String app = unique() + " \\uD83D\\uDE00";
        JsonNode emoji = created(body(app, "e@example.com"));
        assertEquals("Identity", db.string("SELECT app_name FROM credential WHERE api_key_id = ?",
                emoji.path("apiKeyId").asText()).substring(0, 8));
        assertTrue(db.string("SELECT app_name FROM credential WHERE api_key_id = ?",
                emoji.path("apiKeyId").asText()).endsWith(" \uD83D\uDE00"));
    }

    static Stream<Arguments> loneSurrogates() {
        String create = "/v1/createCredentials";
        String update = "/v1/updateCredentials";
        String revoke = "/v1/revokeCredentials";
        return Stream.of("D83D", "DFFF").flatMap(unit -> {
            String u = "\\u" + unit;
            String message = " is not valid Unicode: it contains a lone surrogate (U+" + unit + ")";
            return Stream.of(
                    Arguments.of(create, body("App" + u, "d@example.com"), "appName" + message),
                    Arguments.of(create, "{\"appName\":\"App\",\"appSlug\":\"s" + u + "\",\"developer\":\"d@example.com\","
                            + "\"apis\":" + APIS + "}", "appSlug" + message),
                    Arguments.of(create, body("App", "d" + u + "@example.com"), "developer" + message),
                    Arguments.of(create, "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":[{\"id\":\"a\"},"
                            + "{\"id\":\"" + u + "\"}]}", "apis[1].id" + message),
                    Arguments.of(create, "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":[{\"id\":\"a\","
                            + "\"usagePlans\":[{\"id\":\"p\"},{\"id\":\"x" + u + "\"}]}]}",
                            "apis[0].usagePlans[1].id" + message),
                    Arguments.of(create, "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":" + APIS
                            + ",\"extra\":{\"notes\":[\"ok\",\"" + u + "\"]}}", "extra.notes[1]" + message),
                    Arguments.of(create, "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":" + APIS
                            + ",\"extra\":{\"k" + u + "\":1}}", "a field name in extra" + message),
                    Arguments.of(create, "{\"k" + u + "\":1,\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":"
                            + APIS + "}", "a field name" + message),
                    Arguments.of(update, "{\"apiKeyId\":\"k" + u + "\"}", "apiKeyId" + message),
                    Arguments.of(update, "{\"apiKeyId\":\"k\",\"developer\":\"" + u + "@example.com\"}",
                            "developer" + message),
                    Arguments.of(update, "{\"apiKeyId\":\"k\",\"customCredentials\":{\"tokenUrl\":\"" + u + "\"}}",
                            "customCredentials.tokenUrl" + message),
                    Arguments.of(revoke, "{\"clientId\":\"" + u + "\"}", "clientId" + message),
                    Arguments.of(revoke, "{\"credentialType\":\"API_KEY" + u + "\",\"apiKeyId\":\"k\"}",
                            "credentialType" + message));
        });
    }

    @ParameterizedTest
    @MethodSource("loneSurrogates")
    void aLoneSurrogateAnywhereInABodyIsRefusedNamingTheField(String path, String asciiJson, String message) {
        String before = db.string("SELECT COUNT(*) FROM credential");
        assertRefused(post(path, asciiJson.getBytes(StandardCharsets.US_ASCII)), message);
        assertEquals(before, db.string("SELECT COUNT(*) FROM credential"));
    }

    static Stream<Arguments> invalidUtf8() {
        byte[][] bad = {
                {(byte) 0xFF},                                       // never valid in UTF-8
                {(byte) 0x80},                                       // a continuation byte alone
                {(byte) 0xC1, (byte) 0x81},                          // overlong "A"
                {(byte) 0xED, (byte) 0xA0, (byte) 0xBD},             // U+D83D encoded as if a character
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                {(byte) 0xE2, (byte) 0x82},                          // truncated sequence
        };
        return Stream.of(bad).flatMap(bytes -> Stream.of(
                Arguments.of("/v1/createCredentials", "{\"appName\":\"App~\",\"developer\":\"d@example.com\",\"apis\":"
                        + APIS + "}", bytes, "appName"),
                Arguments.of("/v1/createCredentials", "{\"appName\":\"App\",\"appSlug\":\"s~\",\"developer\":"
                        + "\"d@example.com\",\"apis\":" + APIS + "}", bytes, "appSlug"),
                Arguments.of("/v1/createCredentials", "{\"appName\":\"App\",\"developer\":\"d~@example.com\",\"apis\":"
                        + APIS + "}", bytes, "developer"),
                Arguments.of("/v1/createCredentials", "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":"
                        + "[{\"id\":\"a\",\"usagePlans\":[{\"id\":\"p~\"}]}]}", bytes, "apis[0].usagePlans[0].id"),
                Arguments.of("/v1/createCredentials", "{\"appName\":\"App\",\"developer\":\"d@example.com\",\"apis\":"
                        + APIS + ",\"x~\":1}", bytes, "a field name"),
                Arguments.of("/v1/updateCredentials", "{\"apiKeyId\":\"k\",\"apis\":[{\"id\":\"~\"}]}", bytes,
                        "apis[0].id"),
                Arguments.of("/v1/revokeCredentials", "{\"apiKeyId\":\"k~\"}", bytes, "apiKeyId")));
    }

    /** The {@code ~} of the template is replaced by the bad bytes. */
    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void invalidUtf8BytesAreRefusedNamingTheField(String path, String template, byte[] bad, String field) {
        int at = template.indexOf('~');
        byte[] ascii = template.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(ascii, 0, at);
        body.writeBytes(bad);
        body.write(ascii, at + 1, ascii.length - at - 1);
        String before = db.string("SELECT COUNT(*) FROM credential");
        assertRefused(post(path, body.toByteArray()), field + " is not valid UTF-8 (byte offset " + at + ")");
        assertEquals(before, db.string("SELECT COUNT(*) FROM credential"));
    }

    @Test
    void aUtf8ByteOrderMarkBeforeTheBodyIsAccepted() {
        byte[] json = body(unique(), "bom@example.com").getBytes(StandardCharsets.US_ASCII);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertEquals(200, post("/v1/createCredentials", withBom).status());
    }
}
