package io.devportal.webhook.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In Lambda the same figures go to standard output in CloudWatch embedded metric format. */
@QuarkusTest
@TestProfile(EmbeddedMetricFormatTest.Emf.class)
class EmbeddedMetricFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class Emf implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.metrics.emf", "true", "webhook.metrics.namespace", "test-namespace");
        }
    }

    @Inject
    EmbeddedMetricFormat emf;

    @Inject
    Sweeper sweeper;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        emf.output(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        emf.output(System.out);
    }

    @Test
    void aCreateWritesItsCountAndItsRequestTimeAsEmbeddedMetrics() throws Exception {
        String name = "Emf " + UUID.randomUUID().toString().substring(0, 8);
        Api.create(createBody(name, "e@example.com", "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]"))
                .then().statusCode(200);
        List<JsonNode> lines = lines();

        JsonNode count = only(lines, Metrics.OPERATIONS);
        JsonNode directive = count.at("/_aws/CloudWatchMetrics/0");
        assertEquals("test-namespace", directive.get("Namespace").asText());
        assertEquals("[[\"operation\",\"type\",\"outcome\"]]", directive.get("Dimensions").toString());
        assertEquals("[{\"Name\":\"webhook.credential.operations\",\"Unit\":\"Count\"}]",
                directive.get("Metrics").toString());
        assertEquals("create", count.get("operation").asText());
        assertEquals("API_KEY", count.get("type").asText());
        assertEquals("issued", count.get("outcome").asText());
        assertEquals(1.0, count.get(Metrics.OPERATIONS).asDouble());
        assertTrue(count.at("/_aws/Timestamp").asLong() > 0);

        JsonNode request = only(lines, Metrics.REQUESTS);
        assertEquals("create", request.get("endpoint").asText());
        assertEquals("200", request.get("status").asText());
        assertEquals("Milliseconds", request.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());
        assertTrue(request.get(Metrics.REQUESTS).asDouble() > 0);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(name), "no app name in a metric line");
    }

    @Test
    void aSweepWritesTheGauges() throws Exception {
        sweeper.sweep();
        List<JsonNode> lines = lines();
        assertEquals(3, lines.stream().filter(l -> l.has(Metrics.ACTIVE_CREDENTIALS)).count(), lines.toString());
        only(lines, Metrics.STALE_OPERATIONS);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode only(List<JsonNode> lines, String metric) {
        List<JsonNode> found = lines.stream().filter(l -> l.has(metric)).toList();
        assertEquals(1, found.size(), metric + " in " + lines);
        return found.get(0);
    }
}
