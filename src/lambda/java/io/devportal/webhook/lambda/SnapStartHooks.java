package io.devportal.webhook.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.devportal.webhook.api.ApiPriming;
import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.dynamodb.DynamoDbLedger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbPriming;
import io.devportal.webhook.ledger.dynamodb.DynamoDbPrimingTable;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedBudget;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedCache;
import io.devportal.webhook.provider.aws.AwsPrimingAnswers;
import io.devportal.webhook.provider.aws.AwsPriming;
import io.devportal.webhook.awssdk.AwsTransport;
import io.devportal.webhook.provisioning.ServicePriming;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
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
import java.util.Map;

/**
 * The function's SnapStart hooks (CRaC {@link Resource}, docs/cold-start.md).
 * <p>
 * {@link #beforeCheckpoint}, once the init phase is done and before Lambda snapshots it: primes
 * the request path with no side effect (one HTTP event through the Lambda HTTP handler; the REST
 * layer's JSON parsing, validation and account check; every API Gateway and Cognito operation;
 * every DynamoDB ledger call, codecs included, and the shared budget's and cache's; then one
 * create, update and revoke through the service itself, {@link ServicePriming}, on a {@link DynamoDbPrimingTable} and {@link AwsPrimingAnswers}),
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

    @Inject
    Instance<DynamoDbSharedBudget> dynamoDbBudget;

    @Inject
    Instance<DynamoDbSharedCache> dynamoDbCache;

    @Inject
    ServicePriming service;

    private volatile ServiceRun lastServiceRun;

    /** What {@link ServicePriming} did, and what its in-process table holds afterwards ({@code pk|sk|status}). */
    record ServiceRun(ServicePriming.Result result, List<String> tableItems) {
    }

    @ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc")
    String ledger;

    @ConfigProperty(name = "webhook.provider", defaultValue = "local")
    String provider;

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
                primeHttp();
            } catch (RuntimeException e) {
                failed.add("http: " + e);
            }
            try {
                api.prime();
            } catch (RuntimeException e) {
                failed.add("api: " + e);
            }
            if ("aws".equalsIgnoreCase(provider)) {
                // the function's provider; with another one these clients are never used (and building
                // them without AWS_REGION would wait for the instance metadata service)
                failed.addAll(aws.prime().failed());
            }
            if ("dynamodb".equalsIgnoreCase(ledger)) {
                // only the DynamoDB ledger: on the JDBC one these calls would reach the database. Some of its
                // steps end on the empty answer (an item its codec expects); they ran up to there, not failed.
                DynamoDbPriming.prime(dynamoDb.get(), dynamoDbBudget.get(), dynamoDbCache.get());
            }
        });
        if ("dynamodb".equalsIgnoreCase(ledger)) {
            // the budget's busy path (a failed condition returning the stored item), which 200 {} cannot reach
            try {
                transport.prime(DynamoDbPriming.BUSY_BUDGET, () -> DynamoDbPriming.primeBusyBudget(dynamoDbBudget.get()));
            } catch (RuntimeException e) {
                failed.add("busy budget: " + e.getClass().getSimpleName());
            }
        }
        if ("aws".equalsIgnoreCase(provider) && "dynamodb".equalsIgnoreCase(ledger)) {
            // the function's own create logic, on a table of its own in the process: only on the pair the
            // answers stand for (with JDBC the ledger writes would reach the database)
            failed.addAll(primeService());
        }
        if (!failed.isEmpty()) {
            LOG.warnf("priming: %d step(s) failed (the requests still work): %s", failed.size(), failed);
        }
        return failed;
    }

    /** The last service priming: its steps and the items its table was left with (tests); null before. */
    ServiceRun lastServiceRun() {
        return lastServiceRun;
    }

    /** A create, an update and a revoke through the service; the steps that failed. */
    List<String> primeService() {
        DynamoDbPrimingTable table = new DynamoDbPrimingTable();
        ServicePriming.Result[] result = new ServicePriming.Result[1];
        try {
            transport.prime(table.or(AwsPrimingAnswers.forApi(ServicePriming.API)), () -> result[0] = service.prime());
        } catch (RuntimeException e) {
            return List.of("service: " + e.getClass().getSimpleName());
        }
        lastServiceRun = new ServiceRun(result[0], table.items());
        return result[0].failed().stream().map(f -> "service " + f).toList();
    }

    /**
     * One HTTP API event through Quarkus' Lambda HTTP handler, as the runtime will hand the first
     * request: a create without credentials, which the webhook answers 401 before reading it (the
     * first half of the Basic challenge: no login failure is counted) and, while priming, leaves
     * out of its metrics and request log. It warms the event decoding, the Vert.x request and
     * response, the routing, the webhook's HTTP filters and its JSON error body.
     */
    void primeHttp() {
        String body = "{\"appName\":\"Priming app\",\"developer\":\"priming@example.com\",\"apis\":[]}";
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("$default").withRawPath("/v1/createCredentials").withRawQueryString("")
                .withHeaders(Map.of("host", "priming.invalid", "x-forwarded-proto", "https", "user-agent", "priming",
                        "content-type", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("priming").withRouteKey("$default").withStage("$default")
                        .withDomainName("priming.invalid")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath("/v1/createCredentials").withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").withUserAgent("priming").build())
                        .build())
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
        APIGatewayV2HTTPResponse response = new LambdaHttpHandler().handleRequest(event, null);
        if (response.getStatusCode() != 401) {
            throw new IllegalStateException("the priming request answered " + response.getStatusCode() + ", not 401");
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        transport.afterRestore();
        Ids.reseed();
        LOG.info("SnapStart restore: new AWS credentials chain, new id generator; connections on demand");
    }
}
