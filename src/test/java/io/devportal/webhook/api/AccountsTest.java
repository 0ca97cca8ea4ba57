package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import io.devportal.webhook.support.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountsTest {
    // bcrypt of "rotated-password-2", cost 10
    static final String HASH = "$2b$10$cwqsxr3VOCG.xAqAZ0DR2OKoiNJ2d9xhkf5p/0Bywaj1FD8y9rf22";

    @Test
    void withNoAccountAStrongPasswordIsGeneratedAndPrintedOnceOnTheConsoleNotTheLog() {
        LogCapture log = LogCapture.install();
        log.clear();
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        Accounts accounts;
        try {
            accounts = new Accounts(ConfigStub.webhook(Map.of()));
        } finally {
            System.setOut(original);
        }
        Matcher m = Pattern.compile("username 'portal', password: ([A-Za-z0-9_-]+)").matcher(console.toString());
        assertTrue(m.find(), console.toString());
        String password = m.group(1);
        assertEquals(32, password.length(), "192 random bits, base64url");
        assertTrue(accounts.verify("portal", password));
        assertFalse(accounts.verify("portal", password + "x"));
        assertFalse(log.text().contains(password));
        assertTrue(log.text().contains("no webhook account configured"));
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
        assertEquals("webhook.password-hash is not a bcrypt hash ($2b$12$...)", badHash.getMessage());
    }
}
