package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Locale;

/**
 * At start, with {@code webhook.ledger=dynamodb}: refuses the local provider (it keeps its secrets
 * in the JDBC database, which this ledger does not have), creates the table when
 * {@code webhook.dynamodb.create-table=true}, and checks its shape, so that a wrong setting stops
 * the service instead of failing requests.
 */
@ApplicationScoped
class DynamoDbStartup {
    private static final Logger LOG = Logger.getLogger(DynamoDbStartup.class);

    @Inject
    WebhookConfig config;

    @Inject
    Instance<DynamoDbClient> client;

    void onStart(@Observes StartupEvent event) {
        if (!isDynamoDb(config.ledger())) {
            return;
        }
        check(config.ledger(), config.provider());
        String table = config.dynamodb().table();
        if (config.dynamodb().createTable()) {
            DynamoDbTable.create(client.get(), table);
            LOG.infof("DynamoDB ledger table %s is ready (created if it was missing)", table);
        }
        DynamoDbTable.verify(client.get(), table);
    }

    static boolean isDynamoDb(String ledger) {
        return "dynamodb".equals(ledger.toLowerCase(Locale.ROOT));
    }

    /** Refuses combinations that cannot work; the message says what to change. */
    static void check(String ledger, String provider) {
        if (isDynamoDb(ledger) && "local".equals(provider.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("webhook.ledger=dynamodb cannot run with webhook.provider=local: the local "
                    + "provider keeps its credentials in the JDBC database. Set WEBHOOK_PROVIDER=aws, "
                    + "or WEBHOOK_LEDGER=jdbc for the local provider");
        }
    }
}
