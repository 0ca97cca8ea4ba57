package io.devportal.webhook.support;

import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JDBC ledger with one latch between two reads, for a race inside an operation that the provider's
 * points cannot reach: {@link #parkAfterRead} parks the next call of {@code find} or {@code lease} of
 * one credential once the ledger has answered it, before its caller sees the answer. Every other call
 * passes straight through. An alternative: a test profile selects it (getEnabledAlternatives), and the
 * {@link Ledger} it produces then replaces the one {@code LedgerSelection} picks.
 */
@Alternative
@ApplicationScoped
public class LatchedLedger {

    /** The reads of one credential that the gate parks after. */
    private static final Set<String> READS = Set.of("find", "lease");

    /** One parked read: {@link #awaitArrival} once a read waits there, {@link #release} lets it go on. */
    public static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final String credentialId;
        private volatile String read;

        private Gate(String credentialId) {
            this.credentialId = credentialId;
        }

        /** Returns the read that parked ({@code find} or {@code lease}); fails when none came in 30 s. */
        public String awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no read of " + credentialId + " reached the gate");
            }
            return read;
        }

        public void release() {
            released.countDown();
        }

        private void hold(String method) {
            read = method;
            arrived.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate after " + method + " of " + credentialId + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    JdbcLedger jdbc;

    private final AtomicReference<Gate> gate = new AtomicReference<>();

    @Produces
    @ApplicationScoped
    Ledger ledger() {
        return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(jdbc, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Gate armed = gate.get();
                    if (armed != null && READS.contains(method.getName()) && args != null && args.length == 1
                            && armed.credentialId.equals(args[0]) && gate.compareAndSet(armed, null)) {
                        armed.hold(method.getName());
                    }
                    return answer;
                });
    }

    /** The next {@code find} or {@code lease} of {@code credentialId}, on any thread, parks once answered. */
    public Gate parkAfterRead(String credentialId) {
        Gate armed = new Gate(credentialId);
        gate.set(armed);
        return armed;
    }

    public void reset() {
        Gate armed = gate.getAndSet(null);
        if (armed != null) {
            armed.release();
        }
    }
}
