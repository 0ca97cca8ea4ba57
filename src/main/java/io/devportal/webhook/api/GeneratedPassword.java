package io.devportal.webhook.api;

import io.devportal.webhook.config.DataDirectory;
import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The portal password of the embedded default only (the local provider, outside Lambda) when no
 * account is configured: 192 random bits, written to an owner-only file under the data directory,
 * whose path is logged (never the password: a container's stdout is its log stream). With the AWS
 * provider, or in Lambda, no account is a start-up failure that names the variables.
 */
final class GeneratedPassword {
    private static final Logger LOG = Logger.getLogger(GeneratedPassword.class);
    static final String USERNAME = "portal";
    static final String FILE = "generated-portal-password";

    private GeneratedPassword() {
    }

    static String create(WebhookConfig config, RunMode mode) {
        boolean local = "local".equals(config.provider().toLowerCase(Locale.ROOT));
        if (!local || mode == RunMode.LAMBDA) {
            throw new IllegalStateException("no webhook account is configured: set WEBHOOK_USERNAME and "
                    + "WEBHOOK_PASSWORD (or WEBHOOK_PASSWORD_HASH); a generated password is only for the local "
                    + "provider outside Lambda (here: webhook.provider=" + config.provider()
                    + (mode == RunMode.LAMBDA ? ", in Lambda)" : ")"));
        }
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path file = Path.of(config.dataDir()).resolve(FILE).toAbsolutePath().normalize();
        try {
            DataDirectory.writePrivate(file, password + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("no webhook account is configured and the generated password cannot be "
                    + "written to " + file + " (" + e.getClass().getSimpleName() + "): make the data directory "
                    + "writable, or set WEBHOOK_USERNAME and WEBHOOK_PASSWORD");
        }
        LOG.warnf("no webhook account is configured (WEBHOOK_USERNAME, WEBHOOK_PASSWORD): for this run the user '%s' "
                + "has a generated password, in the owner-only file %s", USERNAME, file);
        return password;
    }
}
