package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
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

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict twin itself: each rule it enforces, against the same request sent to moto directly
 * (which accepts it); and that each rule holds per target, i.e. per account and Region of the
 * request (another account is reached by an assumed role, as {@link Aws#apiGateway(String, String)}
 * does). It makes its own uniquely named resources and never resets moto.
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

    // ---- per target: account and Region of the request ----

    static final String OTHER_ACCOUNT = "111122223333";

    @Test
    void anAttachmentIsCheckedInTheCallersAccountAndRegion() {
        try (ApiGatewayClient partner = Aws.apiGateway(OTHER_ACCOUNT, "sa-east-1");
             ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1");
             ApiGatewayClient defaultInSaEast = Aws.apiGatewayViaTwin(Aws.DEFAULT_ACCOUNT, "sa-east-1")) {
            String api = unique("api");
            String bronze = partner.createUsagePlan(b -> b.name(unique("plan"))
                    .apiStages(ApiStage.builder().apiId(api).stage("prod").build())).id();
            String gold = partner.createUsagePlan(b -> b.name(unique("plan"))
                    .apiStages(ApiStage.builder().apiId(api).stage("prod").build())).id();
            String key = partner.createApiKey(b -> b.name(unique("key")).enabled(true)).id();
            // the plan and the key exist in the caller's account: looked up there, not in the default one
            partnerTwin.createUsagePlanKey(b -> b.usagePlanId(bronze).keyId(key).keyType("API_KEY"));
            // the one-plan-per-stage rule sees the key's plans in that account
            assertThrows(BadRequestException.class,
                    () -> partnerTwin.createUsagePlanKey(b -> b.usagePlanId(gold).keyId(key).keyType("API_KEY")));
            // the same ids do not exist for the default account, even in the same Region
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> defaultInSaEast.createUsagePlanKey(b -> b.usagePlanId(gold).keyId(key).keyType("API_KEY")));
            assertEquals("Invalid Usage Plan ID specified", missing.awsErrorDetails().errorMessage());
            // nor for the partner account in another Region
            try (ApiGatewayClient partnerInUsEast = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "us-east-1")) {
                assertThrows(NotFoundException.class, () -> partnerInUsEast.createUsagePlanKey(
                        b -> b.usagePlanId(gold).keyId(key).keyType("API_KEY")));
            }
        }
    }

    @Test
    void scopesAreLookedUpInTheCallersPool() {
        try (CognitoIdentityProviderClient partner = Aws.cognito(OTHER_ACCOUNT, "sa-east-1");
             CognitoIdentityProviderClient partnerTwin = Aws.cognitoViaTwin(OTHER_ACCOUNT, "sa-east-1")) {
            String pool = partner.createUserPool(b -> b.poolName(unique("pool"))).userPool().id();
            partner.createResourceServer(b -> b.userPoolId(pool).identifier("rs").name("rs")
                    .scopes(ResourceServerScopeType.builder().scopeName("read").scopeDescription("r").build()));
            partnerTwin.createUserPoolClient(b -> b.userPoolId(pool).clientName("ok").generateSecret(true)
                    .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true)
                    .allowedOAuthScopes("rs/read"));
            ScopeDoesNotExistException undefined = assertThrows(ScopeDoesNotExistException.class,
                    () -> partnerTwin.createUserPoolClient(b -> b.userPoolId(pool).clientName("undefined")
                            .generateSecret(true).allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                            .allowedOAuthFlowsUserPoolClient(true).allowedOAuthScopes("rs/write")));
            assertEquals("Invalid scope requested: rs/write", undefined.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void keyWritesAreLimitedPerAccountAndRegion() {
        try (ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1");
             ApiGatewayClient westTwin = Aws.apiGatewayViaTwin(Aws.DEFAULT_ACCOUNT, "us-west-2")) {
            // interleaved, so that one limit for all would refuse the sixth create of the fifteen
            for (int i = 0; i < 5; i++) {
                twin.createApiKey(b -> b.name(unique("burst")).enabled(true));
                partnerTwin.createApiKey(b -> b.name(unique("burst")).enabled(true));
                westTwin.createApiKey(b -> b.name(unique("burst")).enabled(true));
            }
            for (ApiGatewayClient client : List.of(twin, partnerTwin, westTwin)) {
                TooManyRequestsException throttled = assertThrows(TooManyRequestsException.class,
                        () -> client.createApiKey(b -> b.name(unique("burst")).enabled(true)));
                assertEquals(429, throttled.statusCode());
            }
        }
    }

    @Test
    void withAwsLimitsEveryApiGatewayCallDrawsFromOneBucketOfBurstFortyPerAccountAndRegion() {
        try (ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1")) {
            StrictAws.configure("awsLimits=true&limit=apigateway:0.001:40");
            for (int i = 0; i < 40; i++) {
                if (i % 2 == 0) {
                    twin.getApiKeys(b -> b.limit(1));
                } else {
                    twin.getUsagePlans(b -> b.limit(1));
                }
            }
            TooManyRequestsException throttled = assertThrows(TooManyRequestsException.class,
                    () -> twin.getUsagePlans(b -> b.limit(1)));
            assertEquals(429, throttled.statusCode());
            assertEquals("TooManyRequestsException", throttled.awsErrorDetails().errorCode());
            partnerTwin.getApiKeys(b -> b.limit(1));  // another account and Region has its own bucket
            JsonNode stats = StrictAws.stats(Aws.DEFAULT_ACCOUNT, "us-east-1");
            assertEquals(1, stats.path("GetUsagePlans").path("throttled").asInt());
            assertEquals(0, stats.path("GetApiKeys").path("throttled").asInt());
            assertEquals(21, stats.path("GetUsagePlans").path("calls").asInt(), "a throttled call is counted too");
            assertEquals(0, StrictAws.stats(OTHER_ACCOUNT, "sa-east-1").path("GetApiKeys").path("throttled").asInt());
        }
    }

    @Test
    void withAwsLimitsAKeyCreateNeedsATokenOfItsOwnBucketAndOfTheAccountsAndARefusedCallTakesNone() {
        StrictAws.configure("awsLimits=true&limit=apigateway:0.001:3&limit=CreateApiKey:0.001:2");
        twin.createApiKey(b -> b.name(unique("bucket")).enabled(true));
        twin.createApiKey(b -> b.name(unique("bucket")).enabled(true));
        assertThrows(TooManyRequestsException.class, () -> twin.createApiKey(b -> b.name(unique("bucket")).enabled(true)));
        twin.getApiKeys(b -> b.limit(1));  // the refused create took no token of the account's bucket
        assertThrows(TooManyRequestsException.class, () -> twin.getApiKeys(b -> b.limit(1)));
    }

    @Test
    void withAwsLimitsCognitoClientReadsAndWritesHaveFifteenASecondEachAnsweredAs400() {
        String pool = cognitoMoto.createUserPool(b -> b.poolName(unique("limits"))).userPool().id();
        String client = cognitoMoto.createUserPoolClient(b -> b.userPoolId(pool).clientName("c")).userPoolClient().clientId();
        StrictAws.configure("awsLimits=true&limit=cognito-client-read:0.001:15&limit=cognito-client-write:0.001:15"
                + "&limit=cognito-pool-operation:1000:1000");
        for (int i = 0; i < 15; i++) {
            cognitoTwin.describeUserPoolClient(b -> b.userPoolId(pool).clientId(client));
        }
        var throttled = assertThrows(software.amazon.awssdk.services.cognitoidentityprovider.model
                .TooManyRequestsException.class, () -> cognitoTwin.listUserPoolClients(b -> b.userPoolId(pool)));
        assertEquals(400, throttled.statusCode());
        // writes have their own bucket
        cognitoTwin.updateUserPoolClient(b -> b.userPoolId(pool).clientId(client).clientName("d"));
        assertEquals(1, StrictAws.stats().path("ListUserPoolClients").path("throttled").asInt());
    }

    @Test
    void withAwsLimitsEachClientOperationOnOnePoolHasFiveASecondAndAnotherPoolItsOwn() {
        String pool = cognitoMoto.createUserPool(b -> b.poolName(unique("per-pool"))).userPool().id();
        String other = cognitoMoto.createUserPool(b -> b.poolName(unique("per-pool"))).userPool().id();
        String client = cognitoMoto.createUserPoolClient(b -> b.userPoolId(pool).clientName("c")).userPoolClient().clientId();
        StrictAws.configure("awsLimits=true&limit=cognito-pool-operation:0.001:5");
        for (int i = 0; i < 5; i++) {
            cognitoTwin.describeUserPoolClient(b -> b.userPoolId(pool).clientId(client));
        }
        var throttled = assertThrows(software.amazon.awssdk.services.cognitoidentityprovider.model
                .TooManyRequestsException.class, () -> cognitoTwin.describeUserPoolClient(b -> b.userPoolId(pool)
                .clientId(client)));
        assertEquals(400, throttled.statusCode());
        // another operation on the pool, and the same operation on another pool, have buckets of their own
        cognitoTwin.listUserPoolClients(b -> b.userPoolId(pool));
        cognitoTwin.listUserPoolClients(b -> b.userPoolId(other));
        assertEquals(1, StrictAws.stats().path("DescribeUserPoolClient").path("throttled").asInt());
    }

    @Test
    void withoutAwsLimitsNothingButKeyWritesIsThrottled() {
        for (int i = 0; i < 60; i++) {
            twin.getApiKeys(b -> b.limit(1));
        }
        assertEquals(0, StrictAws.stats().path("GetApiKeys").path("throttled").asInt());
    }

    @Test
    void aNewKeyIsHiddenFromListingsOfItsOwnTarget() throws InterruptedException {
        StrictAws.configure("consistencyMillis=800");
        try (ApiGatewayClient partner = Aws.apiGateway(OTHER_ACCOUNT, "sa-east-1");
             ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1")) {
            String name = unique("young");
            String id = partnerTwin.createApiKey(b -> b.name(name).enabled(true)).id();
            assertEquals(List.of(), named(partnerTwin, name), "not yet listed by name");
            assertEquals(List.of(id), named(partner, name), "moto lists it at once");
            assertEquals(List.of(), named(twin, name), "the default account never sees it");
            Thread.sleep(900);
            assertEquals(List.of(id), named(partnerTwin, name));
        }
    }

    @Test
    void countersAreKeptPerTarget() {
        try (ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1")) {
            partnerTwin.getApiKeys(b -> b.limit(1));
            partnerTwin.getApiKeys(b -> b.limit(1));
            twin.getApiKeys(b -> b.limit(1));
            assertEquals(2, StrictAws.stats(OTHER_ACCOUNT, "sa-east-1").path("GetApiKeys").path("calls").asInt());
            assertEquals(1, StrictAws.stats(Aws.DEFAULT_ACCOUNT, "us-east-1").path("GetApiKeys").path("calls").asInt());
            assertEquals(3, StrictAws.stats().path("GetApiKeys").path("calls").asInt());
            assertEquals(Set.of(OTHER_ACCOUNT + "/sa-east-1", Aws.DEFAULT_ACCOUNT + "/us-east-1"),
                    fieldNames(StrictAws.targets()));
            assertEquals("{}", StrictAws.stats(OTHER_ACCOUNT, "us-east-1").toString());
        }
    }

    @Test
    void aFaultHitsOneTargetOnly() {
        StrictAws.configure("fault=CreateApiKey@" + OTHER_ACCOUNT + "/sa-east-1:403:1");
        try (ApiGatewayClient partnerTwin = Aws.apiGatewayViaTwin(OTHER_ACCOUNT, "sa-east-1");
             ApiGatewayClient partner = Aws.apiGateway(OTHER_ACCOUNT, "sa-east-1")) {
            String name = unique("denied");
            ApiGatewayException denied = assertThrows(ApiGatewayException.class,
                    () -> partnerTwin.createApiKey(b -> b.name(name).enabled(true)));
            assertEquals(403, denied.statusCode());
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertEquals(List.of(), named(partner, name), "a refused call never reaches moto");
            twin.createApiKey(b -> b.name(unique("allowed")).enabled(true));
            partnerTwin.createApiKey(b -> b.name(unique("second")).enabled(true));
        }
    }

    @Test
    void everyAssumeRoleIsRecorded() {
        String role = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/" + unique("recorded");
        int before = StrictAws.assumedRoles().size();
        Credentials credentials;
        try (StsClient sts = Aws.stsViaTwin("sa-east-1")) {
            credentials = sts.assumeRole(b -> b.roleArn(role).externalId("ext-1").roleSessionName("devportal-webhook-x")
                    .durationSeconds(900)).credentials();
        }
        StrictAws.reset();  // the log outlives a reset: a cached session is assumed once per test class
        JsonNode log = StrictAws.assumedRoles();
        assertEquals(before + 1, log.size(), log.toString());
        JsonNode entry = log.get(log.size() - 1);
        assertEquals(role, entry.path("roleArn").asText());
        assertEquals("ext-1", entry.path("externalId").asText());
        assertEquals("devportal-webhook-x", entry.path("roleSessionName").asText());
        assertEquals(900, entry.path("durationSeconds").asInt());
        assertEquals("sa-east-1", entry.path("region").asText());
        assertEquals("sts", entry.path("service").asText());
        assertEquals(StrictAws.endpoint().substring("http://".length()), entry.path("host").asText());
        assertEquals(Aws.DEFAULT_ACCOUNT, entry.path("callerAccount").asText());
        assertEquals(200, entry.path("status").asInt());
        assertEquals(credentials.accessKeyId(), entry.path("accessKeyId").asText());
        StrictAws.forgetAssumedRoles();
        assertEquals(0, StrictAws.assumedRoles().size());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anAssumeRoleFaultIsAnsweredAsStsAnswersAndRecorded() {
        StrictAws.configure("fault=AssumeRole@" + Aws.DEFAULT_ACCOUNT + "/sa-east-1:403:1");
        String role = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/" + unique("refused");
        try (StsClient sts = Aws.stsViaTwin("sa-east-1"); StsClient elsewhere = Aws.stsViaTwin("us-east-1")) {
            // another Region of the same account is another target: not refused
            elsewhere.assumeRole(b -> b.roleArn(role).roleSessionName("devportal-webhook-y"));
            software.amazon.awssdk.services.sts.model.StsException refused = assertThrows(
                    software.amazon.awssdk.services.sts.model.StsException.class,
                    () -> sts.assumeRole(b -> b.roleArn(role).roleSessionName("devportal-webhook-y")));
            assertEquals(403, refused.statusCode());
            assertEquals("AccessDenied", refused.awsErrorDetails().errorCode());
            sts.assumeRole(b -> b.roleArn(role).roleSessionName("devportal-webhook-y"));  // once only
        }
        List<JsonNode> entries = new ArrayList<>();
        StrictAws.assumedRoles().forEach(e -> {
            if (e.path("roleArn").asText().equals(role)) {
                entries.add(e);
            }
        });
        assertEquals(List.of("us-east-1 200", "sa-east-1 403", "sa-east-1 200"), entries.stream()
                .map(e -> e.path("region").asText() + " " + e.path("status").asInt()).toList());
        assertTrue(entries.get(1).path("accessKeyId").isNull(), entries.toString());
        assertTrue(entries.get(1).path("durationSeconds").isNull(), entries.toString());
    }
}
