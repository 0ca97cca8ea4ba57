package io.devportal.webhook.api.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts events within a sliding window (each event counts for exactly {@code window} after it
 * happened) up to a limit, in a ring of {@code limit} instants: fixed memory, O(1) per event
 * (amortised over the expiries). Not thread-safe: the owner synchronises.
 */
public final class SlidingWindow {
    private final Instant[] ring;
    private int start;
    private int size;

    public SlidingWindow(int limit) {
        this.ring = new Instant[Math.max(1, limit)];
    }

    /** Records an event; true when the window now holds {@code limit} events. */
    public boolean record(Instant now, Duration window) {
        expire(now, window);
        if (size == ring.length) {
            // full already: the oldest makes room (it would be the next to expire anyway)
            start = (start + 1) % ring.length;
            size--;
        }
        ring[(start + size) % ring.length] = now;
        size++;
        return size == ring.length;
    }

    /** Whether {@code limit} events are within the window now. */
    public boolean full(Instant now, Duration window) {
        expire(now, window);
        return size == ring.length;
    }

    /** When the oldest counted event leaves the window (null when empty). */
    public Instant oldestExpiry(Duration window) {
        return size == 0 ? null : ring[start].plus(window);
    }

    public boolean isEmpty(Instant now, Duration window) {
        expire(now, window);
        return size == 0;
    }

    public void clear() {
        size = 0;
        start = 0;
    }

    private void expire(Instant now, Duration window) {
        Instant oldestCounted = now.minus(window);
        while (size > 0 && !ring[start].isAfter(oldestCounted)) {
            ring[start] = null;
            start = (start + 1) % ring.length;
            size--;
        }
    }
}
