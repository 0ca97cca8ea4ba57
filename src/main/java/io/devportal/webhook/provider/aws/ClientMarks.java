package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proof that the webhook made a Cognito app client (which takes no tags): a keyed mark in its
 * name, {@code " k"} and 20 hex digits (80 bits) of an HMAC-SHA256, under
 * {@code webhook.aws.client-mark-key}, of the name's operation and app hashes, just before them:
 * {@code <app name> k<mark> o<operation hash> <app hash>}. Nobody without the key can give a
 * client a mark that verifies, and a hand-made name carries one by chance with odds of 2^-80.
 *
 * <p>A client the ledger does not know is deleted (revoke, {@code reconcile --delete-orphans}) or
 * adopted only when {@link #proves} says the webhook made it: a mark that verifies under the key;
 * or, for a name with no mark at all (clients made before marks, or while no key is configured),
 * the rule of before: the name ends in a space and 10 hex digits. Either way the client must have
 * the webhook's shape (a secret, only the client_credentials flow). A mark that does not verify
 * (another key, a key no longer configured, a forgery) proves nothing.</p>
 */
@ApplicationScoped
class ClientMarks {
    /** The shortest key accepted: 32 characters. */
    static final int MIN_KEY_LENGTH = 32;
    private static final int MARK_BYTES = 10;
    /** A mark with the operation and app hashes that follow it (the end of a marked name). */
    static final Pattern MARKED = Pattern.compile(" k([0-9a-f]{20}) o([0-9a-f]{8}) ([0-9a-f]{10})$");
    /** The end of every name the webhook gives a client, marked or not. */
    private static final Pattern NAME_MARKER = Pattern.compile(" [0-9a-f]{10}$");

    @Inject
    WebhookConfig config;

    /** A key set too short stops the start with a message naming the setting; an unset key is fine. */
    void check(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        key();
    }

    /** The configured key; an IllegalStateException naming the setting when it is too short. */
    Optional<byte[]> key() {
        Optional<String> key = config.aws().clientMarkKey().map(String::strip).filter(k -> !k.isEmpty());
        if (key.isPresent() && key.get().length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("webhook.aws.client-mark-key must be at least " + MIN_KEY_LENGTH
                    + " characters (e.g. openssl rand -hex 32)");
        }
        return key.map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    /** The mark of a name with these hashes, or null without a key (the name then carries none). */
    String mark(String operationHash, String appHash) {
        return key().map(k -> hmac(k, operationHash, appHash)).orElse(null);
    }

    /**
     * The name for a new client: marked when a key is configured and the client has an operation
     * marker ({@link ClientNames#name(String, String, String)}).
     */
    String name(String appName, String appId, String operationId) {
        String appHash = ClientNames.appHash(appId);
        String operationHash = operationId == null ? null : ClientNames.operationHash(operationId);
        return ClientNames.compose(appName, appHash, operationHash,
                operationHash == null ? null : mark(operationHash, appHash));
    }

    /**
     * The name an update gives a client that is named {@code current}: the new app name, the same
     * operation marker, and a mark (a fresh one under the key; without a key, the mark it had).
     */
    String rename(String appName, String appId, String current) {
        String appHash = ClientNames.appHash(appId);
        String operationHash = ClientNames.operationHashOf(current);
        if (operationHash == null) {
            return ClientNames.compose(appName, appHash, null, null);
        }
        String mark = mark(operationHash, appHash);
        if (mark == null && current != null) {
            Matcher had = MARKED.matcher(current);
            mark = had.find() && had.group(3).equals(appHash) ? had.group(1) : null;
        }
        return ClientNames.compose(appName, appHash, operationHash, mark);
    }

    /** Whether the client is provably the webhook's: its shape, and a mark that verifies (or the old rule, unmarked). */
    boolean proves(UserPoolClientType client) {
        return shaped(client) && proves(client.clientName());
    }

    /** The name half of {@link #proves(UserPoolClientType)}. */
    boolean proves(String name) {
        if (name == null) {
            return false;
        }
        Matcher marked = MARKED.matcher(name);
        if (marked.find()) {
            Optional<byte[]> key = key();
            return key.isPresent() && MessageDigest.isEqual(
                    hmac(key.get(), marked.group(2), marked.group(3)).getBytes(StandardCharsets.US_ASCII),
                    marked.group(1).getBytes(StandardCharsets.US_ASCII));
        }
        return NAME_MARKER.matcher(name).find();
    }

    /** The webhook's shape: a secret, and only the client_credentials flow. */
    static boolean shaped(UserPoolClientType client) {
        return client.clientSecret() != null
                && List.of(OAuthFlowType.CLIENT_CREDENTIALS).equals(client.allowedOAuthFlows())
                && Boolean.TRUE.equals(client.allowedOAuthFlowsUserPoolClient());
    }

    private static String hmac(byte[] key, String operationHash, String appHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(("devportal-webhook app client " + operationHash + " " + appHash)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, MARK_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
