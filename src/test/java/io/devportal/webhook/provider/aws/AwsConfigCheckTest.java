package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * check-config against moto, with the test configuration: the user pool, its domain and the
 * "orders" and "cc-api" resource servers exist; "ghost-api" is configured with a scope of a resource
 * server that does not exist, "noscope-api" needs client credentials with no scopes anywhere, and
 * "wide-api"'s resource server has 51 scopes, one more than a client may have.
 */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsConfigCheckTest {

    @Inject
    AwsConfigCheck check;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Test
    void reportsPreciselyWhatIsRightAndWhatIsWrong() {
        List<String> report = check.run().stream().map(AwsConfigCheck.Finding::toString).toList();
        assertEquals(List.of(
                "OK    AWS Region: configured",
                "OK    AWS credentials: found",
                "OK    API Gateway access: usage plans can be read",
                "OK    user pool " + pool + ": exists",
                "OK    webhook.cognito.domain webhook-test: belongs to the user pool",
                "OK    webhook.apis.\"cc-api\".scopes cc-api/read: exists",
                "OK    webhook.apis.\"cc-api\".scopes cc-api/write: exists",
                "ERROR webhook.apis.\"ghost-api\".scopes ghost-api/read: resource server ghost-api does not exist in "
                        + "user pool " + pool,
                "ERROR API noscope-api (client credentials, scopes by convention): no resource server with identifier "
                        + "noscope-api and no webhook.apis.\"noscope-api\".scopes",
                "OK    API orders (client credentials, scopes by convention): scopes [read, write]",
                "ERROR API wide-api (client credentials, scopes by convention): resource server wide-api has 51 scopes; "
                        + "a Cognito app client can have at most 50"), report);
    }
}
