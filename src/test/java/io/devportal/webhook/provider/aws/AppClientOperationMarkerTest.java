package io.devportal.webhook.provider.aws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operation marker in client names: parseable, within Cognito's 128 characters, still the inventory's marker. */
class AppClientOperationMarkerTest {

    @Test
    void aLongNameKeepsBothMarkersWithin128CharactersAndStaysInTheInventory() {
        String name = ClientNames.name("x".repeat(300), "app:long", "op-1");
        assertEquals(128, name.length());
        assertTrue(AwsInventory.CLIENT_NAME_MARKER.matcher(name).matches(), name);
        assertEquals(ClientNames.operationHash("op-1"), ClientNames.operationHashOf(name));
        assertEquals(ClientNames.appHash("app:long"), ClientNames.appHashOf(name));
    }

    @Test
    void twoOperationsOfOneAppGetTwoNamesAndALegacyNameHasNoOperationMarker() {
        assertNotEquals(ClientNames.name("Kim app", "app:kim", "op-1"), ClientNames.name("Kim app", "app:kim", "op-2"));
        String legacy = ClientNames.name("Kim app", "app:kim");
        assertNull(ClientNames.operationHashOf(legacy));
        assertEquals(ClientNames.appHash("app:kim"), ClientNames.appHashOf(legacy));
    }
}
