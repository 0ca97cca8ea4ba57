package io.devportal.webhook.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * What the admin CLI ({@link RunMode#CLI}) always is, whatever the environment it shares with the
 * service says ({@code WEBHOOK_SWEEPER_EVERY=30s}, {@code QUARKUS_HTTP_HOST_ENABLED}...): no
 * listener, neither the portal's port nor the management interface; logs on stderr, so that stdout
 * carries only the result; no scheduled sweeper. Above every other source. Its log level, which an
 * operator may raise, is in application.properties ({@code %cli.quarkus.log.*}).
 */
public class CliOverrides implements ConfigSourceFactory {
    static final Map<String, String> FIXED = Map.of(
            "quarkus.http.host-enabled", "false",
            "quarkus.management.host-enabled", "false",
            "quarkus.log.console.stderr", "true",
            "webhook.sweeper.every", "off");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains(RunMode.CLI_PROFILE)) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(FIXED, "webhook-cli-overrides", 1000));
    }
}
