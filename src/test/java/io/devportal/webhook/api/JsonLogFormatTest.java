package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.ConsoleCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON console format (QUARKUS_LOG_CONSOLE_JSON=true): one object per line, request id and app as fields. */
@QuarkusTest
@TestProfile(JsonLogFormatTest.JsonLogs.class)
class JsonLogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // what QUARKUS_LOG_CONSOLE_JSON=true resolves to (application.properties)
            return Map.of("quarkus.log.console.json.enabled", "true",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-jsonlog;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void eachRecordIsOneJsonObjectWithTheRequestIdAndTheAppAsFields() throws Exception {
        ConsoleCapture console = ConsoleCapture.install();
        try {
            String slug = LogForgingTest.forgedSlug();
            Response r = Api.create("{\"appSlug\":" + Api.quote(slug)
                    + ",\"appName\":\"Json app\",\"developer\":\"j@example.com\",\"apis\":[{\"id\":\"a\"}]}");
            assertEquals(200, r.statusCode(), r.asString());
            String id = r.header("X-Request-Id");
            // a log statement outside the request line that prints what the client sent (CredentialService)
            String keyId = "k" + id.substring(0, 6) + "\u2028forged" + LogForgingTest.DANGEROUS;
            Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":" + Api.quote(keyId) + "}").then().statusCode(204);

            List<JsonNode> records = new ArrayList<>();
            for (String line : console.linesAsAnyReaderSplitsThem()) {
                records.add(JSON.readTree(line)); // fails if a record was split or is not JSON
            }
            for (char c : LogForgingTest.DANGEROUS.toCharArray()) {
                assertFalse(console.text().indexOf(c) >= 0, String.format("U+%04X written raw", (int) c));
            }
            List<JsonNode> ofRequest = records.stream()
                    .filter(n -> id.equals(n.path("mdc").path("requestId").asText())).toList();
            assertTrue(ofRequest.size() >= 2, "the issue line and the request line carry the request id: " + console.text());
            JsonNode requestLine = ofRequest.stream()
                    .filter(n -> n.path("message").asText().startsWith("request method=POST")).findFirst()
                    .orElseThrow(() -> new AssertionError(console.text()));
            assertEquals("io.devportal.webhook.request", requestLine.path("loggerName").asText());
            assertEquals("INFO", requestLine.path("level").asText());
            String app = requestLine.path("mdc").path("app").asText();
            assertTrue(app.startsWith("slug:" + slug.substring(0, 7) + "\\u20282026-01-01T00:00:00.000Z INFO"), app);
            assertTrue(app.endsWith("\\u061c"), app);
            assertTrue(requestLine.path("message").asText().contains("requestId=" + id), requestLine.toString());
            assertTrue(records.stream().anyMatch(n -> n.path("message").asText()
                    .contains("revoke of API_KEY " + keyId.substring(0, 7) + "\\u2028forged")), console.text());
        } finally {
            console.uninstall();
        }
    }
}
