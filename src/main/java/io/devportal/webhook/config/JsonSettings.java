package io.devportal.webhook.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings given as one JSON value (for deployments that set only environment variables), turned
 * into the properties they stand for, in a source below properties and environment variables
 * (ordinal 200), so that a property set for the same thing wins.
 */
abstract class JsonSettings implements ConfigSourceFactory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String property;
    private final String sourceName;
    private final Function<String, Map<String, String>> properties;

    JsonSettings(String property, String sourceName, Function<String, Map<String, String>> properties) {
        this.property = property;
        this.sourceName = sourceName;
        this.properties = properties;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(property);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(properties.apply(value.getValue()), sourceName, 200));
    }

    /** The JSON object in {@code json}; an IllegalArgumentException naming what is wrong otherwise. */
    static JsonNode object(String property, String json, String keyedBy) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(property + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(property + " must be a JSON object keyed by " + keyedBy);
        }
        return root;
    }
}
