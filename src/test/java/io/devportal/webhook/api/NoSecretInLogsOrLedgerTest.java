package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class NoSecretInLogsOrLedgerTest {

    @Inject
    Db db;

    @Test
    void eachRequestLogsOneStructuredLineWithTheRequestIdOfItsAnswer() {
        LogCapture log = LogCapture.install();
        log.clear();
        String name = "Logged \"app\" " + UUID.randomUUID().toString().substring(0, 6);
        var r = Api.create(createBody(name, "l@example.com", "[{\"id\":\"a\"}]"));
        r.then().statusCode(200);
        String id = r.header("X-Request-Id");
        var bad = Api.create("{}");
        String badId = bad.header("X-Request-Id");
        assertTrue(java.util.regex.Pattern.compile("request method=POST path=/v1/createCredentials status=200 "
                + "durationMs=\\d+ requestId=" + id + " app=\"app:" + name.replace("\"", "\\\\\"")
                .replace("(", "\\(") + " l@example.com\"\n").matcher(log.text()).find(), log.text());
        assertTrue(log.text().contains("status=400 durationMs="), log.text());
        assertTrue(log.text().contains("requestId=" + badId + " app=\"-\""), log.text());
        assertEquals(1, log.text().split("requestId=" + id, -1).length - 1, "one line per request");
    }

    @Test
    void issuedSecretsAndPasswordsAppearInNoLogLineAndNoTable() {
        LogCapture log = LogCapture.install();
        log.clear();
        List<String> secrets = new ArrayList<>(List.of(Api.PASSWORD, Api.ROTATED_PASSWORD, "wrong-password-xyz"));
        String suffix = UUID.randomUUID().toString().substring(0, 6);

        JsonPath key = Api.create(createBody("Key app " + suffix, "k@example.com", "[{\"id\":\"a\"}]"))
                .then().statusCode(200).extract().jsonPath();
        secrets.add(key.getString("apiKey"));
        JsonPath hybrid = Api.create(createBody("Hybrid app " + suffix, "h@example.com",
                "[{\"id\":\"cc-api\"},{\"id\":\"b\",\"usagePlans\":[{\"id\":\"p\"}]}]")).then().statusCode(200)
                .extract().jsonPath();
        secrets.add(hybrid.getString("clientSecret"));
        secrets.add(hybrid.getString("customCredentials.apiKey"));
        // a retry returns the secrets again; a wrong password and the rotated one are tried
        Api.create(createBody("Key app " + suffix, "k@example.com", "[{\"id\":\"a\"}]")).then().statusCode(200);
        Api.anonymous().auth().preemptive().basic(Api.USER, "wrong-password-xyz").get("/v1/health").then().statusCode(401);
        Api.anonymous().auth().preemptive().basic(Api.USER, Api.ROTATED_PASSWORD).get("/v1/health").then().statusCode(204);
        Api.update("{\"apiKeyId\":\"" + key.getString("apiKeyId") + "\",\"apis\":[{\"id\":\"c\"}]}").then().statusCode(204);
        Api.revoke("{\"clientId\":\"" + hybrid.getString("clientId") + "\"}").then().statusCode(204);

        String logs = log.text();
        assertTrue(logs.contains("request method=POST path=/v1/createCredentials status=200"), "the capture works");
        String tables = db.dump("credential") + db.dump("operation") + db.dump("local_credential");
        assertTrue(tables.contains(key.getString("apiKeyId")), "the dump works");
        for (String secret : secrets) {
            assertFalse(logs.contains(secret), "a secret is in the log");
            assertFalse(tables.contains(secret), "a secret is in the database in plaintext");
        }
    }
}
