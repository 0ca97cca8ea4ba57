package io.devportal.webhook.api;

import io.devportal.webhook.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.devportal.webhook.api.EdgeProfile.basic;
import static io.devportal.webhook.api.EdgeProfile.freshAddress;
import static io.devportal.webhook.api.EdgeProfile.from;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item 1 of issue 20: whatever credentials a caller sends, the answer is a 401 in the contract's shape. */
@QuarkusTest
@TestProfile(EdgeProfile.class)
class BasicAuthEdgeTest {
    private static final List<String> PATHS = List.of("/v1/health", "/v1/createCredentials", "/v1/updateCredentials",
            "/v1/revokeCredentials");

    private static ValidatableResponse send(String path, String address, String... authorization) {
        var request = from(address);
        for (String a : authorization) {
            request = request.header("Authorization", a);
        }
        var response = path.endsWith("health") ? request.get(path) : request.contentType("application/json")
                .body("{}").post(path);
        return response.then();
    }

    private static void refused(String address, String message, String... authorization) {
        for (String path : PATHS) {
            send(path, address, authorization).statusCode(401)
                    .header("WWW-Authenticate", "Basic realm=\"devportal-webhook\", charset=\"UTF-8\"")
                    .contentType("application/json")
                    .body("message", equalTo(message))
                    .body("code", equalTo("unauthorized"))
                    .body("requestId", matchesPattern("[0-9a-f-]{36}"));
        }
    }

    /** bcrypt reads 72 bytes at most; the library it uses throws past that, which was a 500 on every path. */
    @ParameterizedTest
    @ValueSource(ints = {72, 73, 100, 1_000, 10_000})
    void aWrongPasswordOfAnyLengthIs401ForTheBcryptUserAndOthers(int length) {
        String password = "x".repeat(length);
        refused(freshAddress(), "invalid username or password", basic(EdgeProfile.USER, password));
        refused(freshAddress(), "invalid username or password", basic("nobody", password));
        refused(freshAddress(), "invalid username or password", basic(EdgeProfile.USER + "x".repeat(length), "y"));
    }

    @Test
    void anyBytesAreRefusedAsWhatTheyAre() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        String notUtf8 = "Basic " + Base64.getEncoder().encodeToString(every);
        refused(freshAddress(), "Authorization: Basic credentials must be UTF-8", notUtf8);
        String controls = basic("portal\u0000\u001b[2J", "pass\u0000word\u202e");
        refused(freshAddress(), "invalid username or password", controls);
        refused(freshAddress(), "Authorization: Basic credentials are not valid base64", "Basic " + "\u00ff".repeat(50));
    }

    @Test
    void aMissingColonAnEmptyUserOrPasswordAndARepeatedHeaderAre401() {
        String address = freshAddress();
        refused(address, "Authorization: Basic credentials must be username:password",
                "Basic " + Base64.getEncoder().encodeToString(EdgeProfile.PASSWORD.getBytes(StandardCharsets.UTF_8)));
        refused(freshAddress(), "invalid username or password", basic("", EdgeProfile.PASSWORD));
        refused(freshAddress(), "invalid username or password", basic(EdgeProfile.USER, ""));
        refused(freshAddress(), "invalid username or password", basic("", ""));
        String right = basic(EdgeProfile.USER, EdgeProfile.PASSWORD);
        refused(freshAddress(), "send one Authorization header, not 2", right, right);
    }

    @Test
    void theSchemeIsCaseInsensitiveAndAUtf8PasswordWithColonsWorks() {
        String address = freshAddress();
        String token = basic(EdgeProfile.USER, EdgeProfile.PASSWORD).substring("Basic ".length());
        for (String scheme : List.of("Basic", "basic", "BASIC", "bAsIc")) {
            send("/v1/health", address, scheme + " " + token).statusCode(204).body(emptyString());
        }
        send("/v1/health", address, basic(EdgeProfile.COLON_USER, EdgeProfile.COLON_PASSWORD)).statusCode(204);
        send("/v1/health", freshAddress(), basic(EdgeProfile.COLON_USER, "pä:ss")).statusCode(401);
    }

    @Test
    void credentialsUpToTheHeaderLimitAre401AndPastItAre431InTheContractsShape() {
        // 20 KiB of headers in all (quarkus.http.limits.max-header-size): a 14,000-byte password fits
        refused(freshAddress(), "invalid username or password", basic(EdgeProfile.USER, "p".repeat(14_000)));
        RawHttp.Answer tooLarge = RawHttp.send("GET /v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + "A".repeat(30_000) + "\r\n\r\n");
        assertEquals(431, tooLarge.status(), tooLarge.raw());
        assertTrue(tooLarge.body().contains("\"code\":\"headers_too_large\""), tooLarge.raw());
    }

    /** Vert.x decodes the target while it matches routes, before any failure handler: it answered an empty 400. */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/health?x=%zz", "/v1/health?x=%", "/v1/he%zzalth", "/v1/createCredentials%",
            "/v1/%zz"})
    void aMalformedPercentEscapeIs400InTheContractsShape(String target) {
        RawHttp.Answer a = RawHttp.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "X-Forwarded-For: " + freshAddress() + "\r\n" + "Authorization: "
                + basic(EdgeProfile.USER, EdgeProfile.PASSWORD) + "\r\n\r\n");
        assertEquals(400, a.status(), a.raw());
        assertEquals("application/json", a.header("Content-Type"), a.raw());
        String id = a.header("X-Request-Id");
        assertTrue(id != null && id.matches("[0-9a-f-]{36}"), a.raw());
        assertEquals("{\"message\":\"the request target could not be decoded (a malformed percent-escape?)\","
                + "\"code\":\"invalid_request\",\"requestId\":\"" + id + "\"}", a.body(), a.raw());
    }
}
