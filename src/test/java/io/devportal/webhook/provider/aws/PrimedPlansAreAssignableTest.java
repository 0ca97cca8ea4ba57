package io.devportal.webhook.provider.aws;

import io.devportal.webhook.awssdk.PrimingAnswers;
import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.model.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming's create runs through the plan rules: with assignable-plans=TAGGED (the SAM
 * template's default) its usage plans must be tagged assignable, or the primed create would stop at
 * a 422 and leave the update and revoke unprimed.
 */
class PrimedPlansAreAssignableTest {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    @Test
    void thePrimedUsagePlansAreTaggedAssignable() {
        AwsPrimingAnswers answers = AwsPrimingAnswers.forApi("priming-api");
        String plan = answers.answer(new PrimingAnswers.Call("GET", "apigateway.us-east-1.amazonaws.com",
                "/usageplans/priming-plan", Map.of(), null, ""));
        Map<String, Object> read = Json.read(plan, MAP);
        assertTrue(AssignablePlans.tagged(cast(read.get("tags"))), plan);
        String list = answers.answer(new PrimingAnswers.Call("GET", "apigateway.us-east-1.amazonaws.com",
                "/usageplans", Map.of("keyId", List.of("priming-key")), null, ""));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) Json.read(list, MAP).get("item")).get(0);
        assertTrue(AssignablePlans.tagged(cast(first.get("tags"))), list);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cast(Object tags) {
        return (Map<String, String>) tags;
    }
}
