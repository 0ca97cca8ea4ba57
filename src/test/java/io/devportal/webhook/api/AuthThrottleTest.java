package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
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
