package io.devportal.webhook.metrics;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The figures an operator scrapes from the management port after a create, update and revoke
 * cycle: counters by operation, type and outcome; request timers per endpoint; the gauges.
 */
@QuarkusTest
class MetricsTest {
    private static final String PLANS = "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]";

    @Test
    void aCreateUpdateRevokeCycleIsCountedByTypeAndOutcomeAndTimedPerEndpoint() {
        String before = Management.scrape();
        String name = "Metrics " + UUID.randomUUID().toString().substring(0, 8);
        String body = createBody(name, "m@example.com", PLANS);
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        Api.create(body).then().statusCode(200);
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"silver\"}]}]}")
                .then().statusCode(204);
        Api.update("{\"apiKeyId\":\"lk-not-there\",\"apis\":[]}").then().statusCode(404);
        Api.create("{\"appName\":\"x\"}").then().statusCode(400);
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        String after = Management.scrape();

        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"create\",outcome=\"issued\",type=\"API_KEY\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"create\",outcome=\"idempotent\",type=\"API_KEY\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"update\",outcome=\"updated\",type=\"API_KEY\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"update\",outcome=\"not_found\",type=\"API_KEY\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"create\",outcome=\"invalid_request\",type=\"unknown\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"revoke\",outcome=\"revoked\",type=\"API_KEY\"");
        assertIncreasedBy(1, before, after, "webhook_credential_operations_total",
                "operation=\"revoke\",outcome=\"already_revoked\",type=\"API_KEY\"");
        assertIncreasedBy(3, before, after, "http_server_requests_seconds_count",
                "method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/createCredentials\"", 2);
        assertTrue(value(after, "http_server_requests_seconds_count",
                "method=\"POST\",outcome=\"SUCCESS\",status=\"204\",uri=\"/v1/revokeCredentials\"") >= 2, after);
        assertTrue(after.contains("webhook_credentials_active{type=\"API_KEY\"}"), after);
        assertTrue(after.contains("webhook_operations_stale "), after);
    }

    @Test
    void wrongCredentialsAreCountedAsAuthFailuresAndAMissingHeaderIsNot() {
        String before = Management.scrape();
        RestAssured.given().auth().preemptive().basic(Api.USER, "wrong").get("/v1/health").then().statusCode(401);
        String after = Management.scrape();
        assertEquals(value(before, "webhook_auth_failures_total", null) + 1,
                value(after, "webhook_auth_failures_total", null));
    }

    @Test
    void theMetricsAreNotServedOnThePortalsPort() {
        RestAssured.given().get("/q/metrics").then().statusCode(401);
        RestAssured.given().auth().preemptive().basic(Api.USER, Api.PASSWORD).get("/q/metrics").then().statusCode(404);
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    static void assertIncreasedBy(double delta, String before, String after, String name, String labels) {
        assertIncreasedBy(delta, before, after, name, labels, delta);
    }

    /** At least {@code atLeast} and, when the series is ours alone, exactly {@code delta}. */
    static void assertIncreasedBy(double delta, String before, String after, String name, String labels,
                                  double atLeast) {
        double grown = value(after, name, labels) - value(before, name, labels);
        assertTrue(grown >= atLeast && grown <= delta, name + "{" + labels + "} grew by " + grown + ", expected "
                + delta + "\n" + after);
    }

    /** The value of one series, 0 when absent. Labels are matched as Prometheus prints them (sorted). */
    static double value(String exposition, String name, String labels) {
        String series = labels == null ? Pattern.quote(name) : Pattern.quote(name + "{" + labels) + "[,}]";
        Matcher m = Pattern.compile("(?m)^" + series + "[^\\n]*?\\s([0-9.eE+-]+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
