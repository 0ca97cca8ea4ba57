package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.SharedCache;
import io.devportal.webhook.priming.SideEffect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one place where answers AWS changes rarely (a usage plan: its stages and tags; a resource
 * server's scopes) are reused instead of read again from the account's small control-plane budget.
 * An answer is reused for at most {@code webhook.aws.cache-ttl} after it was read from AWS (0: never
 * reused), whichever instance read it: it is kept in the ledger ({@link SharedCache}, where a read
 * costs no control-plane budget, so a burst of cold Lambda containers shares it) and, in front of
 * that, in this process. Only answers that a thing exists are kept: "no such plan" is always asked
 * again. A failure of the ledger's cache is never the request's failure: AWS is asked instead.
 * While priming (SnapStart) nothing is kept or forgotten in the ledger: both are {@link SideEffect}s.
 */
@ApplicationScoped
class RareReads {
    private static final Logger LOG = Logger.getLogger(RareReads.class);

    @Inject
    SharedCache shared;

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    @Inject
    PlaceResolver where;

    private final Map<String, SharedCache.Entry> local = new ConcurrentHashMap<>();

    /**
     * The value under {@code key} while it is younger than the configured limit, else what
     * {@code read} gets from AWS (kept when present). {@code read} answers empty for "AWS has no
     * such thing", which is not kept.
     */
    Optional<String> get(String key, Supplier<Optional<String>> read) {
        if (cacheOff()) {
            return read.get();
        }
        Instant now = clock.instant();
        SharedCache.Entry kept = keptEntry(key, now);
        if (kept != null) {
            return Optional.of(kept.value());
        }
        Optional<String> answer = read.get();
        answer.ifPresent(value -> keep(key, new SharedCache.Entry(value, now)));
        return answer;
    }

    /**
     * Whether a fresh answer is kept under {@code key}, here or in the ledger (then it is kept here
     * too), without asking AWS: an operation counts the reads it will have to make before it
     * reserves its calls.
     */
    boolean known(String key) {
        return !cacheOff() && keptEntry(key, clock.instant()) != null;
    }

    private boolean cacheOff() {
        Duration ttl = config.aws().cacheTtl();
        return ttl.isZero() || ttl.isNegative();
    }

    /** The fresh entry under {@code key}: this process's, else the ledger's (then kept here too); null when none. */
    private SharedCache.Entry keptEntry(String key, Instant now) {
        Duration ttl = config.aws().cacheTtl();
        SharedCache.Entry mine = local.get(key);
        if (fresh(mine, now, ttl)) {
            return mine;
        }
        SharedCache.Entry theirs = sharedEntry(key);
        if (fresh(theirs, now, ttl)) {
            local.put(key, theirs);
            return theirs;
        }
        return null;
    }

    /** Forgets the answer under {@code key} here and in the ledger: AWS just said it is no longer true. */
    void forget(String key) {
        local.remove(key);
        forgetShared(key);
    }

    @SideEffect
    void forgetShared(String key) {
        try {
            shared.remove(key);
        } catch (RuntimeException e) {
            LOG.warnf("could not forget %s in the ledger's cache (%s); it expires by itself", key, e.getMessage());
        }
    }

    /** Forgets what this process holds (what a new instance starts with); the ledger's entries stay. */
    void dropLocal() {
        local.clear();
    }

    private static boolean fresh(SharedCache.Entry entry, Instant now, Duration ttl) {
        if (entry == null) {
            return false;
        }
        // stored by an instance whose clock is ahead: fresh only as far ahead as the limit
        Duration age = Duration.between(entry.storedAt(), now).abs();
        return age.compareTo(ttl) < 0;
    }

    /**
     * The account and Region of a target ({@link PlaceResolver}), for keys: a thing's id means
     * something only there. "unknown" while the account cannot be known (priming).
     */
    String place(AwsTarget t) {
        String account = where.account(t);
        return (account == null ? "unknown" : account) + "/" + t.region();
    }

    private SharedCache.Entry sharedEntry(String key) {
        try {
            return shared.get(key).orElse(null);
        } catch (RuntimeException e) {
            LOG.warnf("could not read %s from the ledger's cache (%s); asking AWS", key, e.getMessage());
            return null;
        }
    }

    /** Keeps an answer here and in the ledger: a side effect (a primed answer is made up). */
    @SideEffect
    void keep(String key, SharedCache.Entry entry) {
        local.put(key, entry);
        try {
            shared.put(key, entry.value(), entry.storedAt());
        } catch (RuntimeException e) {
            LOG.warnf("could not keep %s in the ledger's cache (%s)", key, e.getMessage());
        }
    }
}
