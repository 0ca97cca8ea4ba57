package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.support.LogCapture;
import io.devportal.webhook.support.RawHttp;
import io.devportal.webhook.support.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.devportal.webhook.support.RawHttp.AUTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client can put on the wire that never reaches the REST layer in the normal way: each is
 * answered with an exact status and the contract's JSON error body (none for 204 and HEAD), never
 * a 5xx, and leaves no stack trace and no 5xx in the log.
 */
@QuarkusTest
class HttpEdgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.install();
        log.clear();
    }

    private void assertErrorBody(Answer a, int status, String code, String message) throws Exception {
        assertEquals(status, a.status(), a.raw());
        assertEquals("application/json", a.header("Content-Type").split(";")[0].strip(), a.raw());
        JsonNode body = JSON.readTree(a.body());
        assertEquals(Set.of("message", "code", "requestId"), Set.copyOf(iterable(body)), a.body());
        assertEquals(code, body.get("code").asText());
        assertEquals(message, body.get("message").asText());
        assertEquals(a.header("X-Request-Id"), body.get("requestId").asText());
        assertTrue(body.get("requestId").asText().matches("[0-9a-f-]{36}"), a.body());
    }

    private static List<String> iterable(JsonNode body) {
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void assertCleanLog(String requestId) {
        String text = log.text();
        assertFalse(text.matches("(?s).*(Exception|Error)(:|\n).*"), text);
        assertFalse(text.contains("\tat "), text);
        assertFalse(text.matches("(?s).*status=5\\d\\d.*"), text);
        assertTrue(text.contains("requestId=" + requestId), "one log line names the request id: " + text);
    }

    @Test
    void http10WithoutHostIsAnsweredLikeAnyRequest() throws Exception {
        Answer anonymous = RawHttp.send("GET /v1/health HTTP/1.0\r\n\r\n");
        assertErrorBody(anonymous, 401, "unauthorized", "authentication required: send Authorization: Basic");
        assertCleanLog(anonymous.header("X-Request-Id"));

        Answer health = RawHttp.send("GET /v1/health HTTP/1.0\r\n" + AUTH + "\r\n\r\n");
        assertEquals(204, health.status(), health.raw());
        assertEquals("", health.body());
        assertCleanLog(health.header("X-Request-Id"));
    }

    @Test
    void http10CreateWithoutHostAnswersTheCredentialItIssued() throws Exception {
        String body = "{\"appName\":\"Edge app " + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"developer\":\"edge@example.com\",\"apis\":[{\"id\":\"a\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Answer created = RawHttp.send("POST /v1/createCredentials HTTP/1.0\r\n" + AUTH
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
        assertEquals(200, created.status(), created.raw());
        JsonNode credential = JSON.readTree(created.body());
        assertEquals("API_KEY", credential.get("credentialType").asText());
        assertTrue(credential.hasNonNull("apiKeyId") && credential.hasNonNull("apiKey"), created.body());
        assertCleanLog(created.header("X-Request-Id"));
    }

    @Test
    void malformedRequestLineIs400Json() throws Exception {
        Answer a = RawHttp.send("GARBAGE\r\n\r\n");
        assertErrorBody(a, 400, "invalid_request", "malformed HTTP request");
        assertEquals("close", a.header("Connection"));
        assertCleanLog(a.header("X-Request-Id"));
    }

    @Test
    void headersOverTheLimitAre431Json() throws Exception {
        Answer a = RawHttp.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nX-Big: "
                + "b".repeat(30_000) + "\r\n\r\n");
        assertErrorBody(a, 431, "headers_too_large", "the request headers are too large: at most 20480 bytes in all");
        assertCleanLog(a.header("X-Request-Id"));
    }

    @Test
    void requestLineOverTheLimitIs414Json() throws Exception {
        Answer a = RawHttp.send("GET /v1/health?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n\r\n");
        assertErrorBody(a, 414, "uri_too_long", "the request line is too long: at most 4096 bytes");
        assertCleanLog(a.header("X-Request-Id"));
    }

    @Test
    void chunkedBodyOverTheTransportLimitIs413JsonNot500() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        byte[] framed = (Integer.toHexString(chunk.length) + "\r\n" + new String(chunk, StandardCharsets.ISO_8859_1)
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[][] parts = new byte[24][]; // 1.5 MiB: over the 64 KiB contract limit and the 1 MiB transport limit
        Arrays.fill(parts, framed);
        Answer a = RawHttp.send(("POST /v1/createCredentials HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), parts);
        assertErrorBody(a, 413, "payload_too_large", "request body is too large: at most 65536 bytes");
        Thread.sleep(300); // anything logged after the connection closed
        assertFalse(log.text().contains("ERROR"), log.text());
        assertCleanLog(a.header("X-Request-Id"));
    }

    @Test
    void optionsIsAnsweredLikeAnyMethodTheContractDoesNotDeclare() throws Exception {
        Answer getOnCreate = RawHttp.send("GET /v1/createCredentials HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "\r\nConnection: close\r\n\r\n");
        assertErrorBody(getOnCreate, 405, "method_not_allowed", "this method is not allowed here; use POST");
        for (String path : List.of("/v1/createCredentials", "/v1/updateCredentials", "/v1/revokeCredentials")) {
            Answer a = RawHttp.send("OPTIONS " + path + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n\r\n");
            assertErrorBody(a, 405, "method_not_allowed", "this method is not allowed here; use POST");
            assertEquals(getOnCreate.header("Allow"), a.header("Allow"));
            assertEquals("POST", a.header("Allow"));
        }
        Answer health = RawHttp.send("OPTIONS /v1/health HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n\r\n");
        assertErrorBody(health, 405, "method_not_allowed", "this method is not allowed here; use GET");
        assertEquals("GET", health.header("Allow"));
        Answer deleteHealth = RawHttp.send("DELETE /v1/health HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(health.header("Allow"), deleteHealth.header("Allow"));

        Answer unknown = RawHttp.send("OPTIONS /v1/nothing HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n\r\n");
        assertEquals(404, unknown.status(), unknown.raw());
        assertEquals("not_found", JSON.readTree(unknown.body()).get("code").asText());

        Answer anonymous = RawHttp.send("OPTIONS /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertErrorBody(anonymous, 401, "unauthorized", "authentication required: send Authorization: Basic");
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.idle-timeout")
    java.time.Duration idleTimeout;

    /** SlowHeaderTest shows a short idle timeout closing a half-sent request; this is the shipped value. */
    @Test
    void aSilentConnectionIsClosedAfterAMinuteNotHalfAnHour() {
        assertEquals(java.time.Duration.ofSeconds(60), idleTimeout);
    }

    @Test
    void headIsAnsweredWithoutABody() throws Exception {
        Answer health = RawHttp.send("HEAD /v1/health HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n\r\n");
        assertEquals(204, health.status(), health.raw());
        assertEquals("", health.body());
        Answer create = RawHttp.send("HEAD /v1/createCredentials HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(405, create.status(), create.raw());
        assertEquals("POST", create.header("Allow"));
        assertEquals("", create.body());
        assertCleanLog(create.header("X-Request-Id"));
    }
}
