package io.devportal.webhook.api;

import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.support.ConfigStub;
import io.devportal.webhook.support.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item 3 of issue 20: start-up (and check-config, through the same rule) warn about a bcrypt hash below cost 10. */
class WeakBcryptWarningTest {
    /** htpasswd -B's default cost, 5 (of "rotated-password-2"). */
    private static final String COST_5 = "$2y$05$nAwpGtm3LbCnPhvpSyEr2.bJzVmNYvYejY9me/b41qfvoC/54gGRK";
    private static final String COST_10 = "$2b$10$cwqsxr3VOCG.xAqAZ0DR2OKoiNJ2d9xhkf5p/0Bywaj1FD8y9rf22";

    @Test
    void aHashBelowCost10IsWarnedAboutAtStartAndByTheRuleCheckConfigUses() {
        WebhookConfig config = ConfigStub.webhook(Map.of("username", "portal", "passwordHash", COST_5,
                "accounts", Map.of("next", ConfigStub.of(WebhookConfig.Account.class,
                        Map.of("username", "portal", "passwordHash", Optional.of(COST_10)))), "provider", "local"));
        String expected = "webhook.password-hash is a bcrypt hash of cost 5, below 10: a stolen hash is cheap to "
                + "crack; prefer a generated password with a sha256$ hash (hash-password --generate), or bcrypt cost 12";
        assertEquals(List.of(expected), Accounts.weakHashes(config));
        LogCapture log = LogCapture.install();
        log.clear();
        new Accounts(config, RunMode.SERVICE);
        assertTrue(log.text().contains(expected), log.text());
    }
}
