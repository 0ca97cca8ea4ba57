package io.devportal.webhook.lambda;

import io.devportal.webhook.api.ApiPriming;
import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.dynamodb.DynamoDbLedger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbPriming;
import io.devportal.webhook.provider.aws.AwsPriming;
import io.devportal.webhook.provider.aws.AwsTransport;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The function's SnapStart hooks (CRaC {@link Resource}, docs/cold-start.md).
 * <p>
 * {@link #beforeCheckpoint}, once the init phase is done and before Lambda snapshots it: primes
 * the request path with no side effect (the REST layer's JSON parsing, validation and account
 * check; every API Gateway and Cognito operation; every DynamoDB ledger call, codecs included),
 * all answered in the process by {@link AwsTransport#prime}; then drops every pooled AWS connection
 * and the credentials chain, so that the snapshot holds neither.
 * <p>
 * {@link #afterRestore}, in each restored copy: a new credentials chain (the restored
 * environment's credentials), connections made on demand, and a newly seeded id generator
 * ({@link Ids#reseed()}), so that no two copies of one snapshot share a random state.
 * <p>
 * Without SnapStart (a plain cold start) neither runs: the init phase is not made longer.
 */
@Startup
@ApplicationScoped
public class SnapStartHooks implements Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartHooks.class);

    @Inject
    ApiPriming api;

    @Inject
    AwsPriming aws;

    @Inject
    AwsTransport transport;

    @Inject
    Instance<DynamoDbLedger> dynamoDb;

    @ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc")
    String ledger;

    @PostConstruct
    void register() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        prime();
        transport.beforeCheckpoint();
        LOG.infof("SnapStart checkpoint: primed in %d ms; AWS connections and credentials dropped",
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The priming alone (no connection is dropped); returns the steps that failed (none, normally). */
    public List<String> prime() {
        List<String> failed = new ArrayList<>();
        transport.prime(() -> {
            try {
                api.prime();
            } catch (RuntimeException e) {
                failed.add("api: " + e);
            }
            failed.addAll(aws.prime().failed());
            if ("dynamodb".equalsIgnoreCase(ledger)) {
                // only the DynamoDB ledger: on the JDBC one these calls would reach the database. Some of its
                // steps end on the empty answer (an item its codec expects); they ran up to there, not failed.
                DynamoDbPriming.prime(dynamoDb.get());
            }
        });
        if (!failed.isEmpty()) {
            LOG.warnf("priming: %d step(s) failed (the requests still work): %s", failed.size(), failed);
        }
        return failed;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        transport.afterRestore();
        Ids.reseed();
        LOG.info("SnapStart restore: new AWS credentials chain, new id generator; connections on demand");
    }
}
