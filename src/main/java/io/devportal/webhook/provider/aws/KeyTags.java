package io.devportal.webhook.provider.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** What an API key's tags can hold: API Gateway's tag alphabet, and the exact app id split over tags. */
final class KeyTags {
    /**
     * The exact app id, base64url of its UTF-8 (no padding), 256 characters a tag: this tag, then
     * {@code devportal-webhook:app-id:2} up to {@code :4}. An app id longer than that (over 768 bytes)
     * is not tagged: a restore adopts such a key without its app identity.
     */
    static final String TAG_APP_ID = "devportal-webhook:app-id";
    static final int APP_ID_TAGS = 4;
    /** API Gateway's tag alphabet is [a-zA-Z+-=._:/] (digits fall in the +-= range); anything else becomes _. */
    private static final Pattern TAG_UNSAFE = Pattern.compile("[^A-Za-z0-9+\\-=._:/]");
    private static final int MAX_TAG_VALUE = 256;

    private KeyTags() {
    }

    /** The tags that carry the exact app id ({@link #TAG_APP_ID}); none when it is too long for them. */
    static Map<String, String> appIdTags(String appId) {
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(appId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> tags = new LinkedHashMap<>();
        if (encoded.length() > MAX_TAG_VALUE * APP_ID_TAGS) {
            return tags;
        }
        for (int at = 0, part = 1; at < encoded.length(); at += MAX_TAG_VALUE, part++) {
            tags.put(part == 1 ? TAG_APP_ID : TAG_APP_ID + ":" + part,
                    encoded.substring(at, Math.min(encoded.length(), at + MAX_TAG_VALUE)));
        }
        return tags;
    }

    /** The exact app id from {@link #appIdTags}, or null when the key has none (or they do not decode). */
    static String appIdOf(Map<String, String> tags) {
        if (tags == null || tags.get(TAG_APP_ID) == null) {
            return null;
        }
        StringBuilder encoded = new StringBuilder(tags.get(TAG_APP_ID));
        for (int part = 2; part <= APP_ID_TAGS && tags.get(TAG_APP_ID + ":" + part) != null; part++) {
            encoded.append(tags.get(TAG_APP_ID + ":" + part));
        }
        try {
            return new String(java.util.Base64.getUrlDecoder().decode(encoded.toString()),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String tagValue(String value) {
        String safe = TAG_UNSAFE.matcher(value.replace('\n', ' ')).replaceAll("_");
        return safe.length() <= MAX_TAG_VALUE ? safe : safe.substring(0, MAX_TAG_VALUE);
    }
}
