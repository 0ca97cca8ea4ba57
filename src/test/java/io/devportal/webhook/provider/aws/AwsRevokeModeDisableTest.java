package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@TestProfile(AwsRevokeModeDisableTest.Disable.class)
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
public class AwsRevokeModeDisableTest {

    /** Also AwsRemovalUnderDisableModeTest's: the two share one boot. */
    public static class Disable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.aws.revoke-mode", "DISABLE");
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Test
    void revokeDisablesTheKeyInsteadOfDeletingItAndUpdateThenIs404() {
        String keyId = Api.create(Api.createBody("Disable me", "d@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            assertFalse(aws.getApiKey(b -> b.apiKey(keyId)).enabled());
        }
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[]}").then().statusCode(404);
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
    }
}
