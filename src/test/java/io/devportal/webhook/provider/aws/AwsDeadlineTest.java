package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoResource;
import io.devportal.webhook.support.StrictAws;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The request deadline on the AWS path: every AWS answer comes late (the strict twin's latency),
 * so a create runs out of time half-way. It answers 503 deadline_exceeded, undoes the key it made,
 * and no AWS call is sent after the answer.
 */
@QuarkusTest
@TestProfile(AwsDeadlineTest.ShortDeadline.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsDeadlineTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.request.deadline", "PT1S", "webhook.request.undo-time", "PT4S",
                    "webhook.lease.duration", "PT20S", "webhook.aws.attempt-timeout", "PT3S");
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    Db db;

    @AfterEach
    void resetTwin() {
        StrictAws.reset();
    }

    private static int calls(JsonNode stats) {
        int total = 0;
        for (JsonNode op : stats) {
            total += op.path("calls").asInt();
        }
        return total;
    }

    @Test
    void aCreatePastItsDeadlineAnswers503UndoesItsKeyAndSendsNothingAfterwards() throws Exception {
        String name = "Late " + UUID.randomUUID().toString().substring(0, 8);
        StrictAws.configure("latencyMillis=450");
        Response r = Api.create(Api.createBody(name, "l@example.com", "[{\"id\":\"api1\",\"usagePlans\":["
                + "{\"id\":\"" + plans.get(0) + "\"},{\"id\":\"" + plans.get(1) + "\"}]}]"));
        int answeredAfter = calls(StrictAws.stats());

        assertEquals(503, r.statusCode(), r.asString());
        assertEquals("deadline_exceeded", r.jsonPath().getString("code"));
        assertEquals("5", r.header("Retry-After"));
        Thread.sleep(1500);
        assertEquals(answeredAfter, calls(StrictAws.stats()), "no AWS call after the answer: " + StrictAws.stats());
        StrictAws.configure("latencyMillis=0");
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            assertEquals(List.of(), aws.getApiKeys(b -> b.nameQuery(name + " (l@example.com)")).items(),
                    "the key it made was undone");
        }
        assertEquals("ROLLED_BACK", db.string("SELECT status FROM credential WHERE app_name = ?", name));
    }
}
