package io.devportal.webhook.support;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract checker itself must be able to fail, or every test using it proves nothing. */
class OpenApiContractTest {

    @Test
    void aConformingCreateResponsePasses() {
        assertEquals(List.of(), OpenApiContract.check("POST", "/v1/createCredentials", 200, "application/json",
                "{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"k\",\"apiKey\":\"v\"}"));
    }

    @Test
    void nullsExtraFieldsAndWrongTypesAreCaught() {
        assertEquals(List.of("body.clientId is null: absent fields must be omitted"),
                OpenApiContract.check("POST", "/v1/createCredentials", 200, "application/json",
                        "{\"credentialType\":\"API_KEY\",\"clientId\":null}"));
        assertEquals(List.of("body.stackTrace is not in the contract"),
                OpenApiContract.check("POST", "/v1/createCredentials", 500, "application/json",
                        "{\"message\":\"m\",\"code\":\"c\",\"requestId\":\"r\",\"stackTrace\":\"at x\"}"));
        assertEquals(List.of("body is not one of [\"API_KEY\",\"CLIENT_CREDENTIALS\"]".replace("body", "body.credentialType")),
                OpenApiContract.check("POST", "/v1/createCredentials", 200, "application/json",
                        "{\"credentialType\":\"TOKEN\"}"));
    }

    @Test
    void undeclaredStatusesAndBodiesOn204AreCaught() {
        assertEquals(List.of("status 201 is not in the contract of POST /v1/createCredentials"),
                OpenApiContract.check("POST", "/v1/createCredentials", 201, "application/json", "{}"));
        assertEquals(List.of("status 204 must have an empty body"),
                OpenApiContract.check("POST", "/v1/revokeCredentials", 204, null, "{}"));
    }

    @Test
    void errorsOutsideTheContractMustStillBeErrorBodies() {
        assertEquals(List.of("body is not JSON"),
                OpenApiContract.check("GET", "/nowhere", 404, "text/html", "<html>Not found</html>"));
        assertEquals(List.of("body.code is required", "body.requestId is required"),
                OpenApiContract.check("GET", "/nowhere", 404, "application/json", "{\"message\":\"x\"}"));
    }
}
