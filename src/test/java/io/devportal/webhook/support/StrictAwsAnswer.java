package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One answer of the strict twin ({@link StrictAws}): moto's, or the twin's own, shaped as AWS shapes
 * it.
 */
record StrictAwsAnswer(int status, Map<String, List<String>> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An API Gateway error: {"message"} with its type in x-amzn-ErrorType. */
    static StrictAwsAnswer apiGatewayError(int status, String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        return new StrictAwsAnswer(status, Map.of("Content-Type", List.of("application/json"),
                "x-amzn-ErrorType", List.of(type)), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A Cognito error, as Cognito answers most: 400. */
    static StrictAwsAnswer cognitoError(String type, String message) {
        return cognitoError(400, type, message);
    }

    /** A Cognito (JSON protocol) error: {"__type", "message"} with its type in x-amzn-ErrorType. */
    static StrictAwsAnswer cognitoError(int status, String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("__type", type).put("message", message);
        return new StrictAwsAnswer(status, Map.of("Content-Type", List.of("application/x-amz-json-1.1"),
                "x-amzn-ErrorType", List.of(type)), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A control endpoint's answer that is not JSON: its status and a plain text (empty for none). */
    static StrictAwsAnswer plain(int status, String text) {
        return new StrictAwsAnswer(status, Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    static StrictAwsAnswer json(JsonNode body) throws IOException {
        return new StrictAwsAnswer(200, Map.of("Content-Type", List.of("application/json")),
                JSON.writeValueAsBytes(body));
    }

    /** Sends this answer to the client: its headers but those of the hop (length, encoding, connection). */
    void send(HttpExchange exchange) throws IOException {
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("transfer-encoding") && !lower.equals("connection")
                    && !lower.equals(":status")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
