package io.devportal.webhook.api;

import io.devportal.webhook.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.devportal.webhook.api.EdgeProfile.basic;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 6 of issue 20: with webhook.allowed-sources set, a caller from elsewhere gets 403 before
 * authentication, and the audit log names its address. The client address is the one the lockout uses
 * (here the trusted proxy's right-most X-Forwarded-For hop; in Lambda the event's sourceIp).
 */
@QuarkusTest
@TestProfile(AllowedSourcesTest.Profile.class)
class AllowedSourcesTest {

    public static class Profile extends EdgeProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return plus("webhook-sources", "webhook.allowed-sources", "192.0.2.0/24,2001:db8::/32");
        }
    }

    @Test
    void aCallerOutsideTheAllowedNetworksGets403BeforeAuthenticationAndIsAudited() {
        LogCapture log = LogCapture.install();
        log.clear();
        for (String path : new String[] {"/v1/health", "/v1/createCredentials", "/v1/nowhere"}) {
            RestAssured.given().filter(io.devportal.webhook.support.OpenApiContract.FILTER)
                    .header("X-Forwarded-For", "192.0.2.10, 203.0.113.9") // the client wrote the first one
                    .header("Authorization", basic(EdgeProfile.USER, EdgeProfile.PASSWORD))
                    .get(path).then().statusCode(403)
                    .contentType("application/json")
                    .body("code", equalTo("source_not_allowed"))
                    .body("message", equalTo("this address may not call the webhook (webhook.allowed-sources)"))
                    .body("requestId", matchesPattern("[0-9a-f-]{36}"));
        }
        assertTrue(log.text().contains("action=\"REFUSED\" reason=\"source_not_allowed\" address=\"203.0.113.9\""),
                log.text());
        RestAssured.given().header("Authorization", basic(EdgeProfile.USER, EdgeProfile.PASSWORD))
                .get("/v1/health").then().statusCode(403); // the test's own connection (127.0.0.1) is outside too
    }

    @Test
    void aCallerInsideIsAuthenticatedAsUsual() {
        for (String client : new String[] {"192.0.2.10", "2001:db8::17"}) {
            RestAssured.given().header("X-Forwarded-For", client)
                    .header("Authorization", basic(EdgeProfile.USER, EdgeProfile.PASSWORD))
                    .get("/v1/health").then().statusCode(204);
            RestAssured.given().header("X-Forwarded-For", client)
                    .header("Authorization", basic(EdgeProfile.USER, "wrong"))
                    .get("/v1/health").then().statusCode(401);
        }
    }
}
