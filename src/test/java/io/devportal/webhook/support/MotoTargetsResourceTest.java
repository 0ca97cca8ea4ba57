package io.devportal.webhook.support;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static io.devportal.webhook.support.MotoTargetsResource.WEST_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estate of {@link MotoTargetsResource}, and what it rests on: moto really keeps each account
 * and Region apart, so that a resource made with assumed-role credentials is in the role's account
 * only, and only in the Region it was made in. (It resets moto, as every test resource does.)
 */
class MotoTargetsResourceTest {
    static Map<String, String> config;

    @BeforeAll
    static void estate() {
        config = new MotoTargetsResource().start();
    }

    static Set<String> plans(String account, String region) {
        try (ApiGatewayClient client = Aws.apiGateway(account, region)) {
            return client.getUsagePlans(b -> b.limit(500)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
        }
    }

    @Test
    void anAssumedRoleActsInItsAccount() {
        try (StsClient sts = StsClient.builder().endpointOverride(URI.create(MotoServer.endpoint()))
                .region(software.amazon.awssdk.regions.Region.of(PARTNER_REGION))
                .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.create())
                .credentialsProvider(Aws.credentials(PARTNER_ACCOUNT)).build()) {
            assertEquals(PARTNER_ACCOUNT, sts.getCallerIdentity().account());
        }
    }

    @Test
    void thePartnerPlansAreInThePartnerAccountAndRegionOnly() {
        List<String> partner = List.of(config.get("test.partner-plans").split(","));
        assertEquals(2, partner.size());
        assertEquals(Set.copyOf(partner), plans(PARTNER_ACCOUNT, PARTNER_REGION));
        try (ApiGatewayClient client = Aws.apiGateway(PARTNER_ACCOUNT, PARTNER_REGION)) {
            assertEquals(List.of(ApiStage.builder().apiId("partner-api").stage("prod").build()),
                    client.getUsagePlan(b -> b.usagePlanId(partner.get(0))).apiStages());
            assertEquals(List.of(ApiStage.builder().apiId("partner-api").stage("beta").build()),
                    client.getUsagePlan(b -> b.usagePlanId(partner.get(1))).apiStages());
        }
        // invisible to the default account, in the same Region or in its own; and to the partner elsewhere
        for (String[] elsewhere : new String[][] {{Aws.DEFAULT_ACCOUNT, "us-east-1"}, {Aws.DEFAULT_ACCOUNT, PARTNER_REGION},
                {PARTNER_ACCOUNT, "us-east-1"}}) {
            Set<String> seen = plans(elsewhere[0], elsewhere[1]);
            partner.forEach(id -> assertTrue(!seen.contains(id), id + " seen in " + String.join("/", elsewhere)));
            try (ApiGatewayClient client = Aws.apiGateway(elsewhere[0], elsewhere[1])) {
                assertThrows(NotFoundException.class, () -> client.getUsagePlan(b -> b.usagePlanId(partner.get(0))));
            }
        }
    }

    @Test
    void theWestPlanIsInTheDefaultAccountInUsWest2Only() {
        String west = config.get("test.west-plans");
        assertEquals(Set.of(west), plans(Aws.DEFAULT_ACCOUNT, WEST_REGION));
        assertTrue(!plans(Aws.DEFAULT_ACCOUNT, "us-east-1").contains(west));
        assertEquals(Set.of(), plans(PARTNER_ACCOUNT, WEST_REGION));
    }

    @Test
    void theDefaultEstateIsMotoResourcesInUsEast1() {
        Set<String> plans = plans(Aws.DEFAULT_ACCOUNT, "us-east-1");
        assertEquals(7, plans.size());
        assertTrue(plans.containsAll(List.of(config.get("test.usage-plans").split(","))));
        assertTrue(plans.containsAll(List.of(config.get("test.tier-plans").split(","))));
        try (CognitoIdentityProviderClient cognito = Aws.cognito()) {
            assertEquals("developers", cognito.describeUserPool(b -> b.userPoolId(
                    config.get("webhook.cognito.user-pool-id"))).userPool().name());
        }
    }

    @Test
    void thePartnerPoolIsInThePartnerAccount() {
        String pool = config.get("test.partner-user-pool");
        assertEquals(pool, config.get("webhook.targets.\"partner\".user-pool-id"));
        try (CognitoIdentityProviderClient cognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION)) {
            UserPoolType described = cognito.describeUserPool(b -> b.userPoolId(pool)).userPool();
            assertEquals("arn:aws:cognito-idp:sa-east-1:111122223333:userpool/" + pool, described.arn());
            assertEquals("partner-test", described.domain());
            assertEquals(List.of("partner-cc/read", "partner-cc/write"), cognito.describeResourceServer(
                    b -> b.userPoolId(pool).identifier("partner-cc")).resourceServer().scopes().stream()
                    .map(s -> "partner-cc/" + s.scopeName()).toList());
        }
        try (CognitoIdentityProviderClient cognito = Aws.cognito()) {
            assertThrows(ResourceNotFoundException.class, () -> cognito.describeUserPool(b -> b.userPoolId(pool)));
        }
    }

    @Test
    void theWebhookIsConfiguredForTheTargets() {
        assertEquals("sa-east-1", config.get("webhook.targets.\"partner\".region"));
        assertEquals("arn:aws:iam::111122223333:role/devportal-webhook-target",
                config.get("webhook.targets.\"partner\".role-arn"));
        assertEquals("ext-partner-1", config.get("webhook.targets.\"partner\".external-id"));
        assertEquals("partner-test", config.get("webhook.targets.\"partner\".cognito-domain"));
        assertEquals("us-west-2", config.get("webhook.targets.\"west\".region"));
        assertEquals(null, config.get("webhook.targets.\"west\".role-arn"));
        assertEquals("partner", config.get("webhook.apis.\"partner-api\".target"));
        assertEquals("partner", config.get("webhook.apis.\"partner-cc\".target"));
        assertEquals("CLIENT_CREDENTIALS", config.get("webhook.apis.\"partner-cc\".credential-type"));
        assertEquals("west", config.get("webhook.apis.\"west-api\".target"));
        assertEquals("aws", config.get("webhook.provider"));
    }
}
