package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
@TestProfile(AuthThrottleTest.ThreeStrikes.class)
class AuthThrottleTest {

    public static class ThreeStrikes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.auth.max-failures", "3", "webhook.auth.lockout", "PT60S",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-throttle;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    TestClock clock;

    /** Every test starts with no failure in the window and no lockout (3 failures, 60 s window, 60 s lockout). */
    @BeforeEach
    void forgetEarlierTests() {
        clock.advance(Duration.ofMinutes(5));
    }

    private static void wrong() {
        Api.anonymous().auth().preemptive().basic(Api.USER, "guess").get("/v1/health").then().statusCode(401);
    }

    private static void right() {
        Api.portal().get("/v1/health").then().statusCode(204);
    }

    private static void throttled() {
        Api.portal().get("/v1/health").then().statusCode(429).body("code", equalTo("too_many_requests"));
    }

    @Test
    void requestsWithoutCredentialsAreTheChallengeNotGuessesAndNeverLockOut() {
        for (int i = 0; i < 10; i++) {
            Api.anonymous().get("/v1/health").then().statusCode(401)
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic"))
                    .body("message", equalTo("authentication required: send Authorization: Basic"));
        }
        right();
    }

    @Test
    void aSuccessDoesNotEraseRecentFailures() {
        wrong();
        right();
        wrong();
        right();
        wrong(); // the third wrong password within the window, with successes in between
        throttled();
    }

    @Test
    void theWindowSlidesEachFailureCountsForExactlyTheWindow() {
        wrong();                                  // t=0
        clock.advance(Duration.ofSeconds(40));
        wrong();                                  // t=40
        clock.advance(Duration.ofSeconds(30));
        wrong();                                  // t=70: the first one has left the window, 2 remain
        right();
        clock.advance(Duration.ofSeconds(10));
        wrong();                                  // t=80: 40, 70 and 80 are within 60 s
        throttled();
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottledThenForgiven() {
        for (int i = 0; i < 3; i++) {
            Api.anonymous().auth().preemptive().basic(Api.USER, "guess-" + i).get("/v1/health")
                    .then().statusCode(401);
        }
        // throttled now, even with the right password
        // the lockout is 60 s from the third failure; a slow machine may take a second or two to get here
        Api.portal().get("/v1/health").then().statusCode(429)
                .header("Retry-After", matchesPattern("60|59|58|57|56|55"))
                .body("code", equalTo("too_many_requests"))
                .body("message", equalTo("too many failed authentication attempts from this address; retry later"));
        clock.advance(Duration.ofSeconds(61));
        Api.portal().get("/v1/health").then().statusCode(204);
    }
}
