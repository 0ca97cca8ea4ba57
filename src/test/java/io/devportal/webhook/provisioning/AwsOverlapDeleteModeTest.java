package io.devportal.webhook.provisioning;

import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The races of {@link AwsOverlapTest} with {@code webhook.aws.revoke-mode=DELETE}. */
@QuarkusTest
@TestProfile(AwsOverlapDeleteModeTest.Delete.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsOverlapDeleteModeTest extends AwsOverlapTest {

    public static class Delete extends Profile {
        public Delete() {
            super("DELETE", "webhook.lease.wait", "PT0.8S");
        }
    }
}
