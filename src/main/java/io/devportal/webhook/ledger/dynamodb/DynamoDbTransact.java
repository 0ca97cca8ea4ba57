package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.LedgerException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;

/** How the DynamoDB ledger sends a transaction, and reads why one was cancelled. */
final class DynamoDbTransact {
    private static final int MAX_CONFLICT_ATTEMPTS = 6;

    private DynamoDbTransact() {
    }

    /**
     * One transaction. The token makes the SDK's own retries of it idempotent (a retry after a lost
     * answer is not applied twice); without one, each call gets its own. A transaction cancelled
     * only by a conflict with another one in flight on the same items (nothing of it was applied) is
     * sent again, with a new token, after a short pause; any other cancellation is thrown.
     */
    static void send(DynamoDbClient client, List<TransactWriteItem> items, String token) {
        for (int attempt = 1; ; attempt++) {
            String requestToken = attempt == 1 && token != null ? token : Ids.uuid();
            try {
                client.transactWriteItems(b -> b.transactItems(items).clientRequestToken(requestToken));
                return;
            } catch (TransactionCanceledException e) {
                List<String> codes = e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : List.of();
                boolean conflictOnly = codes.contains("TransactionConflict") && codes.stream()
                        .allMatch(code -> code == null || "None".equals(code) || "TransactionConflict".equals(code));
                if (!conflictOnly || attempt >= MAX_CONFLICT_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Whether the item at {@code index} of the cancelled transaction failed its condition. */
    static boolean failedCondition(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    /** A short random pause, growing with the attempt. */
    static void pause(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 20 * (1L << attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("retry", e);
        }
    }
}
