package io.devportal.webhook.api.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Authorization: Basic} header read as RFC 7617 says, for any bytes a caller may send:
 * nothing here throws. The scheme is case-insensitive; the credentials are base64 of
 * {@code user:password} in UTF-8, split at the first colon (a username has none; a password may).
 * Bytes that are not UTF-8 are not credentials anyone has.
 */
public record BasicCredentials(String username, String password, String problem) {

    /** Never the password: a record's own toString would print it. */
    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + ", password=***, problem=" + problem + "]";
    }

    public static final String MISSING = "authentication required: send Authorization: Basic";

    /** Read from every {@code Authorization} header value of the request (null or empty: none). */
    public static BasicCredentials read(List<String> headers) {
        if (headers == null || headers.isEmpty() || headers.stream().allMatch(h -> h == null || h.isBlank())) {
            return refused(MISSING);
        }
        if (headers.size() > 1) {
            return refused("send one Authorization header, not " + headers.size());
        }
        String trimmed = headers.get(0).strip();
        if (trimmed.length() < 6 || !trimmed.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return refused("Authorization must use the Basic scheme");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(trimmed.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return refused("Authorization: Basic credentials are not valid base64");
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return refused("Authorization: Basic credentials must be UTF-8");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return refused("Authorization: Basic credentials must be username:password");
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1), null);
    }

    private static BasicCredentials refused(String problem) {
        return new BasicCredentials(null, null, problem);
    }

    /** Whether a header was sent at all (a request without is the challenge's first half, not a guess). */
    public boolean sent() {
        return !MISSING.equals(problem);
    }

    public boolean readable() {
        return problem == null;
    }
}
