package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import io.devportal.webhook.support.LogCapture;
import org.junit.jupiter.api.Test;

import io.devportal.webhook.config.RunMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountsTest {
    // bcrypt of "rotated-password-2", cost 10
    static final String HASH = "$2b$10$cwqsxr3VOCG.xAqAZ0DR2OKoiNJ2d9xhkf5p/0Bywaj1FD8y9rf22";

    @Test
    void withNoAccountTheLocalProviderGetsAPasswordInAnOwnerOnlyFileWhosePathIsLoggedAndNothingIsPrinted(
            @TempDir Path tmp) throws Exception {
        LogCapture log = LogCapture.install();
        log.clear();
        Path dataDir = tmp.resolve("data");
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        Accounts accounts;
        try {
            accounts = new Accounts(ConfigStub.webhook(Map.of("provider", "local", "dataDir", dataDir.toString())),
                    RunMode.SERVICE);
        } finally {
            System.setOut(original);
        }
        Path file = dataDir.resolve("generated-portal-password");
        String password = Files.readString(file).strip();
        assertTrue(password.matches("[A-Za-z0-9_-]{32}"), "192 random bits, base64url: " + password);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("generated-portal-password"), listNames(dataDir), "no temporary file is left");
        assertTrue(accounts.verify("portal", password));
        assertFalse(accounts.verify("portal", password + "x"));
        assertEquals("", console.toString(), "nothing on stdout, a container's log stream");
        assertFalse(log.text().contains(password));
        assertTrue(log.text().contains("no webhook account is configured (WEBHOOK_USERNAME, WEBHOOK_PASSWORD): for "
                + "this run the user 'portal' has a generated password, in the owner-only file " + file), log.text());
    }

    @Test
    void withNoAccountTheAwsProviderAndLambdaRefuseToStartNamingTheVariables(@TempDir Path tmp) {
        IllegalStateException aws = assertThrows(IllegalStateException.class, () -> new Accounts(
                ConfigStub.webhook(Map.of("provider", "aws", "dataDir", tmp.toString())), RunMode.SERVICE));
        assertEquals("no webhook account is configured: set WEBHOOK_USERNAME and WEBHOOK_PASSWORD (or "
                + "WEBHOOK_PASSWORD_HASH); a generated password is only for the local provider outside Lambda "
                + "(here: webhook.provider=aws)", aws.getMessage());
        IllegalStateException lambda = assertThrows(IllegalStateException.class, () -> new Accounts(
                ConfigStub.webhook(Map.of("provider", "local", "dataDir", tmp.toString())), RunMode.LAMBDA));
        assertTrue(lambda.getMessage().endsWith("(here: webhook.provider=local, in Lambda)"), lambda.getMessage());
        assertEquals(List.of(), listNames(tmp), "no password file");
    }

    @Test
    void theCliNeedsNoAccountAndMakesNone(@TempDir Path tmp) {
        Accounts accounts = new Accounts(ConfigStub.webhook(Map.of("provider", "local", "dataDir", tmp.toString())),
                RunMode.CLI);
        assertFalse(accounts.verify("portal", ""));
        assertEquals(List.of(), listNames(tmp));
    }

    private static List<String> listNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void plaintextAndBcryptAccountsBothVerifyAndNothingElseDoes() {
        WebhookConfig.Account next = ConfigStub.of(WebhookConfig.Account.class,
                Map.of("username", "portal", "passwordHash", HASH));
        Accounts accounts = new Accounts(ConfigStub.webhook(Map.of("username", "portal", "password", "old-pw",
                "accounts", Map.of("next", next))));
        assertTrue(accounts.verify("portal", "old-pw"));
        assertTrue(accounts.verify("portal", "rotated-password-2"));
        assertTrue(accounts.verify("portal", "rotated-password-2"), "the remembered digest verifies again");
        assertFalse(accounts.verify("portal", "rotated-password-3"));
        assertFalse(accounts.verify("other", "old-pw"));
        assertFalse(accounts.verify("portal", ""));
    }

    @Test
    void inconsistentAccountsStopTheService() {
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> new Accounts(ConfigStub.webhook(
                Map.of("username", "portal", "password", "pw", "passwordHash", HASH))));
        assertEquals("webhook: set exactly one of password and password-hash", both.getMessage());
        IllegalStateException noUser = assertThrows(IllegalStateException.class,
                () -> new Accounts(ConfigStub.webhook(Map.of("password", "pw"))));
        assertEquals("webhook.username is required when a password is set", noUser.getMessage());
        IllegalStateException badHash = assertThrows(IllegalStateException.class, () -> new Accounts(
                ConfigStub.webhook(Map.of("username", "portal", "passwordHash", "md5:abc"))));
        assertEquals("webhook.password-hash is neither a sha256$<salt>$<digest> hash (java -jar devportal-webhook.jar "
                + "hash-password --generate) nor a bcrypt hash ($2b$12$...)", badHash.getMessage());
    }
}
