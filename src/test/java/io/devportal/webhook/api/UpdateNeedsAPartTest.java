package io.devportal.webhook.api;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.devportal.webhook.api.CreateCredentialsTest.unique;
import static io.devportal.webhook.support.Api.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An update whose APIs need a part the credential lacks (the type is fixed at create) is a 422
 * naming the APIs and the missing part, and changes nothing; one that needs a subset of its parts
 * is a 204. In the test profile, {@code cc-api} needs client credentials, {@code api1} and
 * {@code keyed} an API key (the default type).
 */
@QuarkusTest
class UpdateNeedsAPartTest {

    @Inject
    Ledger ledger;

    private static String update(String idField, String id, String apis) {
        return "{\"" + idField + "\":\"" + id + "\",\"appName\":\"Renamed\",\"developer\":\"p@example.com\",\"apis\":"
                + apis + "}";
    }

    private CredentialRecord unchanged(CredentialKind kind, String id, CredentialRecord before) {
        CredentialRecord after = ledger.findByExternalId(kind, id).orElseThrow();
        assertEquals(before.apis(), after.apis(), "the APIs are as they were");
        assertEquals(before.appName(), after.appName(), "the name is as it was");
        assertEquals(ledger.operationsOf(before.id()).size(), 1, "no operation was begun: " + ledger.operationsOf(before.id()));
        return after;
    }

    @Test
    void aClientCredentialsApiOnAnApiKeyIs422NamingTheApiAndTheMissingClient() {
        String keyId = Api.create(createBody(unique("Part key"), "p@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]")).then().statusCode(200)
                .extract().path("apiKeyId");
        CredentialRecord before = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();

        Api.update(update("apiKeyId", keyId, "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]},{\"id\":\"cc-api\"}]"))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis: cc-api needs an OAuth client (client credentials), which this "
                        + "credential lacks (it is an API key without an OAuth client); the credential type is fixed "
                        + "when it is created: revoke it and create it again with these APIs"));
        unchanged(CredentialKind.API_KEY, keyId, before);
    }

    @Test
    void anApiKeyApiOnAClientWithoutAKeyIs422NamingTheApiAndTheMissingKey() {
        String clientId = Api.create(createBody(unique("Part client"), "p@example.com", "[{\"id\":\"cc-api\"}]"))
                .then().statusCode(200).extract().path("clientId");
        CredentialRecord before = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow();

        Api.update(update("clientId", clientId, "[{\"id\":\"cc-api\"},{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]},"
                        + "{\"id\":\"keyed\",\"usagePlans\":[{\"id\":\"silver\"}]}]"))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis: api1, keyed need an API key, which this credential lacks (it is an "
                        + "OAuth client without an API key); the credential type is fixed when it is created: revoke "
                        + "it and create it again with these APIs"));
        unchanged(CredentialKind.CLIENT_CREDENTIALS, clientId, before);
    }

    @Test
    void anUpdateNeedingOnePartOfAHybridIs204() {
        var body = Api.create(createBody(unique("Part hybrid"), "p@example.com",
                "[{\"id\":\"cc-api\"},{\"id\":\"keyed\",\"usagePlans\":[{\"id\":\"gold\"}]}]")).then().statusCode(200)
                .extract().jsonPath();
        String clientId = body.getString("clientId");
        Api.update(update("clientId", clientId, "[{\"id\":\"cc-api\"}]")).then().statusCode(204);
        assertEquals("cc-api", ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow()
                .apis().get(0).apiId());
    }
}
