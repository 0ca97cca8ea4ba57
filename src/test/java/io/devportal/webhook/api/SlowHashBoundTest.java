package io.devportal.webhook.api;

import io.devportal.webhook.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.devportal.webhook.api.EdgeProfile.basic;
import static io.devportal.webhook.api.EdgeProfile.freshAddress;
import static io.devportal.webhook.api.EdgeProfile.from;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Item 3 of issue 20: bcrypt runs on a worker, at most webhook.auth.concurrent-slow-hashes at once, else 429 at once. */
@QuarkusTest
@TestProfile(EdgeProfile.class)
class SlowHashBoundTest {

    @Inject
    SlowVerifications slow;

    @Inject
    TestClock clock;

    @BeforeEach
    void freshWindows() {
        clock.advance(Duration.ofMinutes(5));
    }

    @Test
    void aBcryptVerificationRunsOffTheEventLoop() {
        slow.takeLastThread();
        from(freshAddress()).header("Authorization", basic(EdgeProfile.USER, "a-wrong-guess"))
                .get("/v1/health").then().statusCode(401).body("message", equalTo("invalid username or password"));
        String thread = slow.takeLastThread();
        assertNotNull(thread, "a wrong password ran bcrypt for the account not verified yet");
        assertFalse(thread.contains("eventloop"), "bcrypt ran on " + thread);
    }

    @Test
    void pastTheBoundAWrongOrNewPasswordIsRefusedAtOnceWith429AuthBusy() {
        int held = slow.holdAll();
        try {
            String address = freshAddress();
            from(address).header("Authorization", basic(EdgeProfile.USER, "another-guess")).get("/v1/health")
                    .then().statusCode(429)
                    .header("Retry-After", "1")
                    .contentType("application/json")
                    .body("code", equalTo("auth_busy"))
                    .body("message", equalTo("too many password verifications at once; retry in a second"));
            // the fast-hashed default account needs no slot: it is still served
            from(address).header("Authorization", basic(EdgeProfile.USER, EdgeProfile.PASSWORD)).get("/v1/health")
                    .then().statusCode(204);
        } finally {
            slow.release(held);
        }
        from(freshAddress()).header("Authorization", basic(EdgeProfile.USER, "another-guess")).get("/v1/health")
                .then().statusCode(401);
    }
}
