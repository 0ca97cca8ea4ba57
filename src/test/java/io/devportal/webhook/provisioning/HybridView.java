package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Aws;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AwsOverlap tests' own view of a hybrid's client (moto directly, not through the twin or the
 * webhook), and its invariant at rest: the client in AWS is as the ledger records it.
 */
final class HybridView {
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();

    private HybridView() {
    }

    /** A create body's apis for a hybrid: a client for {@code orders}, a key on {@code plan} of api1. */
    static String hybridApis(String plan) {
        return AwsOverlapInvariants.apis("{\"id\":\"orders\"}", AwsOverlapInvariants.api(
                io.devportal.webhook.support.MotoResource.API, plan));
    }

    /** The same hybrid asking for other scopes ({@code cc-api}'s) and another plan. */
    static String otherHybridApis(String plan) {
        return AwsOverlapInvariants.apis("{\"id\":\"cc-api\"}", AwsOverlapInvariants.api(
                io.devportal.webhook.support.MotoResource.API, plan));
    }

    static String updateBody(String clientId, String name, String apisJson) {
        return "{\"clientId\":\"" + clientId + "\",\"appName\":\"" + name + "\",\"developer\":\""
                + AwsOverlapInvariants.DEVELOPER + "\",\"apis\":" + apisJson + "}";
    }

    static UserPoolClientType client(String pool, String clientId) {
        return COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient();
    }

    /** The client's name, scopes and access-token validity, to compare before and after. */
    static List<Object> state(String pool, String clientId) {
        UserPoolClientType c = client(pool, clientId);
        return List.of(c.clientName(), new TreeSet<>(c.allowedOAuthScopes()), String.valueOf(c.accessTokenValidity()),
                String.valueOf(c.tokenValidityUnits()));
    }

    /** The client in AWS is the ledger's: its name starts with the ledger's app name, its scopes are the ledger's. */
    static void assertClientAsLedger(Ledger ledger, String pool, String clientId) {
        CredentialRecord r = ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, clientId).orElseThrow();
        UserPoolClientType c = client(pool, clientId);
        assertTrue(c.clientName().startsWith(r.appName() + " "), "the client's name is the ledger's app name: "
                + c.clientName() + " vs " + r.appName());
        assertEquals(new TreeSet<>(r.scopes()), new TreeSet<>(c.allowedOAuthScopes()), "the client's scopes are the "
                + "ledger's");
    }
}
