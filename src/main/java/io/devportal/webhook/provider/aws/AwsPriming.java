package io.devportal.webhook.provider.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Calls, on the service's own API Gateway and Cognito clients, every operation a create, an
 * update and a revoke use, so that the SDK's marshalling, signing and unmarshalling of each are
 * loaded and warm before a SnapStart snapshot. Only ever run inside {@link AwsTransport#prime},
 * where each call is signed with fake credentials and answered {@code 200 {}} in the process:
 * nothing reaches AWS. The clients that create (no retry) are built here too.
 */
@ApplicationScoped
public class AwsPriming {
    private static final Logger LOG = Logger.getLogger(AwsPriming.class);

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    CognitoIdentityProviderClient cognito;

    @Inject
    AwsClients clients;

    @Inject
    AwsTargets targets;

    /** The operations called; the names of those that failed (none, normally). */
    public record Result(List<String> called, List<String> failed) {
    }

    public Result prime() {
        String pool = "us-east-1_priming";
        List<String> called = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        run(called, failed, "apigateway:CreateApiKey", () -> clients.apiGatewayOnce()
                .createApiKey(b -> b.name("priming").enabled(true)));
        run(called, failed, "apigateway:GetApiKey", () -> apiGateway.getApiKey(b -> b.apiKey("priming").includeValue(true)));
        run(called, failed, "apigateway:GetApiKeys", () -> apiGateway.getApiKeys(b -> b.nameQuery("priming").limit(1)));
        run(called, failed, "apigateway:UpdateApiKey", () -> apiGateway.updateApiKey(b -> b.apiKey("priming")
                .patchOperations(PatchOperation.builder().op("replace").path("/name").value("priming").build())));
        run(called, failed, "apigateway:DeleteApiKey", () -> apiGateway.deleteApiKey(b -> b.apiKey("priming")));
        run(called, failed, "apigateway:GetUsagePlan", () -> apiGateway.getUsagePlan(b -> b.usagePlanId("priming")));
        run(called, failed, "apigateway:GetUsagePlans", () -> apiGateway.getUsagePlans(b -> b.keyId("priming")));
        run(called, failed, "apigateway:CreateUsagePlanKey", () -> apiGateway.createUsagePlanKey(b -> b
                .usagePlanId("priming").keyId("priming").keyType("API_KEY")));
        run(called, failed, "apigateway:DeleteUsagePlanKey", () -> apiGateway.deleteUsagePlanKey(b -> b
                .usagePlanId("priming").keyId("priming")));
        run(called, failed, "cognito:CreateUserPoolClient", () -> clients.cognitoOnce().createUserPoolClient(b -> b
                .userPoolId(pool).clientName("priming").generateSecret(true)));
        run(called, failed, "cognito:DescribeUserPoolClient", () -> cognito.describeUserPoolClient(b -> b
                .userPoolId(pool).clientId("priming")));
        run(called, failed, "cognito:UpdateUserPoolClient", () -> cognito.updateUserPoolClient(b -> b
                .userPoolId(pool).clientId("priming").clientName("priming")));
        run(called, failed, "cognito:DeleteUserPoolClient", () -> cognito.deleteUserPoolClient(b -> b
                .userPoolId(pool).clientId("priming")));
        run(called, failed, "cognito:ListUserPoolClients", () -> cognito.listUserPoolClients(b -> b
                .userPoolId(pool).maxResults(1)));
        run(called, failed, "cognito:DescribeResourceServer", () -> cognito.describeResourceServer(b -> b
                .userPoolId(pool).identifier("priming")));
        run(called, failed, "cognito:DescribeUserPool", () -> cognito.describeUserPool(b -> b.userPoolId(pool)));
        run(called, failed, "cognito:DescribeUserPoolDomain", () -> cognito.describeUserPoolDomain(b -> b
                .domain("priming")));
        // every other target's clients built now, in the init phase, each signed once with the fake
        // credentials: its role is not assumed (that needs the restored copy's own credentials)
        for (AwsTarget t : targets.all()) {
            if (!t.isDefault()) {
                run(called, failed, "apigateway:GetUsagePlans@" + t.name(),
                        () -> t.apiGateway().getUsagePlans(b -> b.limit(1)));
                run(called, failed, "cognito:DescribeUserPool@" + t.name(),
                        () -> t.cognito().describeUserPool(b -> b.userPoolId(pool)));
            }
        }
        LOG.debugf("AWS clients primed: %d operations, %d failed", called.size(), failed.size());
        return new Result(called, failed);
    }

    private static void run(List<String> called, List<String> failed, String name, Runnable call) {
        called.add(name);
        try {
            call.run();
        } catch (RuntimeException e) {
            failed.add(name + ": " + e);
        }
    }
}
