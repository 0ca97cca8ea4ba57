package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.DynamoDbMoto;
import io.devportal.webhook.support.DynamoDbProfile;
import io.devportal.webhook.support.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the DynamoDB ledger has: the table it makes, the expiry of journal rows, consistent reads. */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class DynamoDbLedgerTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    Ledger ledger;

    @Inject
    DynamoDbClient client;

    @Inject
    FaultInjector faults;

    @BeforeEach
    void clearFaults() {
        faults.reset();
    }

    static CredentialRecord pending(String appId, Instant now) {
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        return new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false, "aws", appId, "App",
                "dev@example.com", null, null, apis, List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
    }

    @Test
    void startUpCreatesTheTableWithTheFixedShapeAndTtlOnTheTtlAttribute() {
        TableDescription table = client.describeTable(b -> b.tableName(DynamoDbProfile.TABLE)).table();
        assertEquals(List.of(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)), table.keySchema());
        assertEquals(Map.of("pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S, "gsi1pk", ScalarAttributeType.S,
                        "gsi1sk", ScalarAttributeType.S),
                table.attributeDefinitions().stream().collect(Collectors.toMap(a -> a.attributeName(),
                        a -> a.attributeType())));
        assertEquals(1, table.globalSecondaryIndexes().size());
        GlobalSecondaryIndexDescription gsi1 = table.globalSecondaryIndexes().get(0);
        assertEquals("gsi1", gsi1.indexName());
        assertEquals(List.of(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE)), gsi1.keySchema());
        assertEquals(ProjectionType.ALL, gsi1.projection().projectionType());
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
        TimeToLiveDescription ttl = client.describeTimeToLive(b -> b.tableName(DynamoDbProfile.TABLE))
                .timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("ttl", ttl.attributeName());
    }

    @Test
    void theTableCheckRefusesAMissingTableAndATableOfAnotherShapeNamingWhatIsWrong() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> DynamoDbTable.verify(client, "no-such-table"));
        assertEquals("DynamoDB table no-such-table (webhook.dynamodb.table) does not exist: deploy it (deploy/sam) "
                + "or set webhook.dynamodb.create-table=true for a local run", missing.getMessage());

        String other = "other-shape-" + UUID.randomUUID();
        client.createTable(b -> b.tableName(other).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(key("id", KeyType.HASH)));
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> DynamoDbTable.verify(client, other));
        assertEquals("DynamoDB table " + other + " must have the key (pk, sk), not (id,)", wrong.getMessage());
    }

    @Test
    void onlyFinishedJournalRowsExpireAfterTheRetentionNeitherCredentialsNorClaimsNorAudit() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CredentialRecord p = pending("slug:ttl-" + UUID.randomUUID(), t);
        Lease createLease = ledger.beginCreate(p, LEASE, t).orElseThrow();
        String create = createLease.operationId();
        String keyId = "key-" + UUID.randomUUID();
        ledger.completeCreate(createLease, keyId, null, List.of(),
                List.of(new ResourceRef("apigateway:api-key", keyId, "n", create)), t.plusSeconds(1));
        String update = ledger.beginOperation(Operation.Kind.UPDATE, p.id(), CredentialRecord.Status.ACTIVE, List.of(),
                LEASE, t.plusSeconds(2)).operationId();
        String auditId = UUID.randomUUID().toString();
        ledger.appendAudit(new AuditRecord(auditId, t, "CREATE", "issued", p.id(), keyId, null, p.appId(), "App",
                "dev@example.com", List.of(keyId), "primary", null, null));

        Map<String, Map<String, AttributeValue>> items = itemsOf(p.id(), keyId, Ledger.appHash(p.appId()), create, update,
                auditId);
        long expected = t.plusSeconds(1).plus(Duration.ofDays(7)).getEpochSecond();
        assertEquals(String.valueOf(expected), items.get("OP#" + create + "|OP").get("ttl").n());
        assertEquals(String.valueOf(expected), items.get("CRED#" + p.id() + "|OP#" + create).get("ttl").n());
        assertFalse(items.get("OP#" + create + "|OP").containsKey("gsi1pk"), "a finished row leaves the in-progress index");
        assertNull(items.get("OP#" + update + "|OP").get("ttl"), "a row in progress never expires");
        assertEquals("JOURNAL#IN_PROGRESS", items.get("OP#" + update + "|OP").get("gsi1pk").s());
        assertNull(items.get("CRED#" + p.id() + "|OP#" + update).get("ttl"));
        assertNull(items.get("CRED#" + p.id() + "|CRED").get("ttl"), "a credential never expires");
        assertNull(items.get("APP#" + Ledger.appHash(p.appId()) + "|LIVE").get("ttl"), "a claim never expires");
        assertNull(items.get("AUDIT#" + auditId + "|AUDIT").get("ttl"), "an audit record never expires");
        long lookups = items.keySet().stream().filter(k -> k.startsWith("APIKEY#" + keyId + "|")).count();
        assertEquals(1, lookups);
        items.entrySet().stream().filter(e -> e.getKey().startsWith("APIKEY#"))
                .forEach(e -> assertNull(e.getValue().get("ttl"), "an external-id lookup never expires"));
    }

    /** Every item of the table that mentions one of these ids in its keys, by "pk|sk". */
    private Map<String, Map<String, AttributeValue>> itemsOf(String... ids) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        client.scanPaginator(b -> b.tableName(DynamoDbProfile.TABLE)).items().forEach(item -> {
            String key = item.get("pk").s() + "|" + item.get("sk").s();
            for (String id : ids) {
                if (key.contains(id)) {
                    found.put(key, item);
                }
            }
        });
        return found;
    }

    @Test
    void theReadsThatDecideAreStronglyConsistentReadsOfTheTableNeverOfTheIndex() {
        Instant t = Instant.now();
        CredentialRecord p = pending("slug:consistent-" + UUID.randomUUID(), t);
        Lease op = ledger.beginCreate(p, LEASE, t).orElseThrow();
        String keyId = "key-" + UUID.randomUUID();
        ledger.completeCreate(op, keyId, null, List.of(), List.of(), t);
        faults.reset();

        assertEquals(p.id(), ledger.findLive(p.appId()).orElseThrow().id());
        assertEquals(p.id(), ledger.find(p.id()).orElseThrow().id());
        assertEquals(p.id(), ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().id());
        assertEquals(1, ledger.operationsOf(p.id()).size());
        assertEquals(Optional.empty(), ledger.lease(p.id()));
        assertEquals(Operation.Status.DONE, ledger.findOperation(op.operationId()).orElseThrow().status());

        List<SdkRequest> gets = faults.requests("GetItem");
        List<SdkRequest> queries = faults.requests("Query");
        List<SdkRequest> batches = faults.requests("BatchGetItem");
        assertFalse(gets.isEmpty());
        assertEquals(2, queries.size());
        assertEquals(1, batches.size());
        gets.forEach(r -> assertEquals(Boolean.TRUE, ((GetItemRequest) r).consistentRead()));
        queries.forEach(r -> {
            assertEquals(Boolean.TRUE, ((QueryRequest) r).consistentRead());
            assertNull(((QueryRequest) r).indexName());
        });
        batches.forEach(r -> ((BatchGetItemRequest) r).requestItems().values()
                .forEach(k -> assertEquals(Boolean.TRUE, k.consistentRead())));
        assertEquals(0, faults.calls("Scan"));
    }

    /** Lets the first attempt of the next TransactWriteItems reach DynamoDB and turns its answer into a 500. */
    static final class LoseOneAnswer implements ExecutionInterceptor {
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        private final AtomicBoolean losing = new AtomicBoolean();

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!"TransactWriteItems".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                return context.httpResponse();
            }
            attempts.incrementAndGet();
            if (!armed.getAndSet(false)) {
                return context.httpResponse();
            }
            losing.set(true);
            return context.httpResponse().toBuilder().statusCode(500).removeHeader("Content-Length")
                    .putHeader("x-amzn-ErrorType", "InternalServerError").build();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            if (!losing.getAndSet(false)) {
                return context.responseBody();
            }
            return Optional.of(new ByteArrayInputStream(
                    "{\"__type\":\"InternalServerError\",\"message\":\"answer lost\"}".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aCreateWhoseFirstAnswerWasLostIsNotRefusedAsIfAnotherCreateHeldTheApp() {
        LoseOneAnswer lose = new LoseOneAnswer();
        try (DynamoDbClient own = DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(DynamoDbMoto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(lose)).build()) {
            DynamoDbLedger ledger = new DynamoDbLedger(own, DynamoDbProfile.TABLE, Duration.ofDays(7));
            Instant t = Instant.now();
            CredentialRecord p = pending("slug:lost-" + UUID.randomUUID(), t);
            // moto applies the transaction and the SDK sees a 500, so it sends it again; moto does not
            // honour the idempotency token, so the second attempt fails on the claim the first one wrote
            lose.armed.set(true);

            Optional<Lease> op = ledger.beginCreate(p, LEASE, t);

            assertEquals(2, lose.attempts.get());
            assertTrue(op.isPresent());
            assertEquals(p.id(), ledger.findLive(p.appId()).orElseThrow().id());
            assertEquals(List.of(op.get().operationId()), ledger.operationsOf(p.id()).stream().map(Operation::id).toList());
            assertEquals(1, op.get().fence());
            assertEquals(op.get().operationId(), ledger.lease(p.id()).orElseThrow().operationId());
            // a different create of the same app is still refused
            assertEquals(Optional.empty(), ledger.beginCreate(pending(p.appId(), t), LEASE, t));
        }
    }

    @Test
    void withTheDynamoDbLedgerNoDatasourceIsActiveAndTheServiceIsReady() {
        assertEquals(Boolean.FALSE, ConfigProvider.getConfig().getValue("quarkus.datasource.active", Boolean.class));
        assertEquals(Boolean.FALSE,
                ConfigProvider.getConfig().getValue("quarkus.datasource.\"postgresql\".active", Boolean.class));
        io.devportal.webhook.support.Management.given().get("/q/health/ready").then().statusCode(200);
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
