package io.devportal.webhook.api;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.devportal.webhook.api.CreateCredentialsTest.unique;
import static io.devportal.webhook.support.Api.createBody;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@QuarkusTest
class UpdateRevokeTest {

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    private String issueKey(String name) {
        return Api.create(createBody(name, "u@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]},{\"id\":\"api2\",\"usagePlans\":[{\"id\":\"silver\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
    }

    @Test
    void updateConvergesToTheRequestedApisAndRenamesWithoutCredentialType() {
        String name = unique("Converge");
        String keyId = issueKey(name);
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + " v2\",\"developer\":\"u@example.com\","
                        + "\"apis\":[{\"id\":\"api2\",\"usagePlans\":[{\"id\":\"silver\"},{\"id\":\"platinum\"}]}],"
                        + "\"customCredentials\":{\"anything\":\"kept by the portal\"}}")
                .then().statusCode(204).body(emptyString());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(List.of(new ApiAccess("api2", List.of("silver", "platinum"), List.of(), CredentialKind.API_KEY)), record.apis());
        assertEquals(name + " v2", record.appName());
        assertEquals("[\"silver\",\"platinum\"]", db.string("SELECT usage_plans FROM local_credential WHERE id = ?", keyId));
        List<Operation> journal = ledger.operationsOf(record.id());
        assertEquals(List.of(Operation.Kind.CREATE, Operation.Kind.UPDATE), journal.stream().map(Operation::kind).toList());
        assertEquals(List.of(Operation.Status.DONE, Operation.Status.DONE), journal.stream().map(Operation::status).toList());
    }

    @Test
    void updateOfAnUnknownCredentialIs404() {
        Api.update("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"lknotthere\",\"apis\":[]}").then().statusCode(404)
                .body("message", equalTo("apiKeyId: no active credential lknotthere"))
                .body("code", equalTo("not_found"));
        Api.update("{\"clientId\":\"nope\"}").then().statusCode(404)
                .body("message", equalTo("clientId: no active credential nope"));
    }

    @Test
    void revokeDisablesForGoodAndIsIdempotent() {
        String keyId = issueKey(unique("Revoke"));
        String revoke = "{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"" + keyId + "\",\"customCredentials\":{}}";
        Api.revoke(revoke).then().statusCode(204).body(emptyString());
        Api.revoke(revoke).then().statusCode(204).body(emptyString());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        assertEquals(CredentialRecord.Status.REVOKED, record.status());
        assertNotNull(record.revokedAt());
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[]}").then().statusCode(404);
    }

    @Test
    void revokeOfSomethingNeverIssuedIs204() {
        Api.revoke("{\"apiKeyId\":\"never-issued\"}").then().statusCode(204);
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"never-issued\"}").then().statusCode(204);
    }

    @Test
    void revokingAHybridClientRevokesItsApiKeyToo() {
        var body = Api.create(createBody(unique("Hybrid revoke"), "h@example.com",
                "[{\"id\":\"cc-api\"},{\"id\":\"keyed\",\"usagePlans\":[{\"id\":\"gold\"}]}]")).then().statusCode(200)
                .extract().jsonPath();
        String clientId = body.getString("clientId");
        String keyId = body.getString("customCredentials.apiKeyId");
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", clientId).toUpperCase());
        assertEquals("FALSE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase());
    }
}
