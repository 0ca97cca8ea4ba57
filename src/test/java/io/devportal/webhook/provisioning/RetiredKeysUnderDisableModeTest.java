package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.aws.AwsRevokeModeDisableTest;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An update's deletion of the keys it took out that meets the credential revoked meanwhile deletes
 * only the keys the credential no longer lists: one it lists (a later update took it back) was the
 * revoke's to act on, in the revoke's mode. Under revoke-mode DISABLE that key stays, disabled.
 * (AwsRevokeModeDisableTest's profile and moto: one boot for the classes.)
 */
@QuarkusTest
@TestProfile(AwsRevokeModeDisableTest.Disable.class)
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetiredKeysUnderDisableModeTest {

    @Inject
    Retirement retirement;

    @Inject
    ProviderSelection providers;

    @Inject
    Ledger ledger;

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Test
    void aRetiredKeyTheRevokedCredentialListsIsLeftDisabledAsTheRevokeModeSays() {
        String keyId = Api.create(Api.createBody("Retired under disable " + UUID.randomUUID(), "r@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        // a later update had taken the key back, then the revoke disabled it (DISABLE mode keeps it)
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);

        // the earlier update's deletion of its retired keys comes late, naming that key
        retirement.deleteRetiredKeys(providers.provider(), record.id(), record.resources());

        try (ApiGatewayClient aws = Aws.apiGateway()) {
            assertFalse(aws.getApiKey(b -> b.apiKey(keyId)).enabled(), "the key is still there, disabled");
        }
    }
}
