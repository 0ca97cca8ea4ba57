package io.devportal.webhook.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 2 of issue 20: the work for a wrong password does not depend on whether the username exists,
 * also while two accounts share the username during a password change. Bench-style: medians of
 * interleaved runs compared as a ratio with generous bounds, never an absolute time.
 */
class ConstantWorkTest {
    private static final int COST = 8;

    private static String bcrypt(String password) {
        return new String(BCrypt.withDefaults().hash(COST, password.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    private static Accounts accounts(Map<String, WebhookConfig.Account> more, String primaryHash) {
        return new Accounts(ConfigStub.webhook(Map.of("username", "portal", "passwordHash", primaryHash,
                "accounts", more, "provider", "local")), RunMode.SERVICE);
    }

    private static WebhookConfig.Account account(String user, String hash) {
        return ConfigStub.of(WebhookConfig.Account.class, Map.of("username", user, "passwordHash", Optional.of(hash)));
    }

    /** Median nanoseconds of a wrong password for each username, measured interleaved. */
    private static double ratio(Accounts accounts, String known, String unknown) {
        int rounds = 15;
        long[] real = new long[rounds];
        long[] other = new long[rounds];
        for (int i = -3; i < rounds; i++) { // three rounds of warm-up
            long t0 = System.nanoTime();
            assertNull(accounts.match(known, "wrong-" + i));
            long t1 = System.nanoTime();
            assertNull(accounts.match(unknown, "wrong-" + i));
            long t2 = System.nanoTime();
            if (i >= 0) {
                real[i] = t1 - t0;
                other[i] = t2 - t1;
            }
        }
        Arrays.sort(real);
        Arrays.sort(other);
        return (double) other[rounds / 2] / real[rounds / 2];
    }

    @Test
    void aWrongPasswordCostsTheSameForTheRealUsernameAndAnUnknownOne() {
        Accounts accounts = accounts(Map.of(), bcrypt("the-password"));
        double r = ratio(accounts, "portal", "no-such-user");
        assertTrue(r > 0.6 && r < 1.6, "unknown/real username time ratio " + r + " (a bcrypt for both)");
    }

    @Test
    void twoAccountsSharingTheUsernameDuringAPasswordChangeCostTheSameAsAnUnknownUsername() {
        Accounts accounts = accounts(Map.of("next", account("portal", bcrypt("the-new-password"))),
                bcrypt("the-old-password"));
        double r = ratio(accounts, "portal", "no-such-user");
        assertTrue(r > 0.6 && r < 1.6, "unknown/real username time ratio " + r + " (two bcrypts for both)");
        assertEquals("next", accounts.match("portal", "the-new-password"));
        assertEquals(Accounts.PRIMARY_LABEL, accounts.match("portal", "the-old-password"));
    }

    @Test
    void aPasswordOverBcryptsLimitRunsNoBcryptAndMatchesNothing() {
        String long73 = "p".repeat(73);
        // what htpasswd -B makes of a 73-byte password: bcrypt of its first 72 bytes
        Accounts accounts = accounts(Map.of(), bcrypt(long73.substring(0, 72)));
        assertNull(accounts.match("portal", long73), "bcrypt would see only 72 of its bytes, and match");
        assertEquals(Accounts.PRIMARY_LABEL, accounts.match("portal", long73.substring(0, 72)));
        assertNull(accounts.match("portal", "p".repeat(10_000)));
    }
}
