package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
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
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Under revoke-mode=DISABLE only a REVOKE disables: DELETE (orphans, forgotten credentials) and ROLLBACK delete. */
@QuarkusTest
@TestProfile(AwsRevokeModeDisableTest.Disable.class)
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsRemovalUnderDisableModeTest {

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Inject
    ApiKeys apiKeys;

    String key(String appName) {
        CredentialSpec spec = new CredentialSpec(CredentialKind.API_KEY, false, "app:" + UUID.randomUUID(), appName,
                "d@example.com", List.of(new ApiAccess(MotoResource.API, List.of(plans.get(0)), List.of(),
                CredentialKind.API_KEY)), UUID.randomUUID().toString());
        return apiKeys.create(spec, new ResourceJournal() {
            @Override
            public void intend(ResourceRef planned) {
            }

            @Override
            public void created(ResourceRef resource) {
            }
        }).ref().id();
    }

    @Test
    void deleteDeletesTheKeyEvenUnderRevokeModeDisableWhileRevokeDisablesIt() {
        String orphan = key("Orphan");
        String revoked = key("Revoked");
        String rolledBack = key("Rolled back");
        apiKeys.remove(new ResourceRef(ApiKeys.TYPE, orphan, "Orphan", null), Removal.DELETE);
        apiKeys.remove(new ResourceRef(ApiKeys.TYPE, revoked, "Revoked", null), Removal.REVOKE);
        apiKeys.remove(new ResourceRef(ApiKeys.TYPE, rolledBack, "Rolled back", null), Removal.ROLLBACK);
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            assertThrows(NotFoundException.class, () -> aws.getApiKey(b -> b.apiKey(orphan)));
            assertThrows(NotFoundException.class, () -> aws.getApiKey(b -> b.apiKey(rolledBack)));
            assertFalse(aws.getApiKey(b -> b.apiKey(revoked)).enabled());
            assertTrue(aws.getApiKey(b -> b.apiKey(revoked)).tags().containsKey(ApiKeys.TAG_MANAGED));
        }
    }
}
