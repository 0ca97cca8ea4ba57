package io.devportal.webhook.support;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Exactly these bytes on a socket to the service under test, and the answer as it came. */
public final class RawHttp {
    public static final String AUTH = "Authorization: Basic "
            + Base64.getEncoder().encodeToString((Api.USER + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));

    private RawHttp() {
    }

    /** A parsed answer: status, headers (lower-case names) and body. */
    public record Answer(int status, Map<String, String> headers, String body, String raw) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends the request, then reads until the server closes the connection (or 20 s). */
    public static Answer send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    /** The head, then the body written in pieces; a write failure (the server closed early) is fine. */
    public static Answer send(byte[] head, byte[][] bodyParts) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            if (bodyParts != null) {
                try {
                    for (byte[] part : bodyParts) {
                        out.write(part);
                    }
                    out.flush();
                } catch (IOException closedEarly) {
                    // the server answered and closed before reading it all
                }
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; got so far: "
                    + all.toString(StandardCharsets.UTF_8));
        } catch (IOException reset) {
            // a reset after the answer: keep what came
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String raw = new String(bytes, StandardCharsets.UTF_8);
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP answer: [" + raw + "]");
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Answer(status, headers, raw.substring(end + 4), raw);
    }
}
