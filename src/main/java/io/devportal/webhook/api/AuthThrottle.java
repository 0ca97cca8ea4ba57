package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing. The rule: when {@code webhook.auth.max-failures} wrong credentials
 * come from one client address within any {@code failure-window} (a sliding window: each failure
 * counts for exactly that long after it happened), the address is refused for {@code lockout}.
 * Only credentials that were sent and are wrong count: a request without an Authorization header
 * (the first half of the Basic challenge) does not. A success does not forgive earlier failures,
 * so interleaving right and wrong passwords does not reset the count.
 */
@ApplicationScoped
class AuthThrottle {
    private static final int MAX_TRACKED = 10_000;

    private static final class Failures {
        /** When each failure still in the window happened, oldest first; never longer than max-failures. */
        final Deque<Instant> times = new ArrayDeque<>();
        Instant blockedUntil = Instant.MIN;
    }

    private final Map<String, Failures> addresses = new ConcurrentHashMap<>();

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    /** How long the address must still wait, or null when it may try. */
    Duration blocked(String address) {
        Failures f = addresses.get(address);
        if (f == null) {
            return null;
        }
        synchronized (f) {
            Instant now = clock.instant();
            return now.isBefore(f.blockedUntil) ? Duration.between(now, f.blockedUntil) : null;
        }
    }

    /** Wrong credentials came from this address. */
    void failed(String address) {
        Instant now = clock.instant();
        if (addresses.size() >= MAX_TRACKED) {
            evictExpired(now);
        }
        Failures f = addresses.computeIfAbsent(address, a -> new Failures());
        synchronized (f) {
            forgetOld(f, now);
            f.times.addLast(now);
            if (f.times.size() >= config.auth().maxFailures()) {
                f.blockedUntil = now.plus(config.auth().lockout());
                f.times.clear();
            }
        }
    }

    private void forgetOld(Failures f, Instant now) {
        Instant oldestCounted = now.minus(config.auth().failureWindow());
        while (!f.times.isEmpty() && !f.times.peekFirst().isAfter(oldestCounted)) {
            f.times.removeFirst();
        }
    }

    private void evictExpired(Instant now) {
        addresses.entrySet().removeIf(e -> {
            Failures f = e.getValue();
            synchronized (f) {
                forgetOld(f, now);
                return f.times.isEmpty() && !now.isBefore(f.blockedUntil);
            }
        });
    }
}
