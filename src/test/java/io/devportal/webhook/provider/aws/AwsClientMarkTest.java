package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No deletion without proof, with webhook.aws.client-mark-key set: the webhook's clients carry a
 * keyed mark; a revoke of a clientId the ledger does not know, or reconcile --delete-orphans,
 * deletes a client only when its mark verifies. A hand-made client in the marked shape, or one
 * marked under another key, answers as an unknown credential does (204, nothing done) and stays.
 */
@QuarkusTest
@TestProfile(AwsClientMarkTest.Marked.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsClientMarkTest {
    static final String KEY = "test-mark-key-0123456789abcdef0123456789";

    public static class Marked implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.aws.client-mark-key", KEY);
        }
    }

    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    Db db;

    @Inject
    Reconciler reconciler;

    @AfterAll
    static void close() {
        COGNITO.close();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A client made by hand in the webhook's shape, under this name. */
    private String handMade(String name) {
        return COGNITO.createUserPoolClient(b -> b.userPoolId(pool).clientName(name).generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("orders/read")).userPoolClient().clientId();
    }

    /** A client the webhook made, then forgotten by the ledger (its rows deleted, as after a restored backup). */
    private String forgottenClient(String appName) {
        String clientId = Api.create(Api.createBody(appName, "m@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().path("clientId");
        String credentialId = db.string("SELECT id FROM credential WHERE client_id = ?", clientId);
        db.update("DELETE FROM operation WHERE credential_id = ?", credentialId);
        db.update("DELETE FROM credential WHERE id = ?", credentialId);
        return clientId;
    }

    private boolean exists(String clientId) {
        try {
            COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private String nameOf(String clientId) {
        return COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient().clientName();
    }

    /** A name in the marked shape whose mark was made under another key (or guessed). */
    private static String forgedName(String appName) {
        ClientMarks other = ClientMarksTest.marks(ClientMarksTest.OTHER_KEY);
        return other.name(appName, "app:" + appName, UUID.randomUUID().toString());
    }

    @Test
    void theWebhooksClientsCarryAMarkThatVerifies() {
        String clientId = Api.create(Api.createBody(unique("Marked"), "m@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().path("clientId");
        String name = nameOf(clientId);
        assertTrue(ClientMarks.MARKED.matcher(name).find(), name);
        assertTrue(ClientMarksTest.marks(KEY).proves(name), name);
    }

    @Test
    void aRevokeOfAForgottenClientWhoseMarkVerifiesDeletesIt() {
        String clientId = forgottenClient(unique("Forgotten"));
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}")
                .then().statusCode(204);
        assertFalse(exists(clientId));
    }

    @Test
    void aRevokeOfAHandMadeClientWithAMarkThatDoesNotVerifyAnswersAsForAnUnknownIdAndDeletesNothing() {
        String forged = handMade(forgedName(unique("Forged")));
        String before = db.string("SELECT COUNT(*) FROM credential");
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + forged + "\"}")
                .then().statusCode(204);
        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"nosuchclient0000000000000\"}")
                .then().statusCode(204);
        assertTrue(exists(forged), "never deleted");
        assertEquals(before, db.string("SELECT COUNT(*) FROM credential"), "nothing recorded");
    }

    @Test
    void reconcileDeleteOrphansDeletesOnlyTheClientWhoseMarkVerifies() {
        String ours = forgottenClient(unique("Orphan"));
        String forged = handMade(forgedName(unique("Forged orphan")));

        var report = reconciler.reconcile(false, Reconciler.Orphans.DELETE);

        Map<String, String> actions = new HashMap<>();
        report.findings().forEach(f -> actions.put(f.resourceId(), f.action()));
        assertEquals("done", actions.get(ours), report.toString());
        assertFalse(actions.containsKey(forged), "not even reported: nothing proves it is the webhook's");
        assertFalse(exists(ours));
        assertTrue(exists(forged));
    }
}
