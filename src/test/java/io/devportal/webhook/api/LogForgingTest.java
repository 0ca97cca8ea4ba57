package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.ConsoleCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text console format: no string a client sends can start a log line or hide text, whatever
 * line breaks the reader splits on. Line/paragraph separators, NEL, C1 controls and bidi controls
 * that the request validation lets through are written as \\uXXXX.
 */
@QuarkusTest
class LogForgingTest {
    /** Characters that reach the service (validation refuses only C0 controls): each ends a line or hides text. */
    static final String DANGEROUS = "\u2028\u2029\u0085\u009b\u202e\u200f\u2066\u0080\u009f\u061c";
    private static final Pattern LINE_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
    private ConsoleCapture console;

    @BeforeEach
    void capture() {
        console = ConsoleCapture.install();
    }

    @AfterEach
    void release() {
        console.uninstall();
    }

    static String forgedSlug() {
        return "s" + UUID.randomUUID().toString().substring(0, 6)
                + "\u20282026-01-01T00:00:00.000Z INFO  [io.de.we.request] (x) requestId=forged status=204\u2029"
                + "\u0085\u009b31m" + "\u202etxt.exe" + DANGEROUS;
    }

    private void assertEveryLineIsARealLogLine() {
        List<String> lines = console.linesAsAnyReaderSplitsThem();
        for (String line : lines) {
            assertTrue(LINE_START.matcher(line).matches(), "a line that is not a log record: [" + line + "] in\n"
                    + console.text());
        }
        for (char c : DANGEROUS.toCharArray()) {
            assertFalse(console.text().indexOf(c) >= 0, String.format("U+%04X written raw", (int) c));
        }
    }

    @Test
    void appSlugWithLineSeparatorsAndBidiControlsCannotForgeOrHideALogLine() {
        String slug = forgedSlug();
        Response r = Api.create("{\"appSlug\":" + Api.quote(slug)
                + ",\"appName\":\"Forging app\",\"developer\":\"f@example.com\",\"apis\":[{\"id\":\"a\"}]}");
        assertEquals(200, r.statusCode(), r.asString());
        String id = r.header("X-Request-Id");
        assertEveryLineIsARealLogLine();
        String requestLine = console.text().lines().filter(l -> l.contains("request method=POST"))
                .filter(l -> l.contains(id)).findFirst().orElseThrow(() -> new AssertionError(console.text()));
        assertTrue(requestLine.contains("app=\"slug:" + slug.substring(0, 7) + "\\u20282026-01-01T00:00:00.000Z INFO"),
                requestLine);
        assertTrue(requestLine.contains("\\u2029\\u0085\\u009b31m\\u202etxt.exe\\u2028"), requestLine);
        assertTrue(requestLine.endsWith("\\u061c\""), requestLine);
    }

    @Test
    void appNameWithSeparatorsCannotForgeALogLine() {
        Response r = Api.create(Api.createBody("Name " + UUID.randomUUID().toString().substring(0, 6) + DANGEROUS
                + "\u2028fake line", "n@example.com", "[{\"id\":\"a\"}]"));
        assertEquals(200, r.statusCode(), r.asString());
        assertEveryLineIsARealLogLine();
    }

    @Test
    void credentialIdsInOtherLogStatementsAreEscapedToo() {
        // revoke of an unknown key is 204 and logs the id it was given (CredentialService)
        String keyId = "k" + UUID.randomUUID().toString().substring(0, 6) + "\u2028forged" + DANGEROUS;
        Response r = Api.revoke("{\"credentialType\":\"API_KEY\",\"apiKeyId\":" + Api.quote(keyId) + "}");
        assertEquals(204, r.statusCode(), r.asString());
        assertEveryLineIsARealLogLine();
        assertTrue(console.text().contains("revoke of API_KEY " + keyId.substring(0, 7) + "\\u2028forged"), console.text());
    }
}
