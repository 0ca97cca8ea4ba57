package io.devportal.webhook.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code webhook.targets-json}: every target in one environment variable. */
class TargetsJsonTest {

    private static final String PARTNER = "{\"partner\":{\"region\":\"sa-east-1\","
            + "\"roleArn\":\"arn:aws:iam::111122223333:role/devportal-webhook-target\",\"externalId\":\"ext-id-1\","
            + "\"userPoolId\":\"sa-east-1_Pool2\",\"cognitoDomain\":\"partner-auth\",\"apis\":[\"abc123\",\"def456\"]},"
            + "\"us\":{\"region\":\"us-east-1\"}}";

    private static WebhookConfig mapped(Map<String, String> props) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(props, "test-env", 300))
                .withSources(new TargetsJson())
                .withMapping(WebhookConfig.class)
                .build()
                .getConfigMapping(WebhookConfig.class);
    }

    private static String mistake(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TargetsJson.properties(json)).getMessage();
    }

    @Test
    void theJsonBecomesTheTargetsProperties() {
        assertEquals(Map.of(
                "webhook.targets.\"partner\".region", "sa-east-1",
                "webhook.targets.\"partner\".role-arn", "arn:aws:iam::111122223333:role/devportal-webhook-target",
                "webhook.targets.\"partner\".external-id", "ext-id-1",
                "webhook.targets.\"partner\".user-pool-id", "sa-east-1_Pool2",
                "webhook.targets.\"partner\".cognito-domain", "partner-auth",
                "webhook.targets.\"partner\".apis", "abc123,def456",
                "webhook.targets.\"us\".region", "us-east-1"), TargetsJson.properties(PARTNER));
    }

    @Test
    void theServiceSeesTheTargetsOfTheJson() {
        WebhookConfig config = mapped(Map.of("webhook.targets-json", PARTNER));
        assertEquals(2, config.targets().size());
        WebhookConfig.Target partner = config.targets().get("partner");
        assertEquals(Optional.of("sa-east-1"), partner.region());
        assertEquals(Optional.of("arn:aws:iam::111122223333:role/devportal-webhook-target"), partner.roleArn());
        assertEquals(Optional.of("ext-id-1"), partner.externalId());
        assertEquals(Optional.of("sa-east-1_Pool2"), partner.userPoolId());
        assertEquals(Optional.of("partner-auth"), partner.cognitoDomain());
        assertEquals(Optional.of(List.of("abc123", "def456")), partner.apis());
        assertEquals(Optional.empty(), config.targets().get("us").apis());
        Targets targets = new Targets();
        targets.config = config;
        assertEquals(Optional.empty(), targets.problem());
        assertEquals("partner", targets.targetOf("def456"));
        assertEquals("default", targets.targetOf("ghi789"));
    }

    @Test
    void aPropertyForTheSameTargetWinsOverTheJson() {
        WebhookConfig config = mapped(Map.of("webhook.targets-json", PARTNER,
                "webhook.targets.\"partner\".region", "sa-east-2"));
        assertEquals(Optional.of("sa-east-2"), config.targets().get("partner").region());
        assertEquals(Optional.of("ext-id-1"), config.targets().get("partner").externalId());
    }

    @Test
    void noJsonChangesNothing() {
        assertEquals(Map.of(), mapped(Map.of()).targets());
        assertEquals(Map.of(), mapped(Map.of("webhook.targets-json", " ")).targets());
        assertEquals(Map.of(), mapped(Map.of("webhook.targets-json", "{}")).targets());
    }

    @Test
    void aMistakeIsNamedAndNeverIgnored() {
        assertEquals("webhook.targets-json is not valid JSON (line 1, column 13)", mistake("{\"partner\":{"));
        assertEquals("webhook.targets-json must be a JSON object keyed by target name", mistake("[]"));
        assertEquals("webhook.targets-json must be a JSON object keyed by target name", mistake("\"partner\""));
        assertEquals("webhook.targets-json.partner must be an object", mistake("{\"partner\":\"sa-east-1\"}"));
        assertEquals("webhook.targets-json: target name \"my partner\" must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}",
                mistake("{\"my partner\":{\"region\":\"sa-east-1\"}}"));
        assertEquals("webhook.targets-json.partner: unknown setting \"role-arn\" (known: region, roleArn, externalId, "
                        + "userPoolId, cognitoDomain, apis)",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"role-arn\":\"arn:aws:iam::111122223333:role/r\"}}"));
        assertEquals("webhook.targets-json.partner.region must be a non-empty string",
                mistake("{\"partner\":{\"region\":5}}"));
        assertEquals("webhook.targets-json.partner.region must be a non-empty string",
                mistake("{\"partner\":{\"region\":\" \"}}"));
        assertEquals("webhook.targets-json.partner.roleArn must be a non-empty string",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"roleArn\":null}}"));
        assertEquals("webhook.targets-json.partner.apis must be an array of API ids",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"apis\":\"abc123\"}}"));
        assertEquals("webhook.targets-json.partner.apis must be non-empty API ids",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"apis\":[\"abc,123\"]}}"));
        assertEquals("webhook.targets-json.partner.apis must be non-empty API ids",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"apis\":[\"\"]}}"));
        assertEquals("webhook.targets-json.partner.apis must be non-empty API ids",
                mistake("{\"partner\":{\"region\":\"sa-east-1\",\"apis\":[7]}}"));
        // a target that sets nothing would vanish without a word
        assertEquals("webhook.targets-json.partner sets nothing: a target needs at least its region",
                mistake("{\"partner\":{}}"));
        assertEquals("webhook.targets-json.partner sets nothing: a target needs at least its region",
                mistake("{\"partner\":{\"apis\":[]}}"));
    }
}
