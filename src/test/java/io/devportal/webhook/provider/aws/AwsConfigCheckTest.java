package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * check-config against moto, with the test configuration: the user pool, its domain and the
 * "orders" resource server exist; "cc-api" is configured with scopes of a resource server that does
 * not exist, and "noscope-api" needs client credentials with no scopes anywhere.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsConfigCheckTest {

    @Inject
    AwsConfigCheck check;

    @ConfigProperty(name = "webhook.cognito.user-pool-id", defaultValue = "unset-outside-moto-tests")
    String pool;

    @Test
    void reportsPreciselyWhatIsRightAndWhatIsWrong() {
        List<String> report = check.run().stream().map(AwsConfigCheck.Finding::toString).toList();
        assertEquals(List.of(
                "OK    API Gateway access: usage plans can be read",
                "OK    user pool " + pool + ": exists",
                "OK    webhook.cognito.domain webhook-test: belongs to the user pool",
                "ERROR webhook.apis.\"cc-api\".scopes cc-api/read: resource server cc-api does not exist in user pool " + pool,
                "ERROR webhook.apis.\"cc-api\".scopes cc-api/write: resource server cc-api does not exist in user pool " + pool,
                "ERROR API noscope-api (client credentials, scopes by convention): no resource server with identifier "
                        + "noscope-api and no webhook.apis.\"noscope-api\".scopes",
                "OK    API orders (client credentials, scopes by convention): scopes [read, write]"), report);
    }
}
