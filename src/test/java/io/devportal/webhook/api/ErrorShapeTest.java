package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The framework's own errors wear the same JSON as ours: message, code and the request id of the log line. */
@QuarkusTest
class ErrorShapeTest {

    private static void assertErrorBody(Response r, int status, String code, String message) {
        assertEquals(status, r.statusCode());
        assertEquals("application/json", r.contentType().split(";")[0]);
        Map<String, Object> body = r.jsonPath().getMap("$");
        assertEquals(Set.of("message", "code", "requestId"), body.keySet());
        assertEquals(code, body.get("code"));
        assertEquals(message, body.get("message"));
        assertEquals(r.header("X-Request-Id"), body.get("requestId"));
        assertFalse(r.asString().contains("Exception"), r.asString());
        assertFalse(r.asString().contains("<html"), r.asString());
    }

    @Test
    void unknownPathIs404Json() {
        assertErrorBody(Api.portal().get("/v1/nothing-here"), 404, "not_found",
                "no endpoint here: the webhook serves POST /v1/createCredentials, /v1/updateCredentials, "
                        + "/v1/revokeCredentials and GET /v1/health");
        assertErrorBody(Api.portal().get("/favicon.ico"), 404, "not_found",
                "no endpoint here: the webhook serves POST /v1/createCredentials, /v1/updateCredentials, "
                        + "/v1/revokeCredentials and GET /v1/health");
    }

    @Test
    void wrongMethodIs405JsonWithAllow() {
        Response r = Api.portal().get("/v1/createCredentials");
        assertErrorBody(r, 405, "method_not_allowed", "this method is not allowed here; use POST");
        assertEquals("POST", r.header("Allow"));
        Response health = Api.portal().delete("/v1/health");
        assertErrorBody(health, 405, "method_not_allowed", "this method is not allowed here; use GET");
    }

    @Test
    void unsupportedMediaTypeIs415Json() {
        assertErrorBody(Api.portal().contentType("text/plain").body("hello").post("/v1/revokeCredentials"), 415,
                "unsupported_media_type", "Content-Type must be application/json");
    }

    @Test
    void unauthenticatedIs401Json() {
        assertErrorBody(Api.anonymous().post("/v1/revokeCredentials"), 401, "unauthorized",
                "authentication required: send Authorization: Basic");
    }

    @Test
    void successResponsesCarryTheRequestIdHeaderToo() {
        Api.portal().get("/v1/health").then().statusCode(204).header("X-Request-Id",
                org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void theContractIsServedAtQOpenapi() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/createCredentials'.post.operationId", equalTo("createCredentials"))
                .body("paths.'/v1/health'.get.responses.'204'.description", equalTo("Available."));
    }
}
