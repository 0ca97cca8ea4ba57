package io.devportal.webhook.provider.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The names the webhook gives Cognito app clients, and what a name tells: Cognito's 1-128 characters
 * of [\w\s+=,.@-], the app's name, a {@link ClientMarks} mark when one is configured, the marker of
 * the operation that created the client, and the app's hash at the end ({@link AppClients} makes,
 * finds and adopts clients by them).
 */
final class ClientNames {
    private static final int MAX_NAME = 128;
    /** The end of every name this webhook gives a client: a space and 10 hex digits (see {@link #name(String, String, String)}). */
    static final Pattern NAME_MARKER = Pattern.compile(" [0-9a-f]{10}$");
    /** The operation marker before the app's hash in names given since: " o" and 8 hex digits (after a {@link ClientMarks} mark). */
    static final Pattern OPERATION_MARKER = Pattern.compile("(?: k[0-9a-f]{20})? o([0-9a-f]{8}) ([0-9a-f]{10})$");
    private static final Pattern NOT_ALLOWED_IN_NAME = Pattern.compile("[^\\w\\s+=,.@-]");

    private ClientNames() {
    }

    /**
     * The name a client got before names carried an operation marker: Cognito's 1-128 characters of
     * [\w\s+=,.@-], the app's name then a space and 10 hex digits of the app's hash.
     */
    static String name(String appName, String appId) {
        return compose(appName, appHash(appId), null, null);
    }

    /**
     * The name the webhook gives a client: up to 107 characters of the app's name (Cognito's
     * alphabet), {@code " o"} and 8 hex digits of the hash of the operation that created it (its
     * operation marker, kept by every later update), a space and 10 hex digits of the app's hash.
     * Unique per app and per creating operation; the end still matches the webhook's name marker.
     */
    static String name(String appName, String appId, String operationId) {
        return compose(appName, appHash(appId), operationId == null ? null : operationHash(operationId), null);
    }

    /** The app's name cut to fit, then {@code " k<mark>"} (a {@link ClientMarks} mark, when given), the operation marker and the app hash. */
    static String compose(String appName, String appHash, String operationHash, String mark) {
        String ascii = Normalizer.normalize(appName, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String safe = NOT_ALLOWED_IN_NAME.matcher(ascii).replaceAll("_").strip();
        String suffix = (mark == null ? "" : " k" + mark) + (operationHash == null ? "" : " o" + operationHash)
                + " " + appHash;
        int room = MAX_NAME - suffix.length();
        if (safe.length() > room) {
            safe = safe.substring(0, room);
        }
        return (safe.isEmpty() ? "app" : safe) + suffix;
    }

    /** 10 hex digits of the app's identity, the end of every client name. */
    static String appHash(String appId) {
        return hex(appId, 5);
    }

    /** 8 hex digits of an operation id: the operation marker of a client name. */
    static String operationHash(String operationId) {
        return hex(operationId, 4);
    }

    /** The operation marker of a client name, or null for a name without one. */
    static String operationHashOf(String clientName) {
        var m = clientName == null ? null : OPERATION_MARKER.matcher(clientName);
        return m != null && m.find() ? m.group(1) : null;
    }

    /** The app hash at the end of a client name, or null. */
    static String appHashOf(String clientName) {
        var m = clientName == null ? null : NAME_MARKER.matcher(clientName);
        return m != null && m.find() ? m.group().substring(1) : null;
    }

    private static String hex(String value, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
