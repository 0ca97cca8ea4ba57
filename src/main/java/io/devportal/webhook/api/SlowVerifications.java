package io.devportal.webhook.api;

import io.devportal.webhook.config.WebhookConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Where slow password verifications (bcrypt) run: never on a Vert.x I/O thread (the pre-matching
 * filters run there), but on a worker, and at most {@code webhook.auth.concurrent-slow-hashes} at once on
 * this instance. Past the bound nothing waits: {@link #submit} says no and the caller answers
 * 429 {@code auth_busy} at once.
 */
@ApplicationScoped
class SlowVerifications {

    @Inject
    WebhookConfig config;

    private volatile Semaphore permits;

    /** The thread the last verification ran on (for the test that proves it is not an I/O thread). */
    private volatile String lastThread;

    /** The work's result later, or empty when the bound is reached (the work did not run). */
    <T> Optional<Uni<T>> submit(Supplier<T> work) {
        Semaphore bound = permits();
        if (!bound.tryAcquire()) {
            return Optional.empty();
        }
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            // a worker already (or no Vert.x at all): run here
            try {
                return Optional.of(Uni.createFrom().item(run(work)));
            } finally {
                bound.release();
            }
        }
        // started now (not on subscription), so that the permit is always given back
        java.util.concurrent.CompletionStage<T> done = context.<T>executeBlocking(() -> {
            try {
                return run(work);
            } finally {
                bound.release();
            }
        }, false).toCompletionStage();
        return Optional.of(Uni.createFrom().completionStage(done));
    }

    private <T> T run(Supplier<T> work) {
        lastThread = Thread.currentThread().getName();
        return work.get();
    }

    /** The thread the last verification ran on, or null; and forget it (tests). */
    String takeLastThread() {
        String t = lastThread;
        lastThread = null;
        return t;
    }

    /** Takes every permit, so that the next {@link #submit} finds the bound reached (tests); returns how many. */
    int holdAll() {
        return permits().drainPermits();
    }

    void release(int held) {
        permits().release(held);
    }

    private Semaphore permits() {
        Semaphore s = permits;
        if (s == null) {
            synchronized (this) {
                if (permits == null) {
                    permits = new Semaphore(Math.max(1, config.auth().concurrentSlowHashes()));
                }
                s = permits;
            }
        }
        return s;
    }
}
