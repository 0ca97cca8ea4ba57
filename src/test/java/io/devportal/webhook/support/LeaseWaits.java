package io.devportal.webhook.support;

import io.devportal.webhook.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Observes that a request is waiting for a credential's lease (the runner counts each request that
 * waits, {@link Metrics#LEASE_WAITS}), so that a test releases the holder only once the wait is
 * real. Take it before the waiting request starts; {@link #await} fails when the wait never happens.
 */
public final class LeaseWaits {
    private final MeterRegistry registry;
    private final double before;

    private LeaseWaits(MeterRegistry registry) {
        this.registry = registry;
        this.before = count(registry);
    }

    public static LeaseWaits from(MeterRegistry registry) {
        return new LeaseWaits(registry);
    }

    /** Returns once one more request than at {@link #from} has begun to wait for a lease. */
    public void await() throws InterruptedException {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (count(registry) <= before) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("no request waited for the lease");
            }
            Thread.sleep(5);
        }
    }

    /** How many requests have begun to wait for a lease since {@link #from}. */
    public double waitedSince() {
        return count(registry) - before;
    }

    private static double count(MeterRegistry registry) {
        return registry.find(Metrics.LEASE_WAITS).counters().stream().mapToDouble(Counter::count).sum();
    }
}
