package io.devportal.webhook.lambda;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.provider.aws.AwsPriming;
import io.devportal.webhook.awssdk.AwsTransport;
import io.devportal.webhook.support.Api;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function's SnapStart hooks, called the way Lambda calls them around a snapshot (a simulated
 * checkpoint and restore: the CRaC global context cannot be driven outside a CRaC JVM).
 */
@QuarkusTest
class SnapStartHooksTest {

    @Inject
    SnapStartHooks hooks;

    @Inject
    AwsTransport transport;

    @Inject
    AwsPriming aws;

    @Inject
    Ledger ledger;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void toTheMockEventServer() {
        RestAssured.port = ConfigProvider.getConfig()
                .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    private static String create(String name) {
        Response created = Api.create(createBody(name, "dev@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]"));
        created.then().statusCode(200);
        return created.path("apiKeyId");
    }

    private Set<String> ledgerIds() {
        return ledger.list(CredentialQuery.all(1000)).stream().map(r -> r.id()).collect(Collectors.toSet());
    }

    /** Every sample of the webhook's own meters (requests, auth failures, AWS calls...), by meter and tags. */
    private String webhookMeters() {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("webhook.") && !m.getId().getName().startsWith("webhook.credentials.active")
                        && !m.getId().getName().startsWith("webhook.operations.stale"))
                .map(m -> m.getId() + "=" + java.util.stream.StreamSupport.stream(m.measure().spliterator(), false)
                        .map(x -> x.getStatistic() + ":" + x.getValue()).toList())
                .sorted().collect(Collectors.joining("\n"));
    }

    @Test
    void primingRunsWithNoFailedStepAndLeavesTheLedgerAndTheMetricsUntouched() {
        Set<String> before = ledgerIds();
        int built = transport.httpClientsBuilt();
        String meters = webhookMeters();

        assertEquals(List.of(), hooks.prime());

        assertEquals(built, transport.httpClientsBuilt(), "priming opened a real AWS connection");
        assertEquals(before, ledgerIds(), "priming wrote to the ledger");
        assertEquals(meters, webhookMeters(), "priming was counted as a request, a login failure or an AWS call");
    }

    @Test
    void primingCallsEveryAwsOperationOfCreateUpdateAndRevokeWithoutReachingAws() {
        // (these tests run the local provider, with which the hooks skip the AWS clients: called here)
        int built = transport.httpClientsBuilt();
        AwsPriming.Result[] result = new AwsPriming.Result[1];

        transport.prime(() -> result[0] = aws.prime());

        assertEquals(List.of(), result[0].failed());
        assertEquals(17, result[0].called().size(), result[0].called().toString());
        assertEquals(built, transport.httpClientsBuilt(), "a priming call reached the network");
    }

    @Test
    void aSimulatedRestoreRenewsCredentialsIdsAndConnectionsAndTheFunctionKeepsAnswering() {
        String beforeSnapshot = create("Before snapshot " + UUID.randomUUID().toString().substring(0, 8));
        Object chain = transport.currentChain();
        Object generator = Ids.generator();

        hooks.beforeCheckpoint(null);
        assertEquals(0, transport.httpClientsOpen(), "an AWS connection pool would be in the snapshot");
        hooks.afterRestore(null);

        assertNotSame(chain, transport.currentChain(), "credentials resolved before the snapshot would be reused");
        assertNotSame(generator, Ids.generator(), "the id generator's state would be shared by restored copies");
        // threads: the request path (Vert.x event loop, worker pool, AWS call executor) still serves
        String afterRestore = create("After restore " + UUID.randomUUID().toString().substring(0, 8));
        assertNotNull(afterRestore);
        assertTrue(!afterRestore.equals(beforeSnapshot));
    }
}
