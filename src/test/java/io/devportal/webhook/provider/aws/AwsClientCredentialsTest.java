package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UpdateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cognito client credentials (and the hybrid key) against moto, AWS state read back after every step. */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsClientCredentialsTest {
    static final CognitoIdentityProviderClient COGNITO = Aws.cognito();
    static final ApiGatewayClient APIGW = Aws.apiGateway();
    static final String TOKEN_URL = "https://webhook-test.auth.us-east-1.amazoncognito.com/oauth2/token";

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    FaultInjector faults;

    @BeforeEach
    void clearFaults() {
        faults.reset();
    }

    @AfterAll
    static void close() {
        COGNITO.close();
        APIGW.close();
    }

    UserPoolClientType client(String clientId) {
        return COGNITO.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient();
    }

    /** Every client of the pool, all pages (the pool is shared with the other classes of its boot). */
    List<UserPoolClientDescription> clients() {
        return COGNITO.listUserPoolClientsPaginator(b -> b.userPoolId(pool).maxResults(60)).userPoolClients()
                .stream().toList();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void createIssuesAClientCredentialsClientWithTheResourceServersScopes() {
        JsonPath r = Api.create(Api.createBody(unique("Partner"), "p@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("CLIENT_CREDENTIALS", r.getString("credentialType"));
        assertEquals(Map.of("tokenUrl", TOKEN_URL, "grantType", "client_credentials",
                "scopes", "orders/read orders/write"), r.getMap("customCredentials"));
        UserPoolClientType client = client(r.getString("clientId"));
        assertEquals(r.getString("clientSecret"), client.clientSecret());
        assertEquals(List.of(OAuthFlowType.CLIENT_CREDENTIALS), client.allowedOAuthFlows());
        assertTrue(client.allowedOAuthFlowsUserPoolClient());
        assertEquals(List.of("orders/read", "orders/write"), client.allowedOAuthScopes());
        assertEquals(60, client.accessTokenValidity());
        assertTrue(client.clientName().matches("[\\w\\s+=,.@-]{1,128}"), client.clientName());
    }

    @Test
    void aRetryReturnsTheSameClientAndSecret() {
        String body = Api.createBody(unique("Retry client"), "r@example.com", "[{\"id\":\"orders\"}]");
        JsonPath first = Api.create(body).then().statusCode(200).extract().jsonPath();
        JsonPath again = Api.create(body).then().statusCode(200).extract().jsonPath();
        assertEquals(first.getString("clientId"), again.getString("clientId"));
        assertEquals(first.getString("clientSecret"), again.getString("clientSecret"));
        assertEquals(1, faults.calls("CreateUserPoolClient"));
    }

    @Test
    void clientNamesAreSanitisedShortenedAndUniquePerApp() {
        String hostile = ("Café ☕ Orders/Ω <script>" + "x".repeat(300)).substring(0, 256);
        JsonPath a = Api.create(Api.createBody(hostile, "a@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().jsonPath();
        JsonPath b = Api.create(Api.createBody(hostile, "b@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().jsonPath();
        String nameA = client(a.getString("clientId")).clientName();
        String nameB = client(b.getString("clientId")).clientName();
        assertTrue(nameA.matches("[\\w\\s+=,.@-]{1,128}"), nameA);
        assertTrue(nameA.startsWith("Cafe _ Orders__ _script_xxx"), nameA);
        assertTrue(!nameA.equals(nameB), "two apps of the same name get distinct client names");
    }

    @Test
    void anApiWithNoScopesIs422SayingWhatToConfigureAndLeavesNoClient() {
        int before = clients().size();
        Api.create(Api.createBody(unique("No scopes"), "n@example.com", "[{\"id\":\"noscope-api\"}]"))
                .then().statusCode(422)
                .body("message", equalTo("apis: API noscope-api has no OAuth scopes: set webhook.apis.\"noscope-api\""
                        + ".scopes, or create a resource server with identifier noscope-api and scopes in user pool "
                        + pool));
        assertEquals(before, clients().size());
    }

    @Test
    void hybridIssuesAClientAndAKeyOnThePlansAndRevokeRemovesBoth() {
        JsonPath r = Api.create(Api.createBody(unique("Hybrid"), "h@example.com",
                        "[{\"id\":\"orders\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        String keyId = r.getString("customCredentials.apiKeyId");
        assertEquals(r.getString("customCredentials.apiKey"),
                APIGW.getApiKey(b -> b.apiKey(keyId).includeValue(true)).value());
        assertEquals(List.of(plans.get(0)), APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream()
                .map(p -> p.id()).toList());
        assertEquals(List.of("orders/read", "orders/write"), client(clientId).allowedOAuthScopes());

        Api.update("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":"
                + "\"orders\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"" + plans.get(1) + "\"}]}]}")
                .then().statusCode(204);
        assertEquals(List.of(plans.get(1)), APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream()
                .map(p -> p.id()).toList());

        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
        assertThrows(ResourceNotFoundException.class, () -> client(clientId));
        assertThrows(software.amazon.awssdk.services.apigateway.model.NotFoundException.class,
                () -> APIGW.getApiKey(b -> b.apiKey(keyId)));
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
    }

    @Test
    void aRefusedUpdateOfAHybridLeavesTheClientsScopesAsTheyWere() {
        JsonPath r = Api.create(Api.createBody(unique("Hybrid refused"), "h@example.com",
                        "[{\"id\":\"orders\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        String keyId = r.getString("customCredentials.apiKeyId");
        // a new client API (more scopes) and a usage plan that does not exist
        Api.update("{\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":\"orders\"},{\"id\":\"cc-api\"},"
                        + "{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\"no-such-plan\"}]}]}")
                .then().statusCode(422);
        assertEquals(List.of("orders/read", "orders/write"), client(clientId).allowedOAuthScopes());
        assertEquals(List.of(plans.get(0)), APIGW.getUsagePlans(b -> b.keyId(keyId)).items().stream()
                .map(p -> p.id()).toList());
    }

    @Test
    void updateConvergesScopesAndSendsTheWholeClientConfigurationBack() {
        String clientId = Api.create(Api.createBody(unique("Scopes"), "s@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().path("clientId");
        // settings an operator made by hand, which UpdateUserPoolClient would reset if they were omitted
        UserPoolClientType before = client(clientId);
        COGNITO.updateUserPoolClient(b -> b.userPoolId(pool).clientId(clientId).clientName(before.clientName())
                .allowedOAuthFlows(before.allowedOAuthFlows()).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes(before.allowedOAuthScopes()).accessTokenValidity(60)
                .tokenValidityUnits(before.tokenValidityUnits())
                .refreshTokenValidity(7).idTokenValidity(30)
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
                .readAttributes("email").enableTokenRevocation(true).authSessionValidity(10));
        faults.reset();

        Api.update("{\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":\"cc-api\"}]}").then().statusCode(204);

        assertEquals(List.of("cc-api/read", "cc-api/write"), client(clientId).allowedOAuthScopes());
        UpdateUserPoolClientRequest sent = (UpdateUserPoolClientRequest) faults.requests("UpdateUserPoolClient").get(0);
        assertEquals(7, sent.refreshTokenValidity());
        assertEquals(30, sent.idTokenValidity());
        assertEquals(List.of(ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH), sent.explicitAuthFlows());
        assertEquals(List.of("email"), sent.readAttributes());
        assertEquals(10, sent.authSessionValidity());
        assertEquals(true, sent.enableTokenRevocation());
        assertEquals(before.clientName(), sent.clientName());
        assertEquals(List.of(OAuthFlowType.CLIENT_CREDENTIALS), sent.allowedOAuthFlows());
        assertEquals(List.of("cc-api/read", "cc-api/write"), sent.allowedOAuthScopes());
    }

    @Test
    void updateOfAClientDeletedInAwsIs404AndRevokeIs204() {
        String clientId = Api.create(Api.createBody(unique("Deleted"), "d@example.com", "[{\"id\":\"orders\"}]"))
                .then().statusCode(200).extract().path("clientId");
        COGNITO.deleteUserPoolClient(b -> b.userPoolId(pool).clientId(clientId));
        Api.update("{\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":\"orders\"}]}").then().statusCode(404)
                .body("message", equalTo("app client " + clientId + " does not exist"));
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);
    }
}
