package io.devportal.webhook.api;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.provisioning.CreateCommand;
import io.devportal.webhook.provisioning.RequestedApi;
import io.devportal.webhook.provisioning.RevokeCommand;
import io.devportal.webhook.provisioning.UpdateCommand;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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
 * app's identity is made of them (see {@link CreateCommand#appId()}). The body must be valid
 * UTF-8 and every string in it (values and field names, known or not) valid Unicode: no lone
 * surrogate, whether sent as raw bytes or as a {@code \\uD83D} escape.
 */
final class RequestParser {
    static final int MAX_APP_NAME = 256;
    static final int MIN_APP_NAME = 3;
    static final int MAX_EMAIL = 254;
    static final int MAX_ID = 128;
    static final int MAX_APIS = 100;
    static final int MAX_PLANS_PER_API = 50;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.][^@\\s]*\\.[^@\\s]*[^@\\s.]$");

    private RequestParser() {
    }

    static CreateCommand create(byte[] body) {
        JsonNode root = object(body);
        String appName = appName(root, true);
        String developer = developer(root, true);
        String appSlug = optionalString(root, "appSlug", MAX_ID);
        List<RequestedApi> apis = apis(root, true);
        return new CreateCommand(appSlug, appName, developer, apis);
    }

    static UpdateCommand update(byte[] body) {
        JsonNode root = object(body);
        Map.Entry<CredentialKind, String> credential = credential(root);
        return new UpdateCommand(credential.getKey(), credential.getValue(), appName(root, false),
                developer(root, false), apis(root, false));
    }

    static RevokeCommand revoke(byte[] body) {
        JsonNode root = object(body);
        Map.Entry<CredentialKind, String> credential = credential(root);
        return new RevokeCommand(credential.getKey(), credential.getValue());
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("request body is required: a JSON object");
        }
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw invalid("request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw invalid("request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("request body must be a JSON object");
        }
        checkUnicode(root, new ArrayDeque<>());
        return root;
    }

    /** The body as text, decoded strictly: malformed, overlong or surrogate byte sequences are refused. */
    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length); // UTF-8 never has fewer bytes than UTF-16 units
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw invalid(fieldAt(body, at) + " is not valid UTF-8 (byte offset " + at + ")");
        }
        return out.flip().toString();
    }

    /** Which field the byte at {@code offset} belongs to: the body before it is parsed, up to where it ends. */
    private static String fieldAt(byte[] body, int offset) {
        try (JsonParser parser = JSON.getFactory().createParser(body, 0, offset)) {
            try {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.VALUE_STRING) {
                        parser.getText();
                    }
                }
            } catch (JsonEOFException e) {
                if (e.getTokenBeingDecoded() == JsonToken.VALUE_STRING) {
                    return path(parser.getParsingContext());
                }
                if (e.getTokenBeingDecoded() == JsonToken.FIELD_NAME) {
                    JsonStreamContext object = parser.getParsingContext();
                    String parent = object.getParent() == null ? "" : path(object.getParent());
                    return parent.isEmpty() ? "a field name" : "a field name in " + parent;
                }
            }
        } catch (IOException e) {
            // not inside a string: the body as a whole is named
        }
        return "request body";
    }

    /** The field a parsing context is at, as messages name it: {@code apis[0].usagePlans[1].id}. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push(name(c.getCurrentName()));
            } else if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return join(parts);
    }

    private static String join(Iterable<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0 && !part.startsWith("[")) {
                out.append('.');
            }
            out.append(part);
        }
        return out.toString();
    }

    /** A field name as a message shows it: as is when plain, else quoted with anything unusual escaped. */
    private static String name(String raw) {
        if (PLAIN_NAME.matcher(raw).matches()) {
            return raw;
        }
        StringBuilder out = new StringBuilder("[\"");
        for (int i = 0; i < raw.length() && i < 64; i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.append(raw.length() > 64 ? "...\"]" : "\"]").toString();
    }

    /** Every field name and string value, at any depth, must be valid Unicode: no lone surrogate. */
    private static void checkUnicode(JsonNode node, Deque<String> at) {
        if (node.isTextual()) {
            int bad = loneSurrogate(node.textValue());
            if (bad >= 0) {
                throw invalid(join(at) + " is not valid Unicode: it contains a lone surrogate (U+"
                        + String.format("%04X", bad) + ")");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                at.addLast("[" + i + "]");
                checkUnicode(node.get(i), at);
                at.removeLast();
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                int bad = loneSurrogate(field.getKey());
                if (bad >= 0) {
                    String parent = join(at);
                    throw invalid((parent.isEmpty() ? "a field name" : "a field name in " + parent)
                            + " is not valid Unicode: it contains a lone surrogate (U+"
                            + String.format("%04X", bad) + ")");
                }
                at.addLast(name(field.getKey()));
                checkUnicode(field.getValue(), at);
                at.removeLast();
            }
        }
    }

    /** The first surrogate code unit that is not half of a pair, or -1. */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return c;
            }
        }
        return -1;
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
