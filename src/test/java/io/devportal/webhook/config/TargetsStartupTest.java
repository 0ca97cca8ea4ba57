package io.devportal.webhook.config;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service (its real entry point, with no arguments) refuses to start when an API is mapped to
 * two targets, and says which API and which targets: one in webhook.apis, one in webhook.targets-json.
 */
@QuarkusMainTest
@TestProfile(TargetsStartupTest.ApiInTwoTargets.class)
class TargetsStartupTest {

    public static class ApiInTwoTargets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.targets-json", "{\"partner\":{\"region\":\"sa-east-1\",\"apis\":[\"orders\"]},"
                            + "\"other\":{\"region\":\"us-east-1\"}}",
                    "webhook.apis.\"orders\".target", "other");
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a service that starts would wait forever
    void anApiMappedToTwoTargetsRefusesToStartNamingBoth(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();
        assertNotEquals(0, result.exitCode());
        String output = result.getOutput() + result.getErrorOutput();
        assertTrue(output.contains("API orders is mapped to two targets, other and partner: "
                + "an API lives in one account and Region"), output);
        assertFalse(output.contains("started in"), output);
    }
}
