package io.devportal.webhook.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-API settings in one value, for deployments that set only environment variables (the SAM
 * template's {@code ApiSettings} parameter): {@code webhook.apis-json} (env {@code WEBHOOK_APIS_JSON})
 * holds {@code {"<apiId>": {"credentialType": "CLIENT_CREDENTIALS", "scopes": ["read", "orders/write"]}}},
 * which this factory turns into {@code webhook.apis."<apiId>".credential-type} and {@code .scopes}.
 * API ids keep their case (unlike map keys in environment variables). A property or environment
 * variable set for the same API wins over the JSON (this source's ordinal is below both).
 */
public class ApisJson extends JsonSettings {
    static final String PROPERTY = "webhook.apis-json";

    public ApisJson() {
        super(PROPERTY, "webhook-apis-json", ApisJson::properties);
    }

    /** The properties the JSON stands for; an IllegalArgumentException naming what is wrong otherwise. */
    static Map<String, String> properties(String json) {
        JsonNode root = object(PROPERTY, json, "API id");
        Map<String, String> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> api = it.next();
            String id = api.getKey();
            if (id.isEmpty() || id.contains("\"")) {
                throw new IllegalArgumentException(PROPERTY + ": an API id must be non-empty and without '\"'");
            }
            JsonNode settings = api.getValue();
            if (!settings.isObject()) {
                throw new IllegalArgumentException(PROPERTY + "." + id + " must be an object");
            }
            String prefix = "webhook.apis.\"" + id + "\".";
            for (Iterator<String> names = settings.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode v = settings.get(name);
                switch (name) {
                    case "credentialType" -> {
                        if (!v.isTextual()) {
                            throw new IllegalArgumentException(PROPERTY + "." + id + ".credentialType must be a string");
                        }
                        props.put(prefix + "credential-type", v.asText());
                    }
                    case "target" -> {
                        if (!v.isTextual() || v.asText().isBlank()) {
                            throw new IllegalArgumentException(PROPERTY + "." + id + ".target must be a target's name");
                        }
                        props.put(prefix + "target", v.asText());
                    }
                    case "scopes" -> {
                        if (!v.isArray()) {
                            throw new IllegalArgumentException(PROPERTY + "." + id + ".scopes must be an array of strings");
                        }
                        List<String> scopes = new ArrayList<>();
                        for (JsonNode s : v) {
                            if (!s.isTextual() || s.asText().isBlank() || s.asText().contains(",")) {
                                throw new IllegalArgumentException(PROPERTY + "." + id
                                        + ".scopes must be non-empty strings without commas");
                            }
                            scopes.add(s.asText());
                        }
                        if (!scopes.isEmpty()) {
                            props.put(prefix + "scopes", String.join(",", scopes));
                        }
                    }
                    case "usagePlans" -> {
                        if (!v.isArray() || v.isEmpty()) {
                            throw new IllegalArgumentException(PROPERTY + "." + id
                                    + ".usagePlans must be a non-empty array of usage plan ids");
                        }
                        List<String> plans = new ArrayList<>();
                        for (JsonNode plan : v) {
                            if (!plan.isTextual() || plan.asText().isBlank() || plan.asText().contains(",")) {
                                throw new IllegalArgumentException(PROPERTY + "." + id
                                        + ".usagePlans must be usage plan ids (non-empty strings without commas)");
                            }
                            plans.add(plan.asText().strip());
                        }
                        props.put(prefix + "usage-plans", String.join(",", plans));
                    }
                    default -> throw new IllegalArgumentException(PROPERTY + "." + id + ": unknown setting \"" + name
                            + "\" (known: credentialType, scopes, target, usagePlans)");
                }
            }
        }
        return props;
    }
}
