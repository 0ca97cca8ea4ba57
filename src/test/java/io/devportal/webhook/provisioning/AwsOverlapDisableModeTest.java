package io.devportal.webhook.provisioning;

import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The races of {@link AwsOverlapTest} with {@code webhook.aws.revoke-mode=DISABLE}. */
@QuarkusTest
@TestProfile(AwsOverlapDisableModeTest.Disable.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsOverlapDisableModeTest extends AwsOverlapTest {

    public static class Disable extends Profile {
        public Disable() {
            super("DISABLE", "webhook.lease.wait", "PT0.8S");
        }
    }
}
