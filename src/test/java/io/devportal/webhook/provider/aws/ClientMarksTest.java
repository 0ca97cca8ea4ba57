package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyed mark in an app client's name: made under webhook.aws.client-mark-key, it proves the
 * webhook made the client; a mark that does not verify proves nothing; an unmarked name keeps the
 * rule of before (a space and 10 hex digits at the end).
 */
class ClientMarksTest {
    static final String KEY = "0123456789abcdef0123456789abcdef-test-key";
    static final String OTHER_KEY = "another-key-of-at-least-thirty-two-characters";
    /** Cognito's ClientName: 1 to 128 characters of [\w\s+=,.@-]. */
    static final Pattern COGNITO_NAME = Pattern.compile("[\\w\\s+=,.@-]{1,128}");

    static ClientMarks marks(String key) {
        ClientMarks marks = new ClientMarks();
        marks.config = ConfigStub.of(WebhookConfig.class, key == null ? Map.of()
                : Map.of("aws", ConfigStub.of(WebhookConfig.Aws.class, Map.of("clientMarkKey", key))));
        return marks;
    }

    static UserPoolClientType client(String name) {
        return UserPoolClientType.builder().clientName(name).clientSecret("s")
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS).allowedOAuthFlowsUserPoolClient(true).build();
    }

    @Test
    void aNameMadeUnderTheKeyCarriesAMarkThatProvesIt() {
        String name = marks(KEY).name("Orders app", "app:orders", "op-1");
        assertTrue(ClientMarks.MARKED.matcher(name).find(), name);
        assertTrue(name.startsWith("Orders app k"), name);
        assertEquals(ClientNames.operationHash("op-1"), ClientNames.operationHashOf(name));
        assertEquals(ClientNames.appHash("app:orders"), ClientNames.appHashOf(name));
        assertTrue(marks(KEY).proves(client(name)));
    }

    @Test
    void aMarkThatDoesNotVerifyProvesNothing() {
        String name = marks(KEY).name("Orders app", "app:orders", "op-1");
        // made under another key, or forged by hand in the right shape
        assertFalse(marks(OTHER_KEY).proves(client(name)));
        String forged = "Orders app k0123456789abcdef0123 o" + ClientNames.operationHash("op-1") + " "
                + ClientNames.appHash("app:orders");
        assertFalse(marks(KEY).proves(client(forged)));
        // a mark cut from one client's name onto another app's hashes does not verify either
        String other = marks(KEY).name("Other", "app:other", "op-2");
        String swapped = name.substring(0, name.indexOf(" o")) + other.substring(other.indexOf(" o"));
        assertFalse(marks(KEY).proves(client(swapped)));
        // without the key configured (removed since), a marked name cannot be proved
        assertFalse(marks(null).proves(client(name)));
    }

    @Test
    void anUnmarkedNameKeepsTheRuleOfBeforeAndTheShapeIsStillRequired() {
        String legacy = ClientNames.name("Legacy app", "app:legacy", "op-3");
        assertTrue(marks(KEY).proves(client(legacy)));
        assertTrue(marks(null).proves(client(legacy)));
        assertTrue(marks(KEY).proves(client(ClientNames.name("Older", "app:older"))));
        assertFalse(marks(KEY).proves(client("Someone else's client")));
        assertFalse(marks(KEY).proves(client(marks(KEY).name("No secret", "app:x", "op")).toBuilder()
                .clientSecret(null).build()));
        assertFalse(marks(KEY).proves(client(marks(KEY).name("Code flow", "app:x", "op")).toBuilder()
                .allowedOAuthFlows(OAuthFlowType.CODE).build()));
    }

    @Test
    void withoutAKeyNewNamesAreUnmarkedAsBefore() {
        assertEquals(ClientNames.name("Orders app", "app:orders", "op-1"), marks(null).name("Orders app", "app:orders", "op-1"));
        assertNull(marks(null).mark("01234567", "0123456789"));
    }

    @Test
    void aMarkedNameStaysWithinCognitosLimitAndAlphabet() {
        String appName = "A very long app name \u00e9\u00e8 with <symbols> & \"quotes\" " + "x".repeat(200);
        String name = marks(KEY).name(appName, "app:long", "op-4");
        assertTrue(COGNITO_NAME.matcher(name).matches(), name);
        assertEquals(128, name.length());
        assertTrue(marks(KEY).proves(client(name)));
        // and the name an update gives keeps the operation marker and a verifying mark
        String renamed = marks(KEY).rename("Renamed", "app:long", name);
        assertEquals(ClientNames.operationHash("op-4"), ClientNames.operationHashOf(renamed));
        assertTrue(renamed.startsWith("Renamed k"), renamed);
        assertTrue(marks(KEY).proves(client(renamed)));
    }

    @Test
    void anUpdateWithoutTheKeyKeepsTheMarkTheClientHad() {
        String name = marks(KEY).name("Kept", "app:kept", "op-5");
        String renamed = marks(null).rename("Kept renamed", "app:kept", name);
        assertTrue(marks(KEY).proves(client(renamed)), renamed);
    }

    @Test
    void aKeyShorterThan32CharactersIsRefusedNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> marks("short").key());
        assertEquals("webhook.aws.client-mark-key must be at least 32 characters (e.g. openssl rand -hex 32)",
                e.getMessage());
    }
}
