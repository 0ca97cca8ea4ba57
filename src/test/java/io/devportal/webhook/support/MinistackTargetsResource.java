package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Resource;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Points the webhook (aws provider) at ministack with two targets, each reached through an assumed
 * role, in two Regions of an account that is not the webhook's own:
 * <ul>
 *   <li>the webhook's own credentials are access key {@value #OWN_ACCOUNT}: ministack takes a
 *   12-digit access key as the account it acts in, so the webhook's own account (its default
 *   target, {@code us-east-1}) is {@value #OWN_ACCOUNT};</li>
 *   <li>target {@code west}: Region {@code us-west-2}, role {@link #WEST_ROLE} with its external
 *   id, mapped by {@code webhook.apis."<id>".target}; it holds the keyed APIs {@code west-orders}
 *   (plan {@code west-plan}) and {@code west-other} (plan {@code west-other-plan});</li>
 *   <li>target {@code south}: Region {@code sa-east-1}, role {@link #SOUTH_ROLE} with its own
 *   external id, mapped by the target's {@code apis} list; it holds {@code south-orders} (plan
 *   {@code south-plan}).</li>
 * </ul>
 * Both roles are in account {@value #TARGET_ACCOUNT}, ministack's ambient account: the only one
 * whose APIs an unsigned request (a client with an API key) can invoke in ministack, which finds
 * the API of an execute-api request in the account of the request's signature, else in that
 * account. Their credentials, issued by ministack's STS, act in that account (ministack keeps the
 * session's account), so what the webhook makes through a role lands there and not in
 * {@value #OWN_ACCOUNT}. The estate is made directly in {@value #TARGET_ACCOUNT} (access key
 * {@value #TARGET_ACCOUNT}); the webhook's calls go through {@link MinistackGapProxy}, which
 * records them. The JVM's previous aws.* properties are restored when the class is done.
 */
public class MinistackTargetsResource implements QuarkusTestResourceLifecycleManager {
    public static final String STAGE = MinistackResource.STAGE;
    public static final String ORDERS_BODY = MinistackResource.ORDERS_BODY;
    public static final String OWN_ACCOUNT = "222233334444";
    public static final String TARGET_ACCOUNT = "000000000000";
    public static final String WEST_ROLE = "arn:aws:iam::" + TARGET_ACCOUNT + ":role/devportal-webhook-target-west";
    public static final String SOUTH_ROLE = "arn:aws:iam::" + TARGET_ACCOUNT + ":role/devportal-webhook-target-south";
    public static final Region WEST = Region.US_WEST_2;
    public static final Region SOUTH = Region.SA_EAST_1;
    private static final List<String> PROPERTIES = List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId",
            "aws.secretAccessKey");
    private final Map<String, String> previous = new HashMap<>();

    @Override
    public Map<String, String> start() {
        String endpoint = MinistackServer.endpoint();
        for (String p : PROPERTIES) {
            previous.put(p, System.getProperty(p));
        }
        System.setProperty("aws.endpointUrl", MinistackGapProxy.endpoint());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", OWN_ACCOUNT);
        System.setProperty("aws.secretAccessKey", "testing");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = new HashMap<>();
        try (ApiGatewayClient west = apiGateway(TARGET_ACCOUNT, WEST);
             ApiGatewayClient south = apiGateway(TARGET_ACCOUNT, SOUTH)) {
            String westOrders = keyedApi(west, "west-orders-" + run);
            String westOther = keyedApi(west, "west-other-" + run);
            String southOrders = keyedApi(south, "south-orders-" + run);
            config.put("test.ministack.west-orders", westOrders);
            config.put("test.ministack.west-other", westOther);
            config.put("test.ministack.south-orders", southOrders);
            config.put("test.ministack.west-plan", plan(west, "west-plan-" + run, westOrders));
            config.put("test.ministack.west-other-plan", plan(west, "west-other-plan-" + run, westOther));
            config.put("test.ministack.south-plan", plan(south, "south-plan-" + run, southOrders));
            config.put("test.ministack.west-external-id", "west-ext-" + run);
            config.put("test.ministack.south-external-id", "south-ext-" + run);

            config.put("webhook.targets.\"west\".region", WEST.id());
            config.put("webhook.targets.\"west\".role-arn", WEST_ROLE);
            config.put("webhook.targets.\"west\".external-id", "west-ext-" + run);
            config.put("webhook.apis.\"" + westOrders + "\".target", "west");
            config.put("webhook.apis.\"" + westOther + "\".target", "west");
            config.put("webhook.targets.\"south\".region", SOUTH.id());
            config.put("webhook.targets.\"south\".role-arn", SOUTH_ROLE);
            config.put("webhook.targets.\"south\".external-id", "south-ext-" + run);
            config.put("webhook.targets.\"south\".apis", southOrders);
        }
        config.put("test.ministack.endpoint", endpoint);
        config.put("webhook.provider", "aws");
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-ministack-targets-" + run + ";DB_CLOSE_DELAY=-1");
        return config;
    }

    @Override
    public void stop() {
        previous.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    /**
     * API Gateway of ministack itself (not through the proxy) as the account (a 12-digit access
     * key is the account in ministack) in the Region.
     */
    public static ApiGatewayClient apiGateway(String account, Region region) {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MinistackServer.endpoint())).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "testing")))
                .build();
    }

    /** The URL a client calls for {@code path} of stage {@value #STAGE} of the API. */
    public static String invokeUrl(String apiId, String path) {
        return MinistackResource.invokeUrl(apiId, path);
    }

    /** A REST API whose GET /orders needs an API key (MOCK answering {@value #ORDERS_BODY}), deployed to {@value #STAGE}. */
    private static String keyedApi(ApiGatewayClient apigw, String name) {
        String api = apigw.createRestApi(b -> b.name(name)).id();
        String root = apigw.getResources(b -> b.restApiId(api)).items().stream().filter(r -> "/".equals(r.path()))
                .map(Resource::id).findFirst().orElseThrow();
        String orders = apigw.createResource(b -> b.restApiId(api).parentId(root).pathPart("orders")).id();
        apigw.putMethod(b -> b.restApiId(api).resourceId(orders).httpMethod("GET").apiKeyRequired(true)
                .authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(api).resourceId(orders).httpMethod("GET").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        apigw.putMethodResponse(b -> b.restApiId(api).resourceId(orders).httpMethod("GET").statusCode("200"));
        apigw.putIntegrationResponse(b -> b.restApiId(api).resourceId(orders).httpMethod("GET").statusCode("200")
                .responseTemplates(Map.of("application/json", ORDERS_BODY)));
        apigw.createDeployment(b -> b.restApiId(api).stageName(STAGE));
        return api;
    }

    private static String plan(ApiGatewayClient apigw, String name, String api) {
        return apigw.createUsagePlan(b -> b.name(name)
                .apiStages(ApiStage.builder().apiId(api).stage(STAGE).build())).id();
    }
}
