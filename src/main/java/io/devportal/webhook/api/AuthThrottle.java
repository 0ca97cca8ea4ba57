package io.devportal.webhook.api;

import io.devportal.webhook.api.auth.Networks;
import io.devportal.webhook.api.auth.SlidingWindow;
import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing, with two rules.
 * <ul>
 * <li>Per address: when {@code webhook.auth.max-failures} wrong credentials come from one client
 * address ({@link io.devportal.webhook.api.auth.ClientAddress}) within any {@code failure-window} (a
 * sliding window: each failure counts for exactly that long after it happened), the address is
 * refused for {@code lockout}.</li>
 * <li>Per instance: when {@code webhook.auth.instance-max-failures} wrong credentials came from all
 * addresses together within the window, the failure budget is spent: until the oldest leaves the
 * window, a password that would need a slow (bcrypt) verification is refused without one
 * ({@link #budgetSpent}). Rotating addresses then buys no more slow hashes.</li>
 * </ul>
 * Only credentials that were sent and are wrong count: a request without an Authorization header (the
 * first half of the Basic challenge) does not. A success does not forgive earlier failures. At most
 * {@value #MAX_TRACKED} addresses are remembered (the one that failed least recently is forgotten first),
 * and each failure costs O(1).
 */
@ApplicationScoped
class AuthThrottle {
    static final int MAX_TRACKED = 10_000;

    private static final class Failures {
        final SlidingWindow window;
        Instant blockedUntil = Instant.MIN;

        Failures(int limit) {
            window = new SlidingWindow(limit);
        }
    }

    /** Access-ordered: the eldest entry is the address that failed (or was looked at) least recently. */
    private final Map<String, Failures> addresses = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    private SlidingWindow instance;

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    /** How long the address must still wait, or null when it may try. */
    synchronized Duration blocked(String address) {
        Failures f = addresses.get(Networks.clientNetwork(address));
        if (f == null) {
            return null;
        }
        Instant now = clock.instant();
        return now.isBefore(f.blockedUntil) ? Duration.between(now, f.blockedUntil) : null;
    }

    /**
     * How long until the instance's failure budget has room again, or null when it has room now.
     * While it is spent, no slow verification is started for credentials that do not match a
     * remembered or fast-hashed password.
     */
    synchronized Duration budgetSpent() {
        Instant now = clock.instant();
        Duration window = config.auth().failureWindow();
        if (!instance().full(now, window)) {
            return null;
        }
        Duration wait = Duration.between(now, instance().oldestExpiry(window));
        return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
    }

    /** Wrong credentials came from this address. */
    synchronized void failed(String address) {
        Instant now = clock.instant();
        Duration window = config.auth().failureWindow();
        instance().record(now, window);
        Failures f = addresses.computeIfAbsent(Networks.clientNetwork(address),
                a -> new Failures(config.auth().maxFailures()));
        if (f.window.record(now, window)) {
            f.blockedUntil = now.plus(config.auth().lockout());
            f.window.clear();
        }
    }

    /** How many addresses are remembered now (for tests of the bound). */
    synchronized int tracked() {
        return addresses.size();
    }

    private SlidingWindow instance() {
        if (instance == null) {
            instance = new SlidingWindow(config.auth().instanceMaxFailures());
        }
        return instance;
    }
}
