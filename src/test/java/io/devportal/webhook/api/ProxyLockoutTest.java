package io.devportal.webhook.api;

import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.devportal.webhook.api.EdgeProfile.basic;
import static io.devportal.webhook.api.EdgeProfile.freshAddress;
import static org.hamcrest.Matchers.equalTo;

/**
 * Item 5 of issue 20: behind a trusted proxy the client is the right-most X-Forwarded-For hop, so a
 * caller that writes a new left-most value each time stays locked out; and a per-instance budget of
 * failed logins bounds the slow hashes rotating addresses could buy.
 */
@QuarkusTest
@TestProfile(ProxyLockoutTest.Profile.class)
class ProxyLockoutTest {

    public static class Profile extends EdgeProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return plus("webhook-proxy", "webhook.auth.max-failures", "3", "webhook.auth.instance-max-failures", "8");
        }
    }

    @Inject
    TestClock clock;

    @BeforeEach
    void freshWindows() {
        clock.advance(Duration.ofMinutes(5));
    }

    private static ValidatableResponse health(String forwardedFor, String password) {
        return RestAssured.given().header("X-Forwarded-For", forwardedFor)
                .header("Authorization", basic(EdgeProfile.USER, password)).get("/v1/health").then();
    }

    @Test
    void rotatingTheLeftMostForwardedForEntryDoesNotEscapeTheLockout() {
        String client = freshAddress();
        for (int i = 1; i <= 3; i++) {
            // what the client writes, then what the trusted proxy appended (the client's real address)
            health("10.0.0." + i + ", " + client, "guess-" + i).statusCode(401);
        }
        health("10.0.0.99, " + client, EdgeProfile.PASSWORD).statusCode(429)
                .header("Retry-After", "60")
                .body("code", equalTo("too_many_requests"))
                .body("message", equalTo("too many failed authentication attempts from this address; retry later"));
        RestAssured.given().header("X-Forwarded-For", "10.0.0.100").header("X-Forwarded-For", client)
                .header("Authorization", basic(EdgeProfile.USER, EdgeProfile.PASSWORD)).get("/v1/health")
                .then().statusCode(429); // a second header is the proxy's too: its last entry counts
        health(client + ", " + freshAddress(), EdgeProfile.PASSWORD).statusCode(204); // another client
    }

    @Test
    void onceTheInstanceBudgetIsSpentAGuessCostsAFastRefusalAndRememberedPasswordsStillWork() {
        for (int i = 0; i < 8; i++) {
            health(freshAddress(), "guess-" + i).statusCode(401); // eight addresses, one failure each
        }
        // the bcrypt account's right password, not verified yet: it would need a bcrypt, and the budget is spent
        health(freshAddress(), EdgeProfile.BCRYPT_PASSWORD).statusCode(429)
                .body("code", equalTo("too_many_requests"))
                .body("message", equalTo("too many failed logins on this instance; retry later"));
        health(freshAddress(), "a-wrong-guess").statusCode(429); // no bcrypt for a guess either
        health(freshAddress(), EdgeProfile.PASSWORD).statusCode(204); // the fast hash needs no budget

        clock.advance(Duration.ofMinutes(2)); // the failures leave the window
        health(freshAddress(), EdgeProfile.BCRYPT_PASSWORD).statusCode(204); // verified and remembered now
        for (int i = 0; i < 8; i++) {
            health(freshAddress(), "guess-" + i).statusCode(401);
        }
        health(freshAddress(), EdgeProfile.BCRYPT_PASSWORD).statusCode(204); // remembered: never refused by the budget
        health(freshAddress(), "a-wrong-guess").statusCode(401)  // nothing slow is left to try: a fast 401
                .body("message", equalTo("invalid username or password"));
    }
}
