package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks every response against src/main/resources/META-INF/openapi.yaml: the status code must be
 * one the contract lists for the operation, and the body must match its schema (204s are empty;
 * any error, even on a path outside the contract, must be an ErrorBody). A mismatch fails the test.
 */
public final class OpenApiContract {
    public static final Filter FILTER = OpenApiContract::filter;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SPEC = load();

    private OpenApiContract() {
    }

    private static Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                                   FilterContext context) {
        Response r = context.next(request, response);
        List<String> problems = check(request.getMethod(), URI.create(request.getURI()).getPath(), r.statusCode(),
                r.getContentType(), r.asString());
        if (!problems.isEmpty()) {
            throw new AssertionError("response breaks the OpenAPI contract: " + problems + "\nstatus "
                    + r.statusCode() + ", body: " + r.asString());
        }
        return r;
    }

    public static List<String> check(String method, String path, int status, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = SPEC.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            if (status >= 400) {
                validateJson(body, ref("#/components/schemas/ErrorBody"), "body", problems);
            }
            return problems;
        }
        JsonNode declared = operation.path("responses").path(Integer.toString(status));
        if (declared.isMissingNode()) {
            problems.add("status " + status + " is not in the contract of " + method + " " + path);
            return problems;
        }
        declared = resolve(declared);
        JsonNode schema = declared.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            if (body != null && !body.isEmpty()) {
                problems.add("status " + status + " must have an empty body");
            }
            return problems;
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("Content-Type must be application/json, was " + contentType);
        }
        validateJson(body, schema, "body", problems);
        return problems;
    }

    private static void validateJson(String body, JsonNode schema, String where, List<String> problems) {
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            problems.add(where + " is not JSON");
            return;
        }
        if (value == null) {
            problems.add(where + " is empty");
            return;
        }
        validate(value, schema, where, problems);
    }

    static void validate(JsonNode value, JsonNode schema, String where, List<String> problems) {
        schema = resolve(schema);
        String type = schema.path("type").asText("");
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                problems.add(where + " is not one of " + schema.get("enum"));
            }
        }
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(where + " must be an object");
                    return;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        problems.add(where + "." + required.asText() + " is required");
                    }
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.path("additionalProperties");
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String at = where + "." + field.getKey();
                    if (field.getValue().isNull()) {
                        problems.add(at + " is null: absent fields must be omitted");
                    } else if (properties.has(field.getKey())) {
                        validate(field.getValue(), properties.get(field.getKey()), at, problems);
                    } else if (additional.isBoolean() && !additional.asBoolean()) {
                        problems.add(at + " is not in the contract");
                    } else if (additional.isObject()) {
                        validate(field.getValue(), additional, at, problems);
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + " must be a list");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    validate(value.get(i), schema.path("items"), where + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + " must be a string");
                } else if (value.asText().length() < schema.path("minLength").asInt(0)) {
                    problems.add(where + " is too short");
                }
            }
            case "" -> {
            }
            default -> problems.add(where + ": the checker does not know type " + type);
        }
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = ref(node.get("$ref").asText());
        }
        return node;
    }

    private static JsonNode ref(String ref) {
        return SPEC.at(ref.substring(1));
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
