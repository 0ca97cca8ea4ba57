package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 10 of issue 20: hostile Authorization headers (any length up to the header limit, any bytes but
 * the line ends, garbled base64, long passwords for real usernames, repeated headers, odd schemes) to
 * every path and method of the contract and to paths outside it, with a fixed seed, against the
 * documented default account (a generated password, sha256$ hash) and a bcrypt account for the same
 * user, with the lockout on at its defaults. The main fuzz run (FuzzContractTest, schemathesis) needs
 * the lockout off to reach its stateful phase; this smaller run keeps it on. No answer is a 5xx, and
 * every error is in the contract's shape.
 */
@QuarkusTest
@TestProfile(HostileAuthFuzzTest.Profile.class)
class HostileAuthFuzzTest {
    private static final long SEED = 20261207L;
    private static final int REQUESTS = 1_200;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class Profile extends EdgeProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return plus("webhook-hostile");
        }
    }

    /** Every path and method of openapi.yaml, read from the file itself. */
    static List<String[]> operations() throws Exception {
        List<String[]> ops = new ArrayList<>();
        String path = null;
        for (String line : Files.readAllLines(Path.of("src/main/resources/META-INF/openapi.yaml"))) {
            Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
            Matcher m = Pattern.compile("^    (get|post|put|delete|patch|head|options):\\s*$").matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (line.matches("^\\S.*")) {
                path = null;
            } else if (path != null && m.matches()) {
                ops.add(new String[] {m.group(1).toUpperCase(), path});
            }
        }
        return ops;
    }

    @Test
    void noHostileAuthorizationHeaderGetsA5xxOrAnAnswerOutsideTheContract() throws Exception {
        List<String[]> declared = operations();
        assertEquals(4, declared.size(), "the contract's operations");
        List<String[]> targets = new ArrayList<>(declared);
        for (String[] op : declared) {
            targets.add(new String[] {"PUT", op[1]});
            targets.add(new String[] {"OPTIONS", op[1]});
        }
        targets.add(new String[] {"GET", "/v1/nowhere"});
        targets.add(new String[] {"POST", "/"});
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Set<String> reached = new TreeSet<>();
        String address = EdgeProfile.freshAddress();
        for (int i = 0; i < REQUESTS; i++) {
            if (i % 15 == 0) {
                address = EdgeProfile.freshAddress(); // ten failures lock it; the rest of its run meets the lockout
            }
            String[] target = targets.get(i % targets.size());
            List<byte[]> authorization = authorization(random);
            RawHttp.Answer answer = RawHttp.send(request(target[0], target[1], address, authorization), null);
            statuses.merge(answer.status(), 1, Integer::sum);
            reached.add(target[0] + " " + target[1]);
            String what = "request " + i + " " + target[0] + " " + target[1] + " -> " + answer.raw();
            assertTrue(answer.status() >= 200 && answer.status() < 500, what);
            if (answer.status() >= 400) {
                assertEquals("application/json", answer.header("Content-Type"), what);
                JsonNode body = JSON.readTree(answer.body());
                assertEquals(Set.of("message", "code", "requestId"), fieldNames(body), what);
                assertTrue(body.get("message").isTextual() && body.get("code").isTextual(), what);
                assertEquals(answer.header("X-Request-Id"), body.get("requestId").asText(), what);
            }
        }
        System.out.println("hostile Authorization headers: " + REQUESTS + " requests, statuses " + statuses);
        assertEquals(targets.size(), reached.size(), "every target was reached");
        for (int status : new int[] {401, 429}) {
            assertTrue(statuses.containsKey(status), "no " + status + " among " + statuses);
        }
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "the right passwords still work: " + statuses);
    }

    private static Set<String> fieldNames(JsonNode body) {
        Set<String> names = new TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] request(String method, String path, String address, List<byte[]> authorization) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "X-Forwarded-For: 203.0.113.77, " + address + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] value : authorization) {
            out.writeBytes("Authorization: ".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(value);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                .getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** One or more Authorization values, any bytes but CR and LF, at most 15,000 bytes each. */
    private static List<byte[]> authorization(Random random) {
        int kind = random.nextInt(10);
        return switch (kind) {
            case 0 -> List.of(randomBytes(random, length(random)));
            case 1 -> List.of(ascii("Basic " + Base64.getEncoder().encodeToString(randomBytes(random, length(random) / 2))));
            case 2, 3 -> List.of(ascii(scheme(random) + " " + Base64.getEncoder().encodeToString(
                    (username(random) + ":" + password(random)).getBytes(StandardCharsets.UTF_8))));
            case 4 -> List.of(ascii(EdgeProfile.basic(username(random), password(random))),
                    ascii(EdgeProfile.basic(EdgeProfile.USER, EdgeProfile.PASSWORD)));
            case 5 -> List.of(ascii(scheme(random) + " " + Base64.getEncoder().encodeToString(
                    (username(random) + password(random)).getBytes(StandardCharsets.UTF_8)))); // no colon
            case 6 -> List.of(ascii(EdgeProfile.basic(EdgeProfile.USER, EdgeProfile.PASSWORD)));
            case 7 -> List.of(ascii(EdgeProfile.basic(EdgeProfile.USER, EdgeProfile.BCRYPT_PASSWORD)));
            case 8 -> List.of(ascii(EdgeProfile.basic(EdgeProfile.USER, "x".repeat(73 + random.nextInt(9_000)))));
            default -> List.of();
        };
    }

    private static int length(Random random) {
        return random.nextInt(4) == 0 ? random.nextInt(15_000) : random.nextInt(200);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        return bytes;
    }

    private static String scheme(Random random) {
        String[] schemes = {"Basic", "basic", "BASIC", "bAsIc", "Bearer", "Digest", "Basic\t", "Basic  ", ""};
        return schemes[random.nextInt(schemes.length)];
    }

    private static String username(Random random) {
        String[] users = {EdgeProfile.USER, EdgeProfile.COLON_USER, "", "admin", "portal\u0000", "p\u00f6rt\u00e4l"};
        return users[random.nextInt(users.length)];
    }

    private static String password(Random random) {
        int length = random.nextInt(3) == 0 ? random.nextInt(4_000) : random.nextInt(80);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2F00) : 0x20 + random.nextInt(0x5F));
        }
        return s.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
