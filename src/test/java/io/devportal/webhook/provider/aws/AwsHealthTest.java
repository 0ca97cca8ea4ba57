package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.FaultInjector.Fault;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.TestClock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** /v1/health checks AWS for real, one cheap read per service, cached for a few seconds. */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsHealthTest {

    @Inject
    FaultInjector faults;

    @Inject
    TestClock clock;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @BeforeEach
    @AfterEach
    void reset() {
        faults.reset();
        // step past the cache so every test starts with a fresh check
        clock.advance(Duration.ofMinutes(1));
    }

    @Test
    void aBurstOfHealthChecksCostsOneCallPerService() {
        for (int i = 0; i < 20; i++) {
            Api.portal().get("/v1/health").then().statusCode(204).body(emptyString());
        }
        assertEquals(1, faults.calls("GetUsagePlans"));
        assertEquals(1, faults.calls("DescribeUserPool"));
        // the test profile caches for 30 s, so a slow machine cannot make the burst outlive the cache
        clock.advance(Duration.ofSeconds(31));
        Api.portal().get("/v1/health").then().statusCode(204);
        assertEquals(2, faults.calls("DescribeUserPool"));
    }

    @Test
    void accessDeniedNamesTheServiceAndThePermission() {
        faults.fail("DescribeUserPool", Fault.DENIED, 99);
        Api.portal().get("/v1/health").then().statusCode(503)
                .header("Retry-After", "10")
                .body("code", equalTo("unavailable"))
                .body("message", equalTo("unhealthy: cognito-idp: access denied: the webhook's role lacks "
                        + "cognito-idp:DescribeUserPool"));
    }

    @Test
    void aMissingUserPoolIsNamed() {
        faults.fail("DescribeUserPool", Fault.NOT_FOUND, 99);
        Api.portal().get("/v1/health").then().statusCode(503)
                .body("message", equalTo("unhealthy: cognito-idp: user pool " + pool + " not found"));
    }

    @Test
    void anUnreachableServiceIsNamed() {
        faults.fail("GetUsagePlans", Fault.TIMEOUT, 99);
        Api.portal().get("/v1/health").then().statusCode(503)
                .body("message", equalTo("unhealthy: apigateway: unreachable"));
    }
}
