package io.devportal.webhook.metrics;

import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gauges read from the ledger: active credentials by type, and operations still in progress past
 * whose lease has expired (left by a crash, or an undo that keeps failing). A reading is kept for
 * {@code webhook.metrics.gauge-cache} so that a scrape does not query the ledger each time.
 */
@ApplicationScoped
public class LedgerGauges {
    private static final Logger LOG = Logger.getLogger(LedgerGauges.class);
    static final List<String> TYPES = List.of("API_KEY", "CLIENT_CREDENTIALS", "HYBRID");

    @Inject
    Ledger ledger;

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    @Inject
    EmbeddedMetricFormat emf;

    private Reading reading;

    /** One reading of the ledger. */
    record Reading(Instant at, Map<String, Long> activeByType, long staleOperations) {
    }

    void register(@Observes StartupEvent start, MeterRegistry registry) {
        for (String type : TYPES) {
            Gauge.builder(Metrics.ACTIVE_CREDENTIALS, () -> current().activeByType().getOrDefault(type, 0L))
                    .tag("type", type).description("credentials active in the ledger").register(registry);
        }
        Gauge.builder(Metrics.STALE_OPERATIONS, () -> current().staleOperations())
                .description("operations in progress whose lease has expired").register(registry);
    }

    /** The cached reading, refreshed when older than the cache period; NaN-free: a failed read keeps the last. */
    synchronized Reading current() {
        Instant now = clock.instant();
        refresh(now);
        return reading != null ? reading : new Reading(now, Map.of(), 0);
    }

    /**
     * Reads the ledger when the reading is older than the cache period. A side effect: while priming
     * a read would see the priming's table (answered in the process), so nothing is read or kept.
     */
    @SideEffect
    synchronized void refresh(Instant now) {
        if (reading == null || !reading.at().plus(config.metrics().gaugeCache()).isAfter(now)) {
            try {
                reading = read(now);
            } catch (RuntimeException e) {
                LOG.warnf("metrics: the ledger could not be read for the gauges: %s", e.getMessage());
                if (reading == null) {
                    reading = new Reading(now, Map.of(), 0);
                }
            }
        }
    }

    /** Writes the gauges as embedded metrics (Lambda: after each scheduled sweep). */
    public void publish() {
        if (!emf.enabled()) {
            return;
        }
        Reading r = current();
        for (String type : TYPES) {
            emf.gauge(Metrics.ACTIVE_CREDENTIALS, r.activeByType().getOrDefault(type, 0L), Map.of("type", type));
        }
        emf.gauge(Metrics.STALE_OPERATIONS, r.staleOperations(), Map.of());
    }

    private Reading read(Instant now) {
        Map<String, Long> active = new HashMap<>();
        for (CredentialRecord record : ledger.list(new CredentialQuery(null, null, CredentialRecord.Status.ACTIVE,
                null, Integer.MAX_VALUE))) {
            active.merge(Metrics.type(record.kind(), record.hybrid()), 1L, Long::sum);
        }
        long stale = ledger.staleOperations(now).size();
        return new Reading(now, Map.copyOf(active), stale);
    }
}
