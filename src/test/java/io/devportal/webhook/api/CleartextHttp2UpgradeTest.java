package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that asks for a cleartext HTTP/2 upgrade (Java's own HttpClient does by default) gets
 * its create answered over HTTP/1.1, never a 500 from a body read twice.
 */
@QuarkusTest
class CleartextHttp2UpgradeTest {

    @Test
    void aCreateSentWithAnH2cUpgradeIsAnsweredOverHttp11() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String body = Api.createBody("H2c " + UUID.randomUUID().toString().substring(0, 8), "h2c@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/v1/createCredentials"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (Api.USER + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertTrue(r.body().startsWith("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\""), r.body());
    }
}
