package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Before each Quarkus boot that uses it: a clean moto, then the AWS estate a real deployment would
 * have: usage plans on API stages, a user pool with a domain, and resource servers with scopes.
 * Test classes with the same profile that name it in scope MATCHING_RESOURCES share one boot and so
 * one estate (their names are unique, and they read every page of a listing).
 * The SDK finds moto through its own system properties (aws.endpointUrl and friends).
 */
public class MotoResource implements QuarkusTestResourceLifecycleManager {
    public static final String DOMAIN = "webhook-test";
    public static final String RESOURCE_SERVER = "orders";
    /** The API the usage plans serve (one stage each). */
    public static final String API = "api1";
    /** The API whose one stage prod the two tier plans share. */
    public static final String TIER_API = "tiers";
    /** A resource server with 51 scopes: one more than a Cognito app client may have. */
    public static final String WIDE_API = "wide-api";

    @Override
    public Map<String, String> start() {
        // the webhook talks to the strict twin in front of moto; the tests' own clients (Aws) to moto
        String endpoint = StrictAws.endpoint();
        System.setProperty("aws.endpointUrl", endpoint);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        MotoServer.reset();
        StrictAws.reset();
        Map<String, String> config = new HashMap<>();
        try (ApiGatewayClient apigw = Aws.apiGateway(); CognitoIdentityProviderClient cognito = Aws.cognito()) {
            // Five plans, each on its own stage of the test APIs (api1, keyed-api, keyed), so that any of
            // them may be requested together; and two tiers that share the stage tiers:prod.
            List<String> plans = new ArrayList<>();
            List<String> names = List.of("bronze", "silver", "gold", "platinum", "diamond");
            for (int i = 0; i < names.size(); i++) {
                String stage = "s" + i;
                String name = names.get(i);
                plans.add(apigw.createUsagePlan(b -> b.name(name).apiStages(
                        ApiStage.builder().apiId(API).stage(stage).build(),
                        ApiStage.builder().apiId("keyed-api").stage(stage).build(),
                        ApiStage.builder().apiId("keyed").stage(stage).build())).id());
            }
            List<String> tiers = new ArrayList<>();
            for (String name : List.of("tier-bronze", "tier-gold")) {
                tiers.add(apigw.createUsagePlan(b -> b.name(name).apiStages(
                        ApiStage.builder().apiId(TIER_API).stage("prod").build())).id());
            }
            config.put("test.tier-plans", String.join(",", tiers));
            String pool = cognito.createUserPool(b -> b.poolName("developers")).userPool().id();
            cognito.createUserPoolDomain(b -> b.userPoolId(pool).domain(DOMAIN));
            cognito.createResourceServer(b -> b.userPoolId(pool).identifier(RESOURCE_SERVER).name("Orders API")
                    .scopes(ResourceServerScopeType.builder().scopeName("read").scopeDescription("read").build(),
                            ResourceServerScopeType.builder().scopeName("write").scopeDescription("write").build()));
            // "cc-api": the scopes configured for it exist; "wide-api": more scopes than one client may have
            cognito.createResourceServer(b -> b.userPoolId(pool).identifier("cc-api").name("CC API")
                    .scopes(ResourceServerScopeType.builder().scopeName("read").scopeDescription("read").build(),
                            ResourceServerScopeType.builder().scopeName("write").scopeDescription("write").build()));
            List<ResourceServerScopeType> wide = new ArrayList<>();
            for (int i = 1; i <= 51; i++) {
                wide.add(ResourceServerScopeType.builder().scopeName("s" + i).scopeDescription("s" + i).build());
            }
            cognito.createResourceServer(b -> b.userPoolId(pool).identifier(WIDE_API).name("Wide API").scopes(wide));
            config.put("webhook.cognito.user-pool-id", pool);
            config.put("test.usage-plans", String.join(",", plans));
        }
        config.put("webhook.provider", "aws");
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-aws-" + pool(config) + ";DB_CLOSE_DELAY=-1");
        config.put("webhook.cognito.domain", DOMAIN);
        // the twin hides a new key from GetApiKeys by name for 300 ms; the lookup waits that out
        config.put("webhook.aws.lookup-settle", "PT1S");
        return config;
    }

    private static String pool(Map<String, String> config) {
        return config.get("webhook.cognito.user-pool-id").replaceAll("[^A-Za-z0-9]", "");
    }

    @Override
    public void stop() {
        // moto lives for the whole JVM; the next boot resets it
    }
}
