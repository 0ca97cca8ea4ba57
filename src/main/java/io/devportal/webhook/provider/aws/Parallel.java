package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Runs independent AWS calls concurrently, at most {@code limit} at once, and waits for all of
 * them, so that nothing is still running when the caller decides to roll back. The first failure,
 * with caller errors (4xx) ranked before the rest, is thrown once every call has ended.
 */
final class Parallel {
    private Parallel() {
    }

    static <T, R> List<R> map(ExecutorService executor, int limit, List<T> items, Function<T, R> call) {
        if (items.size() <= 1) {
            return items.stream().map(call).toList();
        }
        Semaphore permits = new Semaphore(Math.max(1, limit));
        List<Future<R>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(executor.submit(Deadline.propagate(() -> {
                permits.acquire();
                try {
                    return call.apply(item);
                } finally {
                    permits.release();
                }
            })));
        }
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                failure = worse(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = worse(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    private static RuntimeException worse(RuntimeException current, Throwable next) {
        RuntimeException candidate = next instanceof RuntimeException r ? r
                : new WebhookException(WebhookException.Kind.INTERNAL, "concurrent AWS call failed", next);
        if (current == null) {
            return candidate;
        }
        boolean currentIsCallers = current instanceof WebhookException w && w.kind().status < 500;
        boolean candidateIsCallers = candidate instanceof WebhookException w && w.kind().status < 500;
        return !currentIsCallers && candidateIsCallers ? candidate : current;
    }
}
