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
import io.devportal.webhook.provider.WebhookException;

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
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request body as one JSON object, read strictly: valid UTF-8 (malformed, overlong or surrogate
 * byte sequences are refused), one JSON value and nothing after it, and every string in it (values
 * and field names, known or not) valid Unicode: no lone surrogate, whether sent as raw bytes or as a
 * {@code \\uD83D} escape. Every refusal names where it is ({@code apis[0].usagePlans[1].id}) without
 * echoing what was sent. What the fields mean: {@link RequestParser}.
 */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");

    private JsonBody() {
    }

    static JsonNode object(byte[] body) {
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

    private static WebhookException invalid(String message) {
        return new WebhookException(WebhookException.Kind.INVALID_REQUEST, message);
    }
}
