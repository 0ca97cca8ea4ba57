package io.devportal.webhook.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Targets in one value, for deployments that set only environment variables (the SAM template's
 * {@code Targets} parameter): {@code webhook.targets-json} (env {@code WEBHOOK_TARGETS_JSON}) holds
 * {@code {"<name>": {"region": "sa-east-1", "roleArn": "...", "externalId": "...", "userPoolId": "...",
 * "cognitoDomain": "...", "apis": ["<apiId>", ...]}}}, which this factory turns into
 * {@code webhook.targets."<name>".*}. A property or environment variable set for the same target wins.
 */
public class TargetsJson extends JsonSettings {
    static final String PROPERTY = "webhook.targets-json";
    private static final Map<String, String> FIELDS = Map.of("region", "region", "roleArn", "role-arn",
            "externalId", "external-id", "userPoolId", "user-pool-id", "cognitoDomain", "cognito-domain");

    public TargetsJson() {
        super(PROPERTY, "webhook-targets-json", TargetsJson::properties);
    }

    /** The properties the JSON stands for; an IllegalArgumentException naming what is wrong otherwise. */
    static Map<String, String> properties(String json) {
        JsonNode root = object(PROPERTY, json, "target name");
        Map<String, String> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> target = it.next();
            String name = target.getKey();
            if (!Targets.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(PROPERTY + ": target name \"" + name + "\" must match "
                        + Targets.NAME.pattern());
            }
            if (!target.getValue().isObject()) {
                throw new IllegalArgumentException(PROPERTY + "." + name + " must be an object");
            }
            String prefix = "webhook.targets.\"" + name + "\".";
            int before = props.size();
            for (Iterator<Map.Entry<String, JsonNode>> f = target.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                JsonNode v = field.getValue();
                if (field.getKey().equals("apis")) {
                    props.put(prefix + "apis", String.join(",", apis(name, v)));
                } else if (FIELDS.containsKey(field.getKey())) {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        throw new IllegalArgumentException(PROPERTY + "." + name + "." + field.getKey()
                                + " must be a non-empty string");
                    }
                    props.put(prefix + FIELDS.get(field.getKey()), v.asText());
                } else {
                    throw new IllegalArgumentException(PROPERTY + "." + name + ": unknown setting \"" + field.getKey()
                            + "\" (known: region, roleArn, externalId, userPoolId, cognitoDomain, apis)");
                }
            }
            if (props.entrySet().stream().skip(before).allMatch(e -> e.getValue().isEmpty())) {
                // no property would name it: the target would vanish without a word
                throw new IllegalArgumentException(PROPERTY + "." + name + " sets nothing: a target needs at least its region");
            }
        }
        return props;
    }

    private static List<String> apis(String name, JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(PROPERTY + "." + name + ".apis must be an array of API ids");
        }
        List<String> apis = new ArrayList<>();
        for (JsonNode api : v) {
            if (!api.isTextual() || api.asText().isBlank() || api.asText().contains(",")) {
                throw new IllegalArgumentException(PROPERTY + "." + name + ".apis must be non-empty API ids");
            }
            apis.add(api.asText());
        }
        return apis;
    }
}
