package io.devportal.webhook.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ScopeDoesNotExistException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict twin itself: each rule it enforces, against the same request sent to moto directly
 * (which accepts it). It makes its own uniquely named resources and never resets moto.
 */
class StrictAwsTest {
    static ApiGatewayClient moto;
    static ApiGatewayClient twin;
    static CognitoIdentityProviderClient cognitoMoto;
    static CognitoIdentityProviderClient cognitoTwin;

    @BeforeAll
    static void clients() {
        moto = Aws.apiGateway();
        twin = Aws.apiGatewayViaTwin();
        cognitoMoto = Aws.cognito();
        cognitoTwin = Aws.cognitoViaTwin();
    }

    @AfterAll
    static void close() {
        moto.close();
        twin.close();
        cognitoMoto.close();
        cognitoTwin.close();
    }

    @BeforeEach
    @AfterEach
    void defaults() {
        StrictAws.reset();
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String plan(String apiId, String stage) {
        return moto.createUsagePlan(b -> b.name(unique("plan"))
                .apiStages(ApiStage.builder().apiId(apiId).stage(stage).build())).id();
    }

    @ParameterizedTest(name = "answered {0}")
    @ValueSource(ints = {400, 409})
    void aKeyCanBeInOnePlanPerApiStage(int status) {
        StrictAws.configure("stageConflict=" + status);
        String api = unique("api");
        String bronze = plan(api, "prod");
        String gold = plan(api, "prod");
        String otherStage = plan(api, "test");
        String key = moto.createApiKey(b -> b.name(unique("key")).enabled(true)).id();
        twin.createUsagePlanKey(b -> b.usagePlanId(bronze).keyId(key).keyType("API_KEY"));
        ApiGatewayException refused = assertThrows(ApiGatewayException.class,
                () -> twin.createUsagePlanKey(b -> b.usagePlanId(gold).keyId(key).keyType("API_KEY")));
        assertEquals(status, refused.statusCode());
        assertTrue(status == 400 ? refused instanceof BadRequestException : refused instanceof ConflictException,
                refused.getClass().getName());
        twin.createUsagePlanKey(b -> b.usagePlanId(otherStage).keyId(key).keyType("API_KEY"));
        // moto alone accepts the second plan on the stage
        moto.createUsagePlanKey(b -> b.usagePlanId(gold).keyId(key).keyType("API_KEY"));
    }

    @Test
    void createUsagePlanKeyNeedsThePlanAndTheKey() {
        String plan = plan(unique("api"), "prod");
        String key = moto.createApiKey(b -> b.name(unique("key")).enabled(true)).id();
        assertThrows(NotFoundException.class,
                () -> twin.createUsagePlanKey(b -> b.usagePlanId("noplan123").keyId(key).keyType("API_KEY")));
        assertThrows(NotFoundException.class,
                () -> twin.createUsagePlanKey(b -> b.usagePlanId(plan).keyId("nokey123").keyType("API_KEY")));
        // moto alone attaches a key to a plan that does not exist
        moto.createUsagePlanKey(b -> b.usagePlanId("noplan123").keyId(key).keyType("API_KEY"));
    }

    @Test
    void cognitoScopesMustBeDefinedAndAtMostFifty() {
        String pool = cognitoMoto.createUserPool(b -> b.poolName(unique("pool"))).userPool().id();
        List<ResourceServerScopeType> scopes = new ArrayList<>();
        IntStream.rangeClosed(1, 51).forEach(i -> scopes.add(ResourceServerScopeType.builder().scopeName("s" + i)
                .scopeDescription("s").build()));
        cognitoMoto.createResourceServer(b -> b.userPoolId(pool).identifier("rs").name("rs").scopes(scopes));
        List<String> fifty = IntStream.rangeClosed(1, 50).mapToObj(i -> "rs/s" + i).toList();
        List<String> fiftyOne = IntStream.rangeClosed(1, 51).mapToObj(i -> "rs/s" + i).toList();

        cognitoTwin.createUserPoolClient(b -> b.userPoolId(pool).clientName("ok").generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes(fifty));
        assertThrows(ScopeDoesNotExistException.class, () -> cognitoTwin.createUserPoolClient(b -> b.userPoolId(pool)
                .clientName("undefined").generateSecret(true).allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                .allowedOAuthFlowsUserPoolClient(true).allowedOAuthScopes("rs/s1", "nosuch/read")));
        assertThrows(InvalidParameterException.class, () -> cognitoTwin.createUserPoolClient(b -> b.userPoolId(pool)
                .clientName("too many").generateSecret(true).allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                .allowedOAuthFlowsUserPoolClient(true).allowedOAuthScopes(fiftyOne)));
        // moto alone accepts an undefined scope
        cognitoMoto.createUserPoolClient(b -> b.userPoolId(pool).clientName("moto").generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("nosuch/read"));
    }

    @Test
    void updateUserPoolClientResetsEveryFieldItIsNotSent() {
        String pool = cognitoMoto.createUserPool(b -> b.poolName(unique("pool"))).userPool().id();
        cognitoMoto.createResourceServer(b -> b.userPoolId(pool).identifier("rs").name("rs")
                .scopes(ResourceServerScopeType.builder().scopeName("read").scopeDescription("r").build()));
        String viaMoto = configuredClient(pool);
        String viaTwin = configuredClient(pool);
        cognitoMoto.updateUserPoolClient(b -> b.userPoolId(pool).clientId(viaMoto).clientName("renamed"));
        cognitoTwin.updateUserPoolClient(b -> b.userPoolId(pool).clientId(viaTwin).clientName("renamed"));

        UserPoolClientType merged = describe(pool, viaMoto);
        assertEquals(List.of("rs/read"), merged.allowedOAuthScopes(), "moto merges: the scopes stay");
        UserPoolClientType reset = describe(pool, viaTwin);
        assertEquals("renamed", reset.clientName());
        assertEquals(List.of(), reset.allowedOAuthScopes());
        assertEquals(List.of(), reset.allowedOAuthFlows());
        assertEquals(false, reset.allowedOAuthFlowsUserPoolClient());
        assertEquals(60, reset.accessTokenValidity());
    }

    private String configuredClient(String pool) {
        return cognitoMoto.createUserPoolClient(b -> b.userPoolId(pool).clientName("client").generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                .allowedOAuthScopes("rs/read").accessTokenValidity(15)).userPoolClient().clientId();
    }

    private UserPoolClientType describe(String pool, String clientId) {
        return cognitoMoto.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)).userPoolClient();
    }

    @Test
    void createApiKeyIsLimitedToFivePerSecond() throws InterruptedException {
        List<String> made = new ArrayList<>();
        TooManyRequestsException throttled = null;
        for (int i = 0; i < 10 && throttled == null; i++) {
            try {
                made.add(twin.createApiKey(b -> b.name(unique("burst")).enabled(true)).id());
            } catch (TooManyRequestsException e) {
                throttled = e;
            }
        }
        assertTrue(throttled != null, "a sixth create within a second is refused");
        assertEquals(429, throttled.statusCode());
        assertTrue(made.size() >= 5, "five a second are allowed: " + made.size());
        Thread.sleep(1100);
        for (String id : made.subList(0, 5)) {
            twin.deleteApiKey(b -> b.apiKey(id));
        }
        assertThrows(TooManyRequestsException.class, () -> twin.deleteApiKey(b -> b.apiKey(made.get(5 % made.size()))));
    }

    @Test
    void getApiKeysByNameMissesANewKeyForItsFirstMoments() throws InterruptedException {
        StrictAws.configure("consistencyMillis=800");
        String name = unique("young");
        String id = twin.createApiKey(b -> b.name(name).enabled(true)).id();
        assertEquals(List.of(), named(twin, name), "not yet listed by name");
        assertEquals(List.of(id), named(moto, name), "moto lists it at once");
        Thread.sleep(900);
        assertEquals(List.of(id), named(twin, name));
    }

    private static List<String> named(ApiGatewayClient client, String name) {
        return client.getApiKeys(b -> b.nameQuery(name)).items().stream().map(ApiKey::id).toList();
    }
}
