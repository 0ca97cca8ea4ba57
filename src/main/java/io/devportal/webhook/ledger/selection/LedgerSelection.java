package io.devportal.webhook.ledger.selection;

import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbLedger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedBudget;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedCache;
import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import io.devportal.webhook.ledger.jdbc.JdbcSharedBudget;
import io.devportal.webhook.ledger.jdbc.JdbcSharedCache;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.model.SharedCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/**
 * The one {@link Ledger} of the process, chosen by {@code webhook.ledger} ({@code jdbc} by default),
 * and the {@link SharedCache} and {@link SharedBudget} kept beside it in the same store.
 */
@ApplicationScoped
public class LedgerSelection {

    @Produces
    @ApplicationScoped
    Ledger ledger(@ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc") String kind,
                  Instance<JdbcLedger> jdbc, Instance<DynamoDbLedger> dynamodb) {
        return pick(kind, jdbc, dynamodb);
    }

    @Produces
    @ApplicationScoped
    SharedCache sharedCache(@ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc") String kind,
                            Instance<JdbcSharedCache> jdbc, Instance<DynamoDbSharedCache> dynamodb) {
        return pick(kind, jdbc, dynamodb);
    }

    @Produces
    @ApplicationScoped
    SharedBudget sharedBudget(@ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc") String kind,
                              Instance<JdbcSharedBudget> jdbc, Instance<DynamoDbSharedBudget> dynamodb) {
        return pick(kind, jdbc, dynamodb);
    }

    private static <T> T pick(String kind, Instance<? extends T> jdbc, Instance<? extends T> dynamodb) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "jdbc" -> jdbc.get();
            case "dynamodb" -> dynamodb.get();
            default -> throw new IllegalStateException("webhook.ledger must be jdbc or dynamodb, not " + kind);
        };
    }
}
