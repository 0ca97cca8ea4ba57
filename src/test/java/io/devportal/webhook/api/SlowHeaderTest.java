package io.devportal.webhook.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A client that sends half a header and stops is disconnected after the idle timeout (2 s here). */
@QuarkusTest
@TestProfile(SlowHeaderTest.ShortIdleTimeout.class)
class SlowHeaderTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2s",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-slow;DB_CLOSE_DELAY=-1");
        }
    }

    private static long secondsUntilClosed(String sent) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                int first = in.read();
                assertEquals(-1, first, "the server answered a request it never fully received");
            } catch (SocketTimeoutException e) {
                fail("the connection was still open after 15 s");
            } catch (java.io.IOException reset) {
                // closed by a reset: closed all the same
            }
            return (System.nanoTime() - start) / 1_000_000_000L;
        }
    }

    @Test
    void halfAHeaderIsDisconnectedWithinTheIdleTimeout() throws Exception {
        long seconds = secondsUntilClosed("GET /v1/health HTTP/1.1\r\nHost: localhost\r\nAuthor");
        assertTrue(seconds <= 5, "closed after " + seconds + " s, the idle timeout is 2 s");
    }

    @Test
    void aConnectionThatSendsNothingIsDisconnectedWithinTheIdleTimeout() throws Exception {
        long seconds = secondsUntilClosed("");
        assertTrue(seconds <= 5, "closed after " + seconds + " s, the idle timeout is 2 s");
    }
}
