package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.api.auth.SaltedSha256;
import io.devportal.webhook.cli.Cli;
import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.support.ConfigStub;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item 4 of issue 20: the fast sha256$ hash of a generated machine password, and the command that makes both. */
class FastHashTest {
    private static final String BCRYPT_10 = "$2b$10$cwqsxr3VOCG.xAqAZ0DR2OKoiNJ2d9xhkf5p/0Bywaj1FD8y9rf22";

    private static Accounts accounts(String key, String value) {
        return new Accounts(ConfigStub.webhook(Map.of("username", "portal", key, value, "provider", "local")),
                RunMode.SERVICE);
    }

    @Test
    void theCommandGeneratesA256BitPasswordAndAHashThatVerifiesIt() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(CommandLine.defaultFactory(), new PrintWriter(out), new PrintWriter(err),
                "hash-password", "--generate", "--json");
        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        String password = json.get("password").asText();
        String hash = json.get("hash").asText();
        assertTrue(password.matches("[A-Za-z0-9_-]{43}"), "256 random bits, base64url: " + password);
        assertTrue(hash.matches("sha256\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}"), hash);
        Accounts accounts = accounts("passwordHash", hash);
        assertEquals(Accounts.PRIMARY_LABEL, accounts.match("portal", password));
        assertNull(accounts.match("portal", password.substring(1)));
        assertNull(accounts.match("other", password));
        assertFalse(accounts.needsSlow(), "a fast hash never needs a slow verification");
        assertNotEquals(hash, SaltedSha256.hash(password), "a new salt each time");

        StringWriter text = new StringWriter();
        assertEquals(0, Cli.execute(CommandLine.defaultFactory(), new PrintWriter(text), new PrintWriter(err),
                "hash-password", "--generate"));
        assertTrue(text.toString().matches("password: [A-Za-z0-9_-]{43}\\Rhash: sha256\\$\\S+\\R"), text.toString());
    }

    @Test
    void aHashThatIsNeitherFormatStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> accounts("passwordHash", "sha256$short$hash"));
        assertEquals("webhook.password-hash is neither a sha256$<salt>$<digest> hash (java -jar devportal-webhook.jar "
                + "hash-password --generate) nor a bcrypt hash ($2b$12$...)", e.getMessage());
    }

    /**
     * The first verification after a start: the fast hash against a plaintext account (the 1.2x bound of the
     * bench, bench/lambda-cold-start.sh, with a generous margin here) and against bcrypt (far slower).
     */
    @Test
    void theFirstVerificationWithTheFastHashCostsAboutWhatAPlaintextOneDoes() {
        String password = SaltedSha256.generatePassword();
        String hash = SaltedSha256.hash(password);
        int rounds = 301;
        long[] fast = new long[rounds];
        long[] plain = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Accounts f = accounts("passwordHash", hash);
            Accounts p = accounts("password", password);
            long t0 = System.nanoTime();
            assertEquals(Accounts.PRIMARY_LABEL, f.match("portal", password));
            long t1 = System.nanoTime();
            assertEquals(Accounts.PRIMARY_LABEL, p.match("portal", password));
            long t2 = System.nanoTime();
            fast[i] = t1 - t0;
            plain[i] = t2 - t1;
        }
        Arrays.sort(fast);
        Arrays.sort(plain);
        double ratio = (double) fast[rounds / 2] / plain[rounds / 2];
        assertTrue(ratio < 4, "fast hash / plaintext first verification: " + ratio);
        Accounts b = accounts("passwordHash", BCRYPT_10);
        long t0 = System.nanoTime();
        assertEquals(Accounts.PRIMARY_LABEL, b.match("portal", "rotated-password-2"));
        long bcrypt = System.nanoTime() - t0;
        assertTrue(bcrypt > 50 * fast[rounds / 2], "bcrypt cost 10 " + bcrypt + " ns vs fast " + fast[rounds / 2]);
    }
}
