package io.devportal.webhook.provider.aws;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** webhook.aws.check-plan-api-stage=false: a plan on another API's stages is attached as asked. */
@QuarkusTest
@TestProfile(AwsPlanApiStageCheckOffTest.CheckOff.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsPlanApiStageCheckOffTest {

    public static class CheckOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.aws.check-plan-api-stage", "false");
        }
    }

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @ConfigProperty(name = "test.tier-plans", defaultValue = "unset-outside-moto-tests")
    List<String> tiers;

    @Test
    void withTheCheckOffAPlanOfAnotherApiIsAccepted() {
        Api.create(Api.createBody("Check off", "o@example.com",
                        "[{\"id\":\"other-api\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).body("credentialType", equalTo("API_KEY"));
    }

    @Test
    void twoPlansOnOneStageAreStillRefused() {
        // the one-plan-per-stage rule is AWS's own, not this setting's
        Api.create(Api.createBody("Check off tiers", "o@example.com", "[{\"id\":\"tiers\",\"usagePlans\":[{\"id\":\""
                        + tiers.get(0) + "\"},{\"id\":\"" + tiers.get(1) + "\"}]}]"))
                .then().statusCode(422).body("message", equalTo("apis[].usagePlans: usage plans " + tiers.get(0)
                        + " and " + tiers.get(1) + " share the API stage tiers:prod; an API key can be in one usage "
                        + "plan per API stage"));
    }
}
