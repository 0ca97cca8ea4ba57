package io.devportal.webhook.support;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;

import java.util.Map;

/**
 * {@link MotoResource}'s estate in the default target (the default account, us-east-1), and two more
 * targets, each really in its own account or Region of moto:
 * <ul>
 *   <li>{@value #PARTNER}: account {@value #PARTNER_ACCOUNT} in {@value #PARTNER_REGION}, reached
 *   through the role {@value #PARTNER_ROLE} with external id {@value #PARTNER_EXTERNAL_ID}; two usage
 *   plans, each on its own stage of API {@value #PARTNER_API} (ids in {@code test.partner-plans}); a
 *   user pool with domain {@value #PARTNER_DOMAIN} and a resource server for the client-credentials
 *   API {@value #PARTNER_CC_API} (scopes read and write; pool id in {@code test.partner-user-pool});</li>
 *   <li>{@value #WEST}: the default account in {@value #WEST_REGION}, no role; one plan on API
 *   {@value #WEST_API} (id in {@code test.west-plans}).</li>
 * </ul>
 * The estate is made with the tests' own clients ({@link Aws#apiGateway(String, String)}: an assumed
 * role straight against moto), and the webhook is configured for it: {@code webhook.targets.*} and
 * {@code webhook.apis."<id>".target}.
 */
public class MotoTargetsResource extends MotoResource {
    public static final String PARTNER = "partner";
    public static final String PARTNER_ACCOUNT = "111122223333";
    public static final String PARTNER_REGION = "sa-east-1";
    public static final String PARTNER_ROLE = "arn:aws:iam::111122223333:role/devportal-webhook-target";
    public static final String PARTNER_EXTERNAL_ID = "ext-partner-1";
    public static final String PARTNER_API = "partner-api";
    public static final String PARTNER_CC_API = "partner-cc";
    public static final String PARTNER_DOMAIN = "partner-test";
    public static final String WEST = "west";
    public static final String WEST_REGION = "us-west-2";
    public static final String WEST_API = "west-api";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();  // resets moto and the twin, builds the default estate
        // a new application for this class: roles that an earlier class's application assumed are not its
        StrictAws.forgetAssumedRoles();
        try (ApiGatewayClient partner = Aws.apiGateway(PARTNER_ACCOUNT, PARTNER_REGION);
             CognitoIdentityProviderClient partnerCognito = Aws.cognito(PARTNER_ACCOUNT, PARTNER_REGION);
             ApiGatewayClient west = Aws.apiGateway(Aws.DEFAULT_ACCOUNT, WEST_REGION)) {
            String gold = partner.createUsagePlan(b -> b.name("partner-gold")
                    .apiStages(ApiStage.builder().apiId(PARTNER_API).stage("prod").build())).id();
            String silver = partner.createUsagePlan(b -> b.name("partner-silver")
                    .apiStages(ApiStage.builder().apiId(PARTNER_API).stage("beta").build())).id();
            config.put("test.partner-plans", gold + "," + silver);
            String westPlan = west.createUsagePlan(b -> b.name("west-gold")
                    .apiStages(ApiStage.builder().apiId(WEST_API).stage("prod").build())).id();
            config.put("test.west-plans", westPlan);

            String pool = partnerCognito.createUserPool(b -> b.poolName("partner-developers")).userPool().id();
            partnerCognito.createUserPoolDomain(b -> b.userPoolId(pool).domain(PARTNER_DOMAIN));
            partnerCognito.createResourceServer(b -> b.userPoolId(pool).identifier(PARTNER_CC_API).name("Partner CC")
                    .scopes(ResourceServerScopeType.builder().scopeName("read").scopeDescription("read").build(),
                            ResourceServerScopeType.builder().scopeName("write").scopeDescription("write").build()));
            config.put("test.partner-user-pool", pool);
            config.put("webhook.targets.\"" + PARTNER + "\".user-pool-id", pool);
            config.put("webhook.targets.\"" + PARTNER + "\".cognito-domain", PARTNER_DOMAIN);
        }
        config.put("webhook.targets.\"" + PARTNER + "\".region", PARTNER_REGION);
        config.put("webhook.targets.\"" + PARTNER + "\".role-arn", PARTNER_ROLE);
        config.put("webhook.targets.\"" + PARTNER + "\".external-id", PARTNER_EXTERNAL_ID);
        config.put("webhook.targets.\"" + WEST + "\".region", WEST_REGION);
        config.put("webhook.apis.\"" + PARTNER_API + "\".target", PARTNER);
        config.put("webhook.apis.\"" + PARTNER_CC_API + "\".target", PARTNER);
        config.put("webhook.apis.\"" + PARTNER_CC_API + "\".credential-type", "CLIENT_CREDENTIALS");
        config.put("webhook.apis.\"" + PARTNER_CC_API + "\".scopes", "read,write");
        config.put("webhook.apis.\"" + WEST_API + "\".target", WEST);
        return config;
    }
}
