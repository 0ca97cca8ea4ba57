package io.devportal.webhook.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.devportal.webhook.lambda.LambdaEvents.BASIC;
import static io.devportal.webhook.lambda.LambdaEvents.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 6 of issue 20 in Lambda: the client's address is the function URL event's
 * {@code requestContext.http.sourceIp} (Lambda fills it from the connection), never the
 * {@code x-forwarded-for} header the caller can write. And item 1: the percent-escape 400 in contract shape.
 */
@QuarkusTest
@TestProfile(LambdaSourceIpTest.Profile.class)
class LambdaSourceIpTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.allowed-sources", "192.0.2.0/24",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-lambda-sources;DB_CLOSE_DELAY=-1");
        }
    }

    @BeforeEach
    void toTheMockEventServer() {
        RestAssured.port = ConfigProvider.getConfig()
                .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    private static ObjectNode health(String sourceIp, String forwardedFor) {
        ObjectNode event = LambdaEvents.get(LambdaEvents.Source.FUNCTION_URL, "/v1/health",
                "authorization", BASIC, "x-forwarded-for", forwardedFor);
        ((ObjectNode) event.at("/requestContext/http")).put("sourceIp", sourceIp);
        return event;
    }

    @Test
    void theEventsSourceIpDecidesNotTheForwardedForHeader() {
        LambdaEvents.Answer outside = invoke(health("203.0.113.9", "192.0.2.5"));
        assertEquals(403, outside.status(), outside.response().toString());
        assertEquals("source_not_allowed", outside.body().get("code").asText());
        assertEquals("this address may not call the webhook (webhook.allowed-sources)",
                outside.body().get("message").asText());
        assertTrue(outside.header("Content-Type").startsWith("application/json"));
        LambdaEvents.Answer inside = invoke(health("192.0.2.5", "203.0.113.9"));
        assertEquals(204, inside.status(), inside.response().toString());
    }

    /** Item 1 in Lambda: a malformed percent-escape in the query is a 400 in the contract's shape. */
    @Test
    void aMalformedPercentEscapeIs400InTheContractsShape() {
        ObjectNode event = health("192.0.2.5", "192.0.2.5");
        event.put("rawQueryString", "x=%zz");
        LambdaEvents.Answer answer = invoke(event);
        assertEquals(400, answer.status(), answer.response().toString());
        assertEquals("invalid_request", answer.body().get("code").asText());
        assertEquals("the request target could not be decoded (a malformed percent-escape?)",
                answer.body().get("message").asText());
        assertEquals(answer.header("X-Request-Id"), answer.body().get("requestId").asText());
    }
}
