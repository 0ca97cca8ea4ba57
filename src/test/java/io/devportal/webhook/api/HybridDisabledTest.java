package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(HybridDisabledTest.NoHybrid.class)
class HybridDisabledTest {

    public static class NoHybrid implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.hybrid-enabled", "false",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-nohybrid;DB_CLOSE_DELAY=-1");
        }
    }

    @Test
    void apisNeedingDifferentTypesAre422WhenHybridIsDisabled() {
        Api.create(Api.createBody("Mixed app", "m@example.com", "[{\"id\":\"keyed-api\"},{\"id\":\"cc-api\"}]"))
                .then().statusCode(422)
                .body("code", equalTo("unprocessable"))
                .body("message", equalTo("apis: the requested APIs need different credential types (keyed-api needs "
                        + "API_KEY, cc-api needs CLIENT_CREDENTIALS) and hybrid credentials are disabled "
                        + "(webhook.hybrid-enabled=false); request the APIs in separate apps or enable hybrid credentials"));
    }

    @Test
    void clientCredentialsWithUsagePlansGetNoKeyWhenHybridIsDisabled() {
        Api.create(Api.createBody("Plans app", "m@example.com", "[{\"id\":\"cc-api\",\"usagePlans\":[{\"id\":\"g\"}]}]"))
                .then().statusCode(200)
                .body("credentialType", equalTo("CLIENT_CREDENTIALS"))
                .body("customCredentials.apiKey", equalTo(null));
    }
}
