package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AuthTest {

    @Test
    void missingCredentialsAre401WithAChallengeAndJson() {
        Api.anonymous().get("/v1/health").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"devportal-webhook\", charset=\"UTF-8\"")
                .contentType("application/json")
                .body("message", equalTo("authentication required: send Authorization: Basic"))
                .body("code", equalTo("unauthorized"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Basic cG9ydGFsOndyb25n|invalid username or password",
        "Basic c29tZW9uZTp0ZXN0LXBhc3N3b3JkLTE=|invalid username or password",
        "Basic !!!not-base64!!!|Authorization: Basic credentials are not valid base64",
        "Basic bm9jb2xvbg==|Authorization: Basic credentials must be username:password",
        "Bearer eyJhbGciOiJIUzI1NiJ9|Authorization must use the Basic scheme",
        "Basic|Authorization must use the Basic scheme",
        "garbage|Authorization must use the Basic scheme"})
    void wrongOrGarbledCredentialsAre401(String header, String message) {
        for (String path : new String[] {"/v1/health", "/v1/createCredentials"}) {
            var request = Api.anonymous().header("Authorization", header);
            var response = path.endsWith("health") ? request.get(path) : request.body("{}").post(path);
            response.then().statusCode(401)
                    .header("WWW-Authenticate", "Basic realm=\"devportal-webhook\", charset=\"UTF-8\"")
                    .body("message", equalTo(message));
        }
    }

    @Test
    void thePlaintextAccountAndTheRotatedBcryptAccountBothWork() {
        Api.anonymous().auth().preemptive().basic(Api.USER, Api.PASSWORD).get("/v1/health")
                .then().statusCode(204).body(emptyString());
        Api.anonymous().auth().preemptive().basic(Api.USER, Api.ROTATED_PASSWORD).get("/v1/health")
                .then().statusCode(204).body(emptyString());
        // the verified bcrypt password is remembered; a second call works the same
        Api.anonymous().auth().preemptive().basic(Api.USER, Api.ROTATED_PASSWORD).get("/v1/health")
                .then().statusCode(204);
    }

    @Test
    void unknownPathsUnderV1AreAuthenticatedBeforeTheyAre404() {
        Api.anonymous().get("/v1/secret-admin").then().statusCode(401);
        Api.portal().get("/v1/secret-admin").then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void pathTricksDoNotBypassAuthentication() {
        for (String path : new String[] {"//v1/health", "/v1/../v1/health", "/v1/./health", "/V1/health",
                "/v1/health/", "/v1%2Fhealth", "/"}) {
            Api.anonymous().get(path).then().statusCode(401);
        }
    }

    @Test
    void orchestratorProbesNeedNoCredentials() {
        io.devportal.webhook.support.Management.given().get("/q/health/live").then().statusCode(200);
        io.devportal.webhook.support.Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
