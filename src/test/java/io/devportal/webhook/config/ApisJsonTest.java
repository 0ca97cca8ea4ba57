package io.devportal.webhook.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code webhook.apis-json}: every per-API setting in one environment variable. */
class ApisJsonTest {

    /** The configuration as the service maps it, from these properties (ordinal of an env var). */
    private static WebhookConfig mapped(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(props, "test-env", 300))
                .withSources(new ApisJson())
                .withMapping(WebhookConfig.class)
                .build();
        return config.getConfigMapping(WebhookConfig.class);
    }

    @Test
    void theJsonBecomesPerApiSettingsWithTheIdsCaseKept() {
        WebhookConfig config = mapped(Map.of("webhook.apis-json",
                "{\"Orders9x\":{\"credentialType\":\"CLIENT_CREDENTIALS\",\"scopes\":[\"read\",\"billing/write\"]},"
                        + "\"pay1\":{\"credentialType\":\"API_KEY\"}}"));
        assertEquals(Optional.of("CLIENT_CREDENTIALS"), config.apis().get("Orders9x").credentialType());
        assertEquals(Optional.of(List.of("read", "billing/write")), config.apis().get("Orders9x").scopes());
        assertEquals(Optional.of("API_KEY"), config.apis().get("pay1").credentialType());
        assertEquals(Optional.empty(), config.apis().get("pay1").scopes());
        assertEquals(2, config.apis().size());
    }

    @Test
    void theJsonNamesTheTargetAnApiLivesIn() {
        assertEquals(Map.of("webhook.apis.\"orders\".target", "partner",
                        "webhook.apis.\"orders\".credential-type", "API_KEY"),
                ApisJson.properties("{\"orders\":{\"target\":\"partner\",\"credentialType\":\"API_KEY\"}}"));
        WebhookConfig config = mapped(Map.of("webhook.apis-json", "{\"orders\":{\"target\":\"partner\"},\"pay\":{\"credentialType\":\"API_KEY\"}}"));
        assertEquals(Optional.of("partner"), config.apis().get("orders").target());
        assertEquals(Optional.empty(), config.apis().get("pay").target());
        assertEquals(Optional.of("other"), mapped(Map.of(
                "webhook.apis-json", "{\"orders\":{\"target\":\"partner\"}}",
                "webhook.apis.\"orders\".target", "other")).apis().get("orders").target());
    }

    @Test
    void aPropertyForTheSameApiWinsOverTheJson() {
        WebhookConfig config = mapped(Map.of(
                "webhook.apis-json", "{\"orders\":{\"credentialType\":\"CLIENT_CREDENTIALS\",\"scopes\":[\"read\"]}}",
                "webhook.apis.\"orders\".scopes", "write"));
        assertEquals(Optional.of(List.of("write")), config.apis().get("orders").scopes());
        assertEquals(Optional.of("CLIENT_CREDENTIALS"), config.apis().get("orders").credentialType());
    }

    @Test
    void noJsonChangesNothing() {
        assertEquals(Map.of(), mapped(Map.of()).apis());
        assertEquals(Map.of(), mapped(Map.of("webhook.apis-json", " ")).apis());
    }

    @Test
    void aMistakeIsNamedAndNeverIgnored() {
        assertEquals("webhook.apis-json is not valid JSON (line 1, column 12)",
                assertThrows(IllegalArgumentException.class, () -> ApisJson.properties("{\"orders\":{")).getMessage());
        assertEquals("webhook.apis-json must be a JSON object keyed by API id",
                assertThrows(IllegalArgumentException.class, () -> ApisJson.properties("[]")).getMessage());
        assertEquals("webhook.apis-json.orders: unknown setting \"scope\" (known: credentialType, scopes, target, usagePlans)",
                assertThrows(IllegalArgumentException.class,
                        () -> ApisJson.properties("{\"orders\":{\"scope\":[\"read\"]}}")).getMessage());
        assertEquals("webhook.apis-json.orders.scopes must be non-empty strings without commas",
                assertThrows(IllegalArgumentException.class,
                        () -> ApisJson.properties("{\"orders\":{\"scopes\":[\"a,b\"]}}")).getMessage());
        assertEquals("webhook.apis-json.orders.target must be a target's name",
                assertThrows(IllegalArgumentException.class,
                        () -> ApisJson.properties("{\"orders\":{\"target\":\" \"}}")).getMessage());
        assertEquals("webhook.apis-json.orders.target must be a target's name",
                assertThrows(IllegalArgumentException.class,
                        () -> ApisJson.properties("{\"orders\":{\"target\":[\"partner\"]}}")).getMessage());
        assertEquals("webhook.apis-json.orders.scopes must be an array of strings",
                assertThrows(IllegalArgumentException.class,
                        () -> ApisJson.properties("{\"orders\":{\"scopes\":\"read\"}}")).getMessage());
    }
}
