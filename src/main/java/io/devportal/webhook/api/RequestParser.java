package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.provisioning.CreateCommand;
import io.devportal.webhook.provisioning.RequestedApi;
import io.devportal.webhook.provisioning.RevokeCommand;
import io.devportal.webhook.provisioning.UpdateCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the portal's request bodies: lenient about what it may add (unknown fields, a missing
 * {@code credentialType}), strict about what the webhook relies on. Every rejection names the
 * field and says why.
 *
 * <p>Values are taken exactly as sent: nothing is trimmed, replaced or normalised, because the
 * app's identity is made of them (see {@link CreateCommand#appId()}). The body itself (a JSON
 * object, valid UTF-8 and valid Unicode) is read by {@link JsonBody}.
 */
final class RequestParser {
    static final int MAX_APP_NAME = 256;
    static final int MIN_APP_NAME = 3;
    static final int MAX_EMAIL = 254;
    static final int MAX_ID = 128;
    static final int MAX_APIS = 100;
    static final int MAX_PLANS_PER_API = 50;

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.][^@\\s]*\\.[^@\\s]*[^@\\s.]$");

    private RequestParser() {
    }

    static CreateCommand create(byte[] body) {
        JsonNode root = JsonBody.object(body);
        String appName = appName(root, true);
        String developer = developer(root, true);
        String appSlug = optionalString(root, "appSlug", MAX_ID);
        List<RequestedApi> apis = apis(root, true);
        return new CreateCommand(appSlug, appName, developer, apis);
    }

    static UpdateCommand update(byte[] body) {
        JsonNode root = JsonBody.object(body);
        Map.Entry<CredentialKind, String> credential = credential(root);
        optionalString(root, "appSlug", MAX_ID); // not used by an update (the app is the credential's), checked as create does
        return new UpdateCommand(credential.getKey(), credential.getValue(), appName(root, false),
                developer(root, false), apis(root, false));
    }

    static RevokeCommand revoke(byte[] body) {
        JsonNode root = JsonBody.object(body);
        Map.Entry<CredentialKind, String> credential = credential(root);
        return new RevokeCommand(credential.getKey(), credential.getValue());
    }

    private static String appName(JsonNode root, boolean required) {
        String name = string(root, "appName", required, MAX_APP_NAME);
        if (name != null && name.codePointCount(0, name.length()) < MIN_APP_NAME) {
            throw invalid("appName must be " + MIN_APP_NAME + " to " + MAX_APP_NAME + " characters long");
        }
        return name;
    }

    private static String developer(JsonNode root, boolean required) {
        String developer = string(root, "developer", required, MAX_EMAIL);
        if (developer != null && !EMAIL.matcher(developer).matches()) {
            throw invalid("developer must be the developer's e-mail address, such as name@example.com");
        }
        return developer;
    }

    /** Which credential an update or revoke is about: {@code credentialType}, else inferred from the id sent. */
    private static Map.Entry<CredentialKind, String> credential(JsonNode root) {
        String type = optionalString(root, "credentialType", 32);
        String apiKeyId = optionalString(root, "apiKeyId", MAX_ID);
        String clientId = optionalString(root, "clientId", MAX_ID);
        if (type != null) {
            CredentialKind kind;
            try {
                kind = CredentialKind.valueOf(type);
            } catch (IllegalArgumentException e) {
                throw invalid("credentialType must be API_KEY or CLIENT_CREDENTIALS");
            }
            String id = kind == CredentialKind.API_KEY ? apiKeyId : clientId;
            if (id == null) {
                throw invalid((kind == CredentialKind.API_KEY ? "apiKeyId" : "clientId")
                        + " is required when credentialType is " + kind);
            }
            return Map.entry(kind, id);
        }
        if (clientId != null) {
            return Map.entry(CredentialKind.CLIENT_CREDENTIALS, clientId);
        }
        if (apiKeyId != null) {
            return Map.entry(CredentialKind.API_KEY, apiKeyId);
        }
        throw invalid("apiKeyId or clientId is required: the id of the credential create returned");
    }

    private static List<RequestedApi> apis(JsonNode root, boolean required) {
        JsonNode apis = root.get("apis");
        if (apis == null || apis.isNull()) {
            if (required) {
                throw invalid(apis == null ? "apis is required: a list of objects with an id"
                        : "apis must not be null: a list of objects with an id");
            }
            return null;
        }
        if (!apis.isArray()) {
            throw invalid("apis must be a list of objects with an id, not " + typeName(apis));
        }
        if (required && apis.isEmpty()) {
            throw invalid("apis must name at least one API");
        }
        if (apis.size() > MAX_APIS) {
            throw invalid("apis has " + apis.size() + " entries; at most " + MAX_APIS + " are accepted");
        }
        Map<String, Set<String>> merged = new LinkedHashMap<>();
        for (int i = 0; i < apis.size(); i++) {
            String field = "apis[" + i + "]";
            JsonNode api = apis.get(i);
            if (!api.isObject()) {
                throw invalid(field + " must be an object with an id, not " + typeName(api));
            }
            String id = string(api, "id", true, MAX_ID, field + ".id");
            Set<String> plans = merged.computeIfAbsent(id, k -> new LinkedHashSet<>());
            JsonNode usagePlans = api.get("usagePlans");
            if (usagePlans == null || usagePlans.isNull()) {
                continue;
            }
            if (!usagePlans.isArray()) {
                throw invalid(field + ".usagePlans must be a list of objects with an id, not " + typeName(usagePlans));
            }
            if (usagePlans.size() > MAX_PLANS_PER_API) {
                throw invalid(field + ".usagePlans has " + usagePlans.size() + " entries; at most "
                        + MAX_PLANS_PER_API + " are accepted");
            }
            for (int j = 0; j < usagePlans.size(); j++) {
                String planField = field + ".usagePlans[" + j + "]";
                JsonNode plan = usagePlans.get(j);
                if (!plan.isObject()) {
                    throw invalid(planField + " must be an object with an id, not " + typeName(plan));
                }
                plans.add(string(plan, "id", true, MAX_ID, planField + ".id"));
            }
        }
        List<RequestedApi> result = new ArrayList<>();
        merged.forEach((id, plans) -> result.add(new RequestedApi(id, List.copyOf(plans))));
        return result;
    }

    private static String optionalString(JsonNode node, String name, int max) {
        return string(node, name, false, max, name);
    }

    private static String string(JsonNode node, String name, boolean required, int max) {
        return string(node, name, required, max, name);
    }

    /**
     * A string field: absent or null is an error only when required; present, it must be a real
     * value, taken exactly as sent (not trimmed: " a" and "a" are different values).
     */
    private static String string(JsonNode node, String name, boolean required, int max, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(field + (value == null ? " is required" : " must not be null"));
            }
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string, not " + typeName(value));
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw invalid(field + " must not be empty");
        }
        if (text.codePointCount(0, text.length()) > max) {
            throw invalid(field + " is too long: at most " + max + " characters");
        }
        if (CONTROL.matcher(text).find()) {
            throw invalid(field + " must not contain control characters");
        }
        return text;
    }

    private static String typeName(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static WebhookException invalid(String message) {
        return new WebhookException(WebhookException.Kind.INVALID_REQUEST, message);
    }
}
