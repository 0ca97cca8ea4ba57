package io.devportal.webhook.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devportal.webhook.support.Api;
import io.restassured.RestAssured;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda events as AWS sends them (payload format 2.0), built by hand so that the tests control
 * every field: header names lower-cased as function URLs and HTTP APIs deliver them.
 */
final class LambdaEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (Api.USER + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));

    private LambdaEvents() {
    }

    /** Where the event came from: a function URL or an API Gateway HTTP API. */
    enum Source { FUNCTION_URL, HTTP_API }

    /** A POST of {@code body} to {@code path}; headers are name, value, ... (give them lower-cased). */
    static ObjectNode post(Source source, String path, String body, boolean base64, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", source == Source.FUNCTION_URL ? "abcdefgh12.lambda-url.eu-west-1.on.aws"
                : "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
        h.put("x-forwarded-for", "203.0.113.9");
        h.put("x-forwarded-proto", "https");
        h.put("x-forwarded-port", "443");
        h.put("user-agent", "Sensedia-DevPortal");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", source == Source.FUNCTION_URL ? "$default" : "POST " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode hn = event.putObject("headers");
        h.forEach(hn::put);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", source == Source.FUNCTION_URL ? "anonymous" : "123456789012");
        ctx.put("apiId", source == Source.FUNCTION_URL ? "abcdefgh12" : "a1b2c3d4e5");
        ctx.put("domainName", h.get("host"));
        ctx.put("domainPrefix", h.get("host").substring(0, 10));
        ObjectNode http = ctx.putObject("http");
        http.put("method", "POST");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.9");
        http.put("userAgent", "Sensedia-DevPortal");
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", event.get("routeKey").asText());
        ctx.put("stage", "$default");
        ctx.put("time", "29/Nov/2026:08:00:00 +0000");
        ctx.put("timeEpoch", Instant.now().toEpochMilli());
        if (body != null) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        event.put("isBase64Encoded", base64);
        return event;
    }

    /** A GET without a body. */
    static ObjectNode get(Source source, String path, String... headers) {
        ObjectNode event = post(source, path, null, false, headers);
        ((ObjectNode) event.get("requestContext").get("http")).put("method", "GET");
        event.put("routeKey", source == Source.FUNCTION_URL ? "$default" : "GET " + path);
        return event;
    }

    /** An EventBridge schedule's event, as a rule with rate(...) sends it. */
    static ObjectNode scheduled() {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "123456789012");
        event.put("time", "2026-11-29T08:00:00Z");
        event.put("region", "eu-west-1");
        event.putArray("resources").add("arn:aws:events:eu-west-1:123456789012:rule/devportal-webhook-sweeper");
        event.putObject("detail");
        return event;
    }

    /**
     * Sends a raw event through the mock Lambda event server (the Lambda runtime API of the test
     * mode) to the function, and returns the function's answer: an API Gateway v2 response.
     */
    static Answer invoke(JsonNode event) {
        String raw = RestAssured.given().contentType("application/json").body(event.toString())
                .post("/_lambda_").then().statusCode(200).extract().asString();
        try {
            return new Answer(JSON.readTree(raw));
        } catch (java.io.IOException e) {
            throw new AssertionError("the function's answer is not JSON: " + raw, e);
        }
    }

    /** The function's answer to an HTTP event. */
    record Answer(JsonNode response) {
        int status() {
            return response.get("statusCode").asInt();
        }

        /** A response header, its name matched without case. */
        String header(String name) {
            JsonNode headers = response.get("headers");
            if (headers != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().equalsIgnoreCase(name)) {
                        return e.getValue().asText();
                    }
                }
            }
            return null;
        }

        String bodyText() {
            JsonNode body = response.get("body");
            if (body == null || body.isNull()) {
                return "";
            }
            if (response.path("isBase64Encoded").asBoolean(false)) {
                return new String(Base64.getDecoder().decode(body.asText()), StandardCharsets.UTF_8);
            }
            return body.asText();
        }

        JsonNode body() {
            try {
                return JSON.readTree(bodyText());
            } catch (java.io.IOException e) {
                throw new AssertionError("the body is not JSON: " + bodyText(), e);
            }
        }
    }
}
