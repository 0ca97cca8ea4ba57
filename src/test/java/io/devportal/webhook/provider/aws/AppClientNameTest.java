package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provisioning.CreateCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Cognito client's name folds the app name for display, but its suffix is a hash of the exact
 * identity: apps that differ only in what the display folds still get different names.
 */
class AppClientNameTest {

    private static String appId(String appName, String developer) {
        return new CreateCommand(null, appName, developer, List.of()).appId();
    }

    @Test
    void lookAlikeDevelopersGetDifferentClientNames() {
        String kim = ClientNames.name("Kim app", appId("Kim app", "kim@example.com"));
        String kelvin = ClientNames.name("Kim app", appId("Kim app", "\u212Aim@example.com"));
        assertNotEquals(kim, kelvin);
        assertEquals(kim.substring(0, kim.lastIndexOf(' ')), kelvin.substring(0, kelvin.lastIndexOf(' ')));
    }

    @Test
    void namesThatFoldAlikeForDisplayGetDifferentClientNames() {
        String kelvinName = ClientNames.name("\u212Aelvin", appId("\u212Aelvin", "k@example.com"));
        String asciiName = ClientNames.name("Kelvin", appId("Kelvin", "k@example.com"));
        assertTrue(kelvinName.startsWith("Kelvin "), kelvinName);
        assertTrue(asciiName.startsWith("Kelvin "), asciiName);
        assertNotEquals(kelvinName, asciiName);
        assertNotEquals(ClientNames.name("Caf\u00e9", appId("Caf\u00e9", "c@example.com")),
                ClientNames.name("Cafe\u0301", appId("Cafe\u0301", "c@example.com")));
    }

    @Test
    void anAsciiCaseRetryOfTheEmailGetsTheSameClientName() {
        assertEquals(ClientNames.name("Retry", appId("Retry", "kim@example.com")),
                ClientNames.name("Retry", appId("Retry", "KIM@Example.COM")));
    }
}
