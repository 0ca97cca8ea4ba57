package io.devportal.webhook.lambda;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.awssdk.AwsTransport;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.DynamoDbMoto;
import io.devportal.webhook.support.DynamoDbProfile;
import io.devportal.webhook.support.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the function's own pair (AWS provider + DynamoDB ledger, both moto), the SnapStart priming runs
 * a create, an update and a revoke through the service (CredentialService, the runner, the AWS
 * provider, the DynamoDB ledger) to their end, and leaves no trace: nothing in the ledger's table
 * or API Gateway, no audit record (in the real ledger or the primed table), no log line, no meter
 * moved; and the function answers a real create (200) and revoke (204) after a simulated
 * checkpoint and restore.
 */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class PrimedCreateUpdateRevokeLeaveNoTraceTest {

    @Inject
    SnapStartHooks hooks;

    @Inject
    AwsTransport transport;

    @Inject
    Ledger ledger;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "test.usage-plans")
    List<String> plans;

    @BeforeEach
    void toTheMockEventServer() {
        RestAssured.port = ConfigProvider.getConfig()
                .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    /** Every item of the ledger's table in moto, read with a client of the test's own (not the service's). */
    private static String table() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(DynamoDbMoto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            return dynamo.scanPaginator(b -> b.tableName(DynamoDbProfile.TABLE)).items().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining("\n"));
        }
    }

    private static List<String> apiKeys() {
        try (ApiGatewayClient aws = Aws.apiGateway()) {
            return aws.getApiKeys(b -> b.limit(500)).items().stream().map(ApiKey::id).sorted().toList();
        }
    }

    private List<AuditRecord> audit() {
        return ledger.audit(new AuditRecord.Query(Instant.EPOCH, null, null, 10_000));
    }

    /** Every sample of the webhook's own meters, by meter and tags (the ledger gauges read the ledger: left out). */
    private String webhookMeters() {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("webhook.")
                        && !m.getId().getName().startsWith("webhook.credentials.active")
                        && !m.getId().getName().startsWith("webhook.operations.stale"))
                .map(m -> m.getId() + "=" + StreamSupport.stream(m.measure().spliterator(), false)
                        .map(x -> x.getStatistic() + ":" + x.getValue()).toList())
                .sorted().collect(Collectors.joining("\n"));
    }

    /**
     * The provider's in-memory state a real request would meet: the default target's key-write pacing
     * (its next free slot) and the Regions and pools proven (package-private, read reflectively).
     */
    private static String providerState() throws ReflectiveOperationException {
        Class<?> clientsClass = Class.forName("io.devportal.webhook.provider.aws.AwsClients");
        Method keyWrites = clientsClass.getDeclaredMethod("keyWrites");
        keyWrites.setAccessible(true);
        Object limiter = keyWrites.invoke(Arc.container().instance(clientsClass).get());
        Field nextFree = limiter.getClass().getDeclaredField("nextFree");
        nextFree.setAccessible(true);
        Class<?> placesClass = Class.forName("io.devportal.webhook.provider.aws.AwsPlaces");
        Object places = Arc.container().instance(placesClass).get();
        Field proven = placesClass.getDeclaredField("provenUntil");
        proven.setAccessible(true);
        Object target = places instanceof io.quarkus.arc.ClientProxy proxy ? proxy.arc_contextualInstance() : places;
        return "keyWrites.nextFree=" + nextFree.getLong(limiter) + " proven=" + ((Map<?, ?>) proven.get(target)).keySet();
    }

    @Test
    void primedCreateUpdateAndRevokeRunToTheirEndAndLeaveNoTrace() throws ReflectiveOperationException {
        String table = table();
        List<String> keys = apiKeys();
        List<AuditRecord> audit = audit();
        String meters = webhookMeters();
        int built = transport.httpClientsBuilt();
        String provider = providerState();
        LogCapture logs = LogCapture.install();
        logs.clear();

        List<String> failed = hooks.prime();
        String logged = logs.text();
        String metersAfter = webhookMeters(); // before the test's own reads below, which are real AWS calls
        String providerAfter = providerState();

        assertEquals(List.of(), failed);
        SnapStartHooks.ServiceRun run = hooks.lastServiceRun();
        assertNotNull(run, "the service was not primed");
        assertEquals(List.of("create", "update", "revoke"), run.result().ran(), run.toString());
        // the runner took them to their end on the ledger: the credential revoked, its three operations done
        List<String> items = run.tableItems();
        assertEquals(1, items.stream().filter(i -> i.startsWith("CRED#") && i.endsWith("|CRED|REVOKED")).count(), items.toString());
        assertEquals(3, items.stream().filter(i -> i.startsWith("OP#") && i.endsWith("|OP|DONE")).count(), items.toString());
        assertEquals(List.of(), items.stream().filter(i -> i.startsWith("AUDIT#")).toList(), "a primed audit record");

        assertEquals("", logged, "priming wrote log lines");
        assertEquals(built, transport.httpClientsBuilt(), "priming opened a real AWS connection");
        assertEquals(table, table(), "priming reached the ledger's table");
        assertEquals(keys, apiKeys(), "priming reached API Gateway");
        assertEquals(audit, audit(), "priming wrote an audit record");
        assertEquals(provider, providerAfter, "priming took a key-write slot or kept a proof a real request would use");
        assertEquals(meters, metersAfter, "priming moved a meter (requests, AWS calls, credential operations...)");
    }

    @Test
    void afterASimulatedCheckpointAndRestoreARealCreateAnswers200AndARevoke204() {
        hooks.beforeCheckpoint(null);
        assertEquals(0, transport.httpClientsOpen(), "an AWS connection pool would be in the snapshot");
        hooks.afterRestore(null);

        String body = Api.createBody("After restore " + UUID.randomUUID().toString().substring(0, 8), "r@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]");
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        assertTrue(apiKeys().contains(keyId), "the real create made no key in API Gateway");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertTrue(!apiKeys().contains(keyId), "the real revoke left the key");
    }
}
