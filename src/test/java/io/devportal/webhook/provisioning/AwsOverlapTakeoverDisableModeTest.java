package io.devportal.webhook.provisioning;

import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The takeovers of {@link AwsOverlapTakeoverTest} with {@code webhook.aws.revoke-mode=DISABLE}. */
@QuarkusTest
@TestProfile(AwsOverlapTakeoverDisableModeTest.ShortTimings.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class AwsOverlapTakeoverDisableModeTest extends AwsOverlapTakeoverTest {

    public static class ShortTimings extends Profile {
        public ShortTimings() {
            super("DISABLE", shortTimings());
        }
    }
}
