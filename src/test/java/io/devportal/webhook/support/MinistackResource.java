package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiStage;
import software.amazon.awssdk.services.apigateway.model.AuthorizerType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Points the webhook (aws provider) at ministack, after building there the estate a real
 * deployment has, with real gates in front of the APIs:
 * <ul>
 *   <li>{@code orders-a} and {@code orders-b}: REST APIs whose {@code GET /orders} requires an API
 *   key (MOCK integration answering {@value #ORDERS_BODY}), each deployed to stage {@value #STAGE}
 *   and served by one usage plan ({@code bronze-a}, {@code gold-b});</li>
 *   <li>{@code reports}: a REST API behind a Cognito authorizer: {@code GET /reports} needs a token
 *   with scope {@code reports/read}, {@code GET /reports/export} the same token and an API key of
 *   plan {@code reports-plan};</li>
 *   <li>a user pool with a domain and a resource server {@code reports} (scopes read, write and
 *   admin). The webhook is configured to give {@code reports}' clients {@code reports/read} and
 *   {@code reports/write} only, and to use ministack itself as the token endpoint's domain.</li>
 * </ul>
 * The webhook's SDK calls go through {@link MinistackGapProxy}; the tests' own calls (and a client's
 * API calls and token requests) go to ministack directly.
 * Every id is returned as test.ministack.* configuration. Each test class gets fresh resources
 * (unique names) in the one ministack of the JVM.
 */
public class MinistackResource implements QuarkusTestResourceLifecycleManager {
    public static final String STAGE = "prod";
    public static final String ORDERS_BODY = "{\"orders\":[]}";
    public static final String REPORTS_BODY = "{\"reports\":[]}";
    public static final String EXPORT_BODY = "{\"export\":\"ok\"}";
    public static final String RESOURCE_SERVER = "reports";

    @Override
    public Map<String, String> start() {
        String endpoint = MinistackServer.endpoint();
        // the webhook reaches ministack through the proxy that answers GetUsagePlans by key as AWS does
        System.setProperty("aws.endpointUrl", MinistackGapProxy.endpoint());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = new HashMap<>();
        try (ApiGatewayClient apigw = apiGateway(); CognitoIdentityProviderClient cognito = cognito()) {
            UserPoolType pool = cognito.createUserPool(b -> b.poolName("developers-" + run)).userPool();
            cognito.createUserPoolDomain(b -> b.userPoolId(pool.id()).domain("webhook-e2e-" + run));
            cognito.createResourceServer(b -> b.userPoolId(pool.id()).identifier(RESOURCE_SERVER).name("Reports API")
                    .scopes(scope("read"), scope("write"), scope("admin")));

            String ordersA = keyedApi(apigw, "orders-a-" + run);
            String ordersB = keyedApi(apigw, "orders-b-" + run);
            String reports = scopedApi(apigw, "reports-" + run, pool.arn());

            config.put("test.ministack.orders-a", ordersA);
            config.put("test.ministack.orders-b", ordersB);
            config.put("test.ministack.reports", reports);
            config.put("test.ministack.bronze-a", plan(apigw, "bronze-a-" + run, ordersA));
            config.put("test.ministack.gold-b", plan(apigw, "gold-b-" + run, ordersB));
            config.put("test.ministack.reports-plan", plan(apigw, "reports-plan-" + run, reports));
            config.put("test.ministack.endpoint", endpoint);
            config.put("webhook.cognito.user-pool-id", pool.id());
            config.put("webhook.apis.\"" + reports + "\".credential-type", "CLIENT_CREDENTIALS");
            config.put("webhook.apis.\"" + reports + "\".scopes", RESOURCE_SERVER + "/read," + RESOURCE_SERVER + "/write");
        }
        config.put("webhook.provider", "aws");
        // the token URL the webhook hands out: ministack's /oauth2/token (a custom-domain URL)
        config.put("webhook.cognito.domain", endpoint);
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-ministack-" + run + ";DB_CLOSE_DELAY=-1");
        return config;
    }

    @Override
    public void stop() {
        // ministack lives for the whole JVM; the next class makes its own resources
    }

    public static ApiGatewayClient apiGateway() {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MinistackServer.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    public static CognitoIdentityProviderClient cognito() {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MinistackServer.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** The URL a client calls for {@code path} of stage {@value #STAGE} of the API. */
    public static String invokeUrl(String apiId, String path) {
        return MinistackServer.endpoint() + "/restapis/" + apiId + "/" + STAGE + "/_user_request_/" + path;
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private static ResourceServerScopeType scope(String name) {
        return ResourceServerScopeType.builder().scopeName(name).scopeDescription(name).build();
    }

    /** A REST API whose GET /orders needs an API key, deployed to {@value #STAGE}. */
    private static String keyedApi(ApiGatewayClient apigw, String name) {
        String api = apigw.createRestApi(b -> b.name(name)).id();
        String orders = apigw.createResource(b -> b.restApiId(api).parentId(root(apigw, api)).pathPart("orders")).id();
        mockMethod(apigw, api, orders, ORDERS_BODY, true, null, List.of());
        apigw.createDeployment(b -> b.restApiId(api).stageName(STAGE));
        return api;
    }

    /**
     * A REST API behind a Cognito authorizer of the pool: GET /reports needs scope reports/read,
     * GET /reports/export also an API key.
     */
    private static String scopedApi(ApiGatewayClient apigw, String name, String poolArn) {
        String api = apigw.createRestApi(b -> b.name(name)).id();
        String authorizer = apigw.createAuthorizer(b -> b.restApiId(api).name("developers")
                .type(AuthorizerType.COGNITO_USER_POOLS).providerARNs(poolArn)
                .identitySource("method.request.header.Authorization")).id();
        String reports = apigw.createResource(b -> b.restApiId(api).parentId(root(apigw, api)).pathPart("reports")).id();
        mockMethod(apigw, api, reports, REPORTS_BODY, false, authorizer, List.of(RESOURCE_SERVER + "/read"));
        String export = apigw.createResource(b -> b.restApiId(api).parentId(reports).pathPart("export")).id();
        mockMethod(apigw, api, export, EXPORT_BODY, true, authorizer, List.of(RESOURCE_SERVER + "/read"));
        apigw.createDeployment(b -> b.restApiId(api).stageName(STAGE));
        return api;
    }

    private static String root(ApiGatewayClient apigw, String api) {
        return apigw.getResources(b -> b.restApiId(api)).items().stream().filter(r -> "/".equals(r.path()))
                .map(Resource::id).findFirst().orElseThrow();
    }

    private static void mockMethod(ApiGatewayClient apigw, String api, String resource, String body, boolean keyRequired,
                                   String authorizer, List<String> scopes) {
        apigw.putMethod(b -> {
            b.restApiId(api).resourceId(resource).httpMethod("GET").apiKeyRequired(keyRequired);
            if (authorizer == null) {
                b.authorizationType("NONE");
            } else {
                b.authorizationType("COGNITO_USER_POOLS").authorizerId(authorizer).authorizationScopes(scopes);
            }
        });
        apigw.putIntegration(b -> b.restApiId(api).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        apigw.putMethodResponse(b -> b.restApiId(api).resourceId(resource).httpMethod("GET").statusCode("200"));
        apigw.putIntegrationResponse(b -> b.restApiId(api).resourceId(resource).httpMethod("GET").statusCode("200")
                .responseTemplates(Map.of("application/json", body)));
    }

    private static String plan(ApiGatewayClient apigw, String name, String api) {
        return apigw.createUsagePlan(b -> b.name(name)
                .apiStages(ApiStage.builder().apiId(api).stage(STAGE).build())).id();
    }
}
