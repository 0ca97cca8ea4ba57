package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.BuiltService;
import io.devportal.webhook.support.DynamoDbMoto;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.PostgresResource;
import io.devportal.webhook.support.StrictAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_API;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_EXTERNAL_ID;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 item 1, the service as it ships: a credential is issued, the service is stopped and
 * started again on the same ledger with another configuration, and the revoke acts where the
 * credential lives (its recorded place), or answers 503 naming that place while nothing reaches
 * it: never a 204 with the key or client still live.
 * <ul>
 *   <li>H2 and PostgreSQL: another {@code AWS_REGION} (the key and client of us-east-1 are deleted
 *   there once a target reaches us-east-1 again), and another user pool (the client is deleted in
 *   its own pool);</li>
 *   <li>H2, PostgreSQL and DynamoDB (whose table lives in {@code AWS_REGION}, so that store keeps it):
 *   a target's Region and role changed.</li>
 * </ul>
 * AWS is moto behind the strict twin; the webhook's own credentials are the default account's.
 */
class PlacesAcrossRestartsIT {
    private static final String OTHER_REGION = "eu-west-1";
    private static final String OTHER_ROLE = "arn:aws:iam::444455556666:role/devportal-webhook-target";
    private static final String CC_API = "cc-api";
    private static Map<String, String> estate;
    private static PostgresResource postgres;

    @TempDir
    Path data;

    @TempDir
    Path logs;

    @BeforeAll
    static void estate() {
        estate = new MotoTargetsResource().start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.stop();
        }
    }

    /** The ledger's environment: H2 in the data directory, a PostgreSQL of its own, or DynamoDB (moto). */
    private Map<String, String> ledger(String store) {
        Map<String, String> env = new HashMap<>();
        switch (store) {
            case "h2" -> {
            }
            case "postgresql" -> {
                if (postgres == null) {
                    postgres = new PostgresResource();
                    Map<String, String> pg = postgres.start();
                    env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.get("quarkus.datasource.jdbc.url"));
                    env.put("QUARKUS_DATASOURCE_USERNAME", pg.get("quarkus.datasource.username"));
                    postgresEnv = env;
                }
                return new HashMap<>(postgresEnv);
            }
            case "dynamodb" -> {
                env.put("WEBHOOK_LEDGER", "dynamodb");
                env.put("WEBHOOK_DYNAMODB_TABLE", "places-" + UUID.randomUUID().toString().substring(0, 8));
                env.put("WEBHOOK_DYNAMODB_CREATE_TABLE", "true");
                env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbMoto.endpoint());
            }
            default -> throw new IllegalArgumentException(store);
        }
        return env;
    }

    private static Map<String, String> postgresEnv;

    /** The service on AWS (the strict twin) in {@code region}, with that pool and those targets. */
    private BuiltService service(Map<String, String> ledger, String region, String pool, String targetsJson) {
        BuiltService service = new BuiltService(data, logs);
        ledger.forEach(service::env);
        service.env("WEBHOOK_PROVIDER", "aws")
                .env("AWS_ENDPOINT_URL", StrictAws.endpoint())
                .env("AWS_REGION", region)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_PROFILE", null)
                .env("WEBHOOK_COGNITO_USER_POOL_ID", pool)
                .env("WEBHOOK_AWS_LOOKUP_SETTLE", "PT1S")
                .env("WEBHOOK_APIS_JSON", "{\"" + CC_API + "\":{\"credentialType\":\"CLIENT_CREDENTIALS\","
                        + "\"scopes\":[\"read\"]}}")
                .env("WEBHOOK_TARGETS_JSON", targetsJson == null ? "{}" : targetsJson);
        return service;
    }

    private static String partner(String region, String role) {
        return "\"region\":\"" + region + "\",\"roleArn\":\"" + role + "\",\"externalId\":\"" + PARTNER_EXTERNAL_ID
                + "\"";
    }

    private static String keyBody(String name, String api, String plan) {
        return "{\"appName\":\"" + name + "\",\"developer\":\"p@example.com\",\"apis\":[{\"id\":\"" + api
                + "\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}]}";
    }

    private static String clientBody(String name) {
        return "{\"appName\":\"" + name + "\",\"developer\":\"p@example.com\",\"apis\":[{\"id\":\"" + CC_API
                + "\",\"usagePlans\":[]}]}";
    }

    private static String plan() {
        return estate.get("test.usage-plans").split(",")[0];
    }

    private static String pool() {
        return estate.get("webhook.cognito.user-pool-id");
    }

    private static boolean keyLive(ApiGatewayClient aws, String keyId) {
        try {
            return aws.getApiKey(b -> b.apiKey(keyId)).enabled();
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static boolean clientLive(CognitoIdentityProviderClient aws, String pool, String clientId) {
        try {
            aws.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** A pool of another Region (or the same), so that the service's configured pool exists where it looks. */
    private static String newPool(String region) {
        try (CognitoIdentityProviderClient cognito = Aws.cognito(Aws.DEFAULT_ACCOUNT, region)) {
            return cognito.createUserPool(b -> b.poolName("other-" + UUID.randomUUID())).userPool().id();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aKeyAndClientOfUsEast1RevokedAfterARestartInEuWest1Answer503UntilATargetReachesThemThenAreDeletedThere(
            String store) throws Exception {
        Map<String, String> ledger = ledger(store);
        String keyId;
        String clientId;
        try (BuiltService before = service(ledger, "us-east-1", pool(), null).start()) {
            BuiltService.Answer key = before.post("/v1/createCredentials", keyBody("Moved " + store, "api1", plan()));
            assertEquals(200, key.status(), key.body());
            keyId = key.field("apiKeyId");
            BuiltService.Answer client = before.post("/v1/createCredentials", clientBody("Moved client " + store));
            assertEquals(200, client.status(), client.body());
            clientId = client.field("clientId");
        }
        String euPool = newPool(OTHER_REGION);
        try (BuiltService after = service(ledger, OTHER_REGION, euPool, null).start()) {
            BuiltService.Answer r = after.post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}");
            assertEquals(503, r.status(), r.body());
            assertEquals("unavailable", r.field("code"), r.body());
            assertTrue(r.field("message").startsWith("API key " + keyId + " lives in account " + Aws.DEFAULT_ACCOUNT
                    + ", Region us-east-1, which no configured target reaches any more"), r.body());
            BuiltService.Answer c = after.post("/v1/revokeCredentials", "{\"clientId\":\"" + clientId + "\"}");
            assertEquals(503, c.status(), c.body());
            assertTrue(c.field("message").contains("Region us-east-1, user pool " + pool()), c.body());
        }
        try (ApiGatewayClient east = Aws.apiGateway(); CognitoIdentityProviderClient cognito = Aws.cognito()) {
            assertTrue(keyLive(east, keyId), "the key stays live while nothing reaches it");
            assertTrue(clientLive(cognito, pool(), clientId), "the client too");
            try (BuiltService again = service(ledger, OTHER_REGION, euPool, "{\"east\":{\"region\":\"us-east-1\"}}")
                    .start()) {
                assertEquals(204, again.post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}").status());
                assertEquals(204, again.post("/v1/revokeCredentials", "{\"clientId\":\"" + clientId + "\"}").status());
            }
            assertFalse(keyLive(east, keyId), "deleted in us-east-1, where it lived");
            assertFalse(clientLive(cognito, pool(), clientId), "deleted in its own pool");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aClientRevokedAfterARestartWithAnotherUserPoolIsDeletedInItsOwnPool(String store) throws Exception {
        Map<String, String> ledger = ledger(store);
        String clientId;
        try (BuiltService before = service(ledger, "us-east-1", pool(), null).start()) {
            BuiltService.Answer client = before.post("/v1/createCredentials", clientBody("Pool moved " + store));
            assertEquals(200, client.status(), client.body());
            clientId = client.field("clientId");
        }
        String otherPool = newPool("us-east-1");
        try (BuiltService after = service(ledger, "us-east-1", otherPool, null).start();
             CognitoIdentityProviderClient cognito = Aws.cognito()) {
            assertEquals(204, after.post("/v1/revokeCredentials", "{\"clientId\":\"" + clientId + "\"}").status());
            assertFalse(clientLive(cognito, pool(), clientId), "deleted in the pool it was made in");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "dynamodb"})
    void aKeyOfATargetWhoseRegionAndRoleChangedAnswers503ThenIsDeletedThroughATargetThatReachesItsPlace(
            String store) throws Exception {
        Map<String, String> ledger = ledger(store);
        List<String> partnerPlans = List.of(estate.get("test.partner-plans").split(","));
        String keyId;
        try (BuiltService before = service(ledger, "us-east-1", pool(), "{\"partner\":{" + partner(PARTNER_REGION,
                PARTNER_ROLE) + ",\"apis\":[\"" + PARTNER_API + "\"]}}").start()) {
            BuiltService.Answer key = before.post("/v1/createCredentials", keyBody("Partner " + store, PARTNER_API,
                    partnerPlans.get(0)));
            assertEquals(200, key.status(), key.body());
            keyId = key.field("apiKeyId");
        }
        String moved = "\"partner\":{" + partner("us-west-2", OTHER_ROLE) + ",\"apis\":[\"" + PARTNER_API + "\"]}";
        try (BuiltService after = service(ledger, "us-east-1", pool(), "{" + moved + "}").start()) {
            BuiltService.Answer r = after.post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}");
            assertEquals(503, r.status(), r.body());
            assertTrue(r.field("message").startsWith("API key " + keyId + " lives in account " + PARTNER_ACCOUNT
                    + ", Region " + PARTNER_REGION + ", which no configured target reaches any more (target partner "
                    + "is Region us-west-2, role " + OTHER_ROLE + " now)"), r.body());
        }
        try (ApiGatewayClient partner = Aws.apiGateway(PARTNER_ACCOUNT, PARTNER_REGION)) {
            assertTrue(keyLive(partner, keyId), "the key stays live while nothing reaches it");
            try (BuiltService again = service(ledger, "us-east-1", pool(), "{" + moved + ",\"old-partner\":{"
                    + partner(PARTNER_REGION, PARTNER_ROLE) + "}}").start()) {
                assertEquals(204, again.post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}").status());
            }
            assertFalse(keyLive(partner, keyId), "deleted in the partner account's " + PARTNER_REGION);
        }
    }
}
