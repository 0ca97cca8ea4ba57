package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Data retention ({@code webhook.retention.personal-data}): erases the developer's e-mail and the
 * app's name from credentials that ended longer ago than the setting, and from their audit
 * records. The sweeper runs it, at most once an hour per instance (it lists the ended credentials).
 */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final Duration EVERY = Duration.ofHours(1);

    @Inject
    Ledger ledger;

    @Inject
    WebhookConfig config;

    private Instant lastRun;

    /** Erases what is due, unless it ran less than an hour ago; returns how many credentials it erased. */
    synchronized int applyIfDue(Instant now) {
        if (lastRun != null && now.isBefore(lastRun.plus(EVERY))) {
            return 0;
        }
        int erased = apply(now);
        lastRun = now;
        return erased;
    }

    /** Erases the personal data of every credential that ended before {@code now} less the setting. */
    public int apply(Instant now) {
        Optional<Duration> keep = config.retention().personalData();
        if (keep.isEmpty()) {
            return 0;
        }
        Instant cutoff = now.minus(keep.get());
        int erased = 0;
        for (CredentialRecord.Status ended : new CredentialRecord.Status[] {CredentialRecord.Status.REVOKED,
                CredentialRecord.Status.ROLLED_BACK}) {
            for (CredentialRecord r : ledger.list(new CredentialQuery(null, null, ended, null, 0))) {
                Instant end = ended == CredentialRecord.Status.REVOKED ? r.revokedAt() : r.updatedAt();
                if (end != null && end.isBefore(cutoff) && !Ledger.ERASED.equals(r.developer())) {
                    ledger.erasePersonalData(r);
                    erased++;
                }
            }
        }
        if (erased > 0) {
            LOG.infof("retention: erased the app name and developer of %d credentials that ended before %s",
                    erased, cutoff);
        }
        return erased;
    }
}
