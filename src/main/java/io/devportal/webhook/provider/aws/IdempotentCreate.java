package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.WebhookException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries a create call (made on a client that does not retry by itself) without ever making two
 * of a thing. After an ambiguous failure (a 5xx, a timeout, a broken connection: AWS may have done
 * the work) it first looks for what that attempt made, by the name and marker the journal holds.
 * Throttling is not its business: the create call is made through {@link ControlPlaneBudget#call}
 * (a throttled call made nothing, and waits for the shared budget like every other call), and a
 * throttling that comes out of that is the request's 429. The lookup goes through
 * eventually consistent lists (GetApiKeys, ListUserPoolClients) that may not show a thing made a
 * moment ago, so it keeps looking for {@code settle} before it concludes nothing was made.
 */
final class IdempotentCreate {
    private IdempotentCreate() {
    }

    static <T> T run(int maxAttempts, Duration settle, String permission, String what, AwsErrors.Missing missing,
                     Supplier<T> create, Supplier<Optional<T>> lookup) {
        int attempts = Math.max(1, maxAttempts);
        SdkException last = null;
        for (int attempt = 1; ; attempt++) {
            if (last != null && ambiguous(last)) {
                Optional<T> made = settledLookup(settle, lookup);
                if (made.isPresent()) {
                    return made.get();
                }
            }
            if (attempt > attempts) {
                throw AwsErrors.map(last, permission, what, missing);
            }
            try {
                return create.get();
            } catch (SdkException e) {
                if (!ambiguous(e)) {
                    throw AwsErrors.map(e, permission, what, missing);
                }
                last = e;
            }
            if (attempt < attempts) {
                backOff(attempt);
            }
        }
    }

    /** Looks until something is found or {@code settle} has passed (every 200 ms). */
    static <T> Optional<T> settledLookup(Duration settle, Supplier<Optional<T>> lookup) {
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            Optional<T> made = lookup.get();
            long left = deadline - System.nanoTime();
            if (made.isPresent() || left <= 0) {
                return made;
            }
            sleep(Math.min(200, Math.max(1, left / 1_000_000)));
        }
    }

    /** A failure after which the create may or may not have happened. */
    private static boolean ambiguous(SdkException e) {
        return e instanceof SdkClientException || (e instanceof AwsServiceException s && s.statusCode() >= 500);
    }

    private static void backOff(int attempt) {
        long base = Math.min(2000, 100L << attempt);
        sleep(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookException(WebhookException.Kind.UNAVAILABLE, "interrupted while waiting to retry AWS",
                    AwsErrors.UNAVAILABLE_RETRY_AFTER, e);
        }
    }
}
