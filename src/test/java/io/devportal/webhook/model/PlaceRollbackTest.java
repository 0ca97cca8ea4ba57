package io.devportal.webhook.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 22 item 10: places are additive JSON in the resources column (JDBC) or attribute (DynamoDB),
 * so no schema changes. The previous version (a Lambda alias rolled back, docs/deploy-aws.md) reads
 * what this one wrote, ignoring {@code place}; and this one reads what the previous one wrote, and
 * what it writes back after a rollback, as rows without a place (acted on as such until
 * {@code reconcile --apply} records it).
 */
class PlaceRollbackTest {

    /** ResourceRef as the previous version has it (up to 3a37a27^), with that version's mapper settings. */
    record PreviousResourceRef(String type, String id, String name, String operationId, String target) {
    }

    /** ledger.Json of the previous version: unknown properties are ignored. */
    private static final ObjectMapper PREVIOUS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<PreviousResourceRef>> PREVIOUS_ROWS = new TypeReference<>() { };
    private static final TypeReference<List<ResourceRef>> ROWS = new TypeReference<>() { };

    private static final ResourceRef PLACED_KEY = new ResourceRef("apigateway:api-key", "k1", "Shop (d@example.com)",
            "op-1", "partner").withPlace(new Place("111122223333", "sa-east-1", null));
    private static final ResourceRef PLACED_CLIENT = new ResourceRef("cognito:app-client", "c1", "Shop o1 a1", "op-1",
            "default").withPlace(new Place("123456789012", "us-east-1", "us-east-1_Pool"));

    @Test
    void thePreviousVersionReadsRowsThisOneWroteWithoutTheirPlace() throws Exception {
        String written = Json.write(List.of(PLACED_KEY, PLACED_CLIENT));
        assertEquals("[{\"type\":\"apigateway:api-key\",\"id\":\"k1\",\"name\":\"Shop (d@example.com)\","
                + "\"operationId\":\"op-1\",\"target\":\"partner\",\"place\":{\"account\":\"111122223333\","
                + "\"region\":\"sa-east-1\"}},{\"type\":\"cognito:app-client\",\"id\":\"c1\",\"name\":\"Shop o1 a1\","
                + "\"operationId\":\"op-1\",\"target\":\"default\",\"place\":{\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\",\"userPool\":\"us-east-1_Pool\"}}]", written);
        assertEquals(List.of(new PreviousResourceRef("apigateway:api-key", "k1", "Shop (d@example.com)", "op-1",
                        "partner"), new PreviousResourceRef("cognito:app-client", "c1", "Shop o1 a1", "op-1", "default")),
                PREVIOUS.readValue(written, PREVIOUS_ROWS));
    }

    @Test
    void rowsThePreviousVersionWroteReadWithoutAPlaceAndSoDoTheRowsItRewritesAfterARollback() throws Exception {
        // what the previous version writes: every component, nulls included, no place
        String previous = PREVIOUS.writeValueAsString(PREVIOUS.readValue(Json.write(List.of(PLACED_KEY)),
                PREVIOUS_ROWS));
        assertEquals("[{\"type\":\"apigateway:api-key\",\"id\":\"k1\",\"name\":\"Shop (d@example.com)\","
                + "\"operationId\":\"op-1\",\"target\":\"partner\"}]", previous);
        ResourceRef read = Json.read(previous, ROWS).get(0);
        assertNull(read.place(), "a rollback that rewrote the row dropped its place");
        assertFalse(read.placeRecorded(), "so it is acted on as a row before places until reconcile records it");
        assertEquals(new ResourceRef("apigateway:api-key", "k1", "Shop (d@example.com)", "op-1", "partner"), read);
        assertEquals(List.of(new ResourceRef("t", null, "n", "o")),
                Json.read("[{\"type\":\"t\",\"id\":null,\"name\":\"n\",\"operationId\":\"o\",\"target\":\"default\"}]",
                        ROWS));
    }
}
