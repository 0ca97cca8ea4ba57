package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code webhook.auth.max-failures} failed attempts from one
 * client address within {@code failure-window}, that address is refused for {@code lockout}.
 */
@ApplicationScoped
class AuthThrottle {
    private static final int MAX_TRACKED = 10_000;

    private static final class Window {
        Instant start;
        int failures;
        Instant blockedUntil = Instant.MIN;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    /** How long the address must still wait, or null when it may try. */
    Duration blocked(String address) {
        Window w = windows.get(address);
        if (w == null) {
            return null;
        }
        synchronized (w) {
            Instant now = clock.instant();
            return now.isBefore(w.blockedUntil) ? Duration.between(now, w.blockedUntil) : null;
        }
    }

    void failed(String address) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_TRACKED) {
            evictExpired(now);
        }
        Window w = windows.computeIfAbsent(address, a -> new Window(now));
        synchronized (w) {
            if (now.isAfter(w.start.plus(config.auth().failureWindow()))) {
                w.start = now;
                w.failures = 0;
            }
            w.failures++;
            if (w.failures >= config.auth().maxFailures()) {
                w.blockedUntil = now.plus(config.auth().lockout());
                w.failures = 0;
                w.start = w.blockedUntil;
            }
        }
    }

    void succeeded(String address) {
        windows.remove(address);
    }

    private void evictExpired(Instant now) {
        Duration keep = config.auth().failureWindow().plus(config.auth().lockout());
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now.isAfter(e.getValue().start.plus(keep)) && now.isAfter(e.getValue().blockedUntil);
            }
        });
    }
}
