package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * End to end, through the HTTP API: a revoke of a hybrid the ledger forgot (its rows deleted, as
 * after a restored backup) removes its key as well as its client. Needs AwsCredentialProvider's
 * findManaged to call {@link ManagedLookup#managedResourcesOf}.
 */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsForgottenHybridRevokeTest {

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Inject
    Db db;

    @Test
    void revokeOfAForgottenHybridRemovesItsKeyToo() {
        JsonPath r = Api.create(Api.createBody("Forgotten hybrid " + UUID.randomUUID().toString().substring(0, 6),
                        "h@example.com", "[{\"id\":\"orders\"},{\"id\":\"keyed-api\",\"usagePlans\":[{\"id\":\""
                                + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().jsonPath();
        String clientId = r.getString("clientId");
        String keyId = r.getString("customCredentials.apiKeyId");
        String credentialId = db.string("SELECT id FROM credential WHERE client_id = ?", clientId);
        db.update("DELETE FROM operation WHERE credential_id = ?", credentialId);
        db.update("DELETE FROM credential WHERE id = ?", credentialId);

        Api.revoke("{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}")
                .then().statusCode(204);
        try (ApiGatewayClient apigw = Aws.apiGateway(); CognitoIdentityProviderClient cognito = Aws.cognito()) {
            assertThrows(ResourceNotFoundException.class,
                    () -> cognito.describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId)));
            assertThrows(NotFoundException.class, () -> apigw.getApiKey(b -> b.apiKey(keyId)));
        }
    }
}
