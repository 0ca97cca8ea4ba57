package io.devportal.webhook.support;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** RestAssured calls as the portal makes them, each response checked against the OpenAPI contract. */
public final class Api {
    public static final String USER = "portal";
    public static final String PASSWORD = "test-password-1";
    public static final String ROTATED_PASSWORD = "rotated-password-2";

    private Api() {
    }

    public static RequestSpecification portal() {
        return RestAssured.given().auth().preemptive().basic(USER, PASSWORD)
                .contentType("application/json").accept("application/json")
                .filter(OpenApiContract.FILTER);
    }

    public static RequestSpecification anonymous() {
        return RestAssured.given().filter(OpenApiContract.FILTER);
    }

    public static Response create(String body) {
        return portal().body(body).post("/v1/createCredentials");
    }

    public static Response update(String body) {
        return portal().body(body).post("/v1/updateCredentials");
    }

    public static Response revoke(String body) {
        return portal().body(body).post("/v1/revokeCredentials");
    }

    /** The answer of a raw call. */
    public record Raw(int status, java.net.http.HttpHeaders headers, String body) {
    }

    /**
     * A POST with exactly these bytes and headers (name, value, ...), nothing added: no
     * Content-Type unless given. Authenticated as the portal.
     */
    public static Raw rawPost(String path, byte[] body, String... headers) {
        return send(path, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    /** The same, sent chunked (no Content-Length). */
    public static Raw rawPostChunked(String path, byte[] body, String... headers) {
        return send(path, java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    private static Raw send(String path, java.net.http.HttpRequest.BodyPublisher publisher, String... headers) {
        try {
            var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://localhost:" + RestAssured.port + path))
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            (USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .POST(publisher);
            for (int i = 0; i + 1 < headers.length; i += 2) {
                builder.header(headers[i], headers[i + 1]);
            }
            var response = java.net.http.HttpClient.newHttpClient().send(builder.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            java.util.List<String> problems = OpenApiContract.check("POST", path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
            if (!problems.isEmpty()) {
                throw new AssertionError("response breaks the OpenAPI contract: " + problems);
            }
            return new Raw(response.statusCode(), response.headers(), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A create body: apis is raw JSON. */
    public static String createBody(String appName, String developer, String apisJson) {
        return "{\"appName\":" + quote(appName) + ",\"developer\":" + quote(developer) + ",\"apis\":" + apisJson + "}";
    }

    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
