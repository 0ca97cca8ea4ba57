package io.devportal.webhook.awssdk;


import com.sun.net.httpserver.HttpServer;
import io.devportal.webhook.ledger.dynamodb.DynamoDbLedger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbPriming;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedBudget;
import io.devportal.webhook.ledger.dynamodb.DynamoDbSharedCache;
import io.devportal.webhook.model.SharedBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AwsTransport} as the SnapStart hooks use it, on a real DynamoDB client and ledger against
 * a local HTTP server that stands for AWS (every answer {@code 200 {}}) and for the container
 * credentials endpoint Lambda gives a SnapStart function (credentials cached until they expire).
 */
class AwsTransportTest {
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final AtomicInteger awsCalls = new AtomicInteger();
    /** The DynamoDB operation of every call the client sent (answered in the process or not). */
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private volatile String accessKey = "AKIDBEFORESNAPSHOT";
    private final Map<String, String> savedProperties = new java.util.HashMap<>();

    private AwsTransport transport;
    private DynamoDbClient dynamoDb;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/creds", exchange -> {
            String expiry = Instant.now().plus(Duration.ofHours(6)).toString();
            answer(exchange, "{\"AccessKeyId\":\"" + accessKey + "\",\"SecretAccessKey\":\"secret\","
                    + "\"Token\":\"token\",\"Expiration\":\"" + expiry + "\"}");
        });
        server.createContext("/", exchange -> {
            awsCalls.incrementAndGet();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            answer(exchange, "{}");
        });
        server.start();
        // the SDK's default chain finds the container endpoint (what Lambda sets), nothing before it
        for (String p : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken",
                "aws.containerCredentialsFullUri", "aws.containerCredentialsPath")) {
            savedProperties.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
        System.setProperty("aws.containerCredentialsFullUri", "http://127.0.0.1:" + server.getAddress().getPort() + "/creds");
        transport = new AwsTransport();
        ExecutionInterceptor signed = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                context.httpRequest().firstMatchingHeader("Authorization")
                        .ifPresent(a -> authorizations.add("signed:" + a));
                operations.add(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        dynamoDb = DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .httpClient(transport.http(() -> Apache5HttpClient.builder().build()))
                .credentialsProvider(transport.credentials())
                .overrideConfiguration(o -> o.addExecutionInterceptor(signed))
                .build();
    }

    @AfterEach
    void stop() {
        dynamoDb.close();
        transport.close();
        server.stop(0);
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void describeTable() {
        dynamoDb.describeTable(b -> b.tableName("t"));
    }

    @Test
    void primingRunsEveryLedgerCallWithoutAConnectionOrARealCredential() {
        DynamoDbLedger ledger = new DynamoDbLedger(dynamoDb, "t", Duration.ofDays(1));
        DynamoDbPriming.Result result = new DynamoDbPriming.Result(0, List.of());
        DynamoDbPriming.Result[] holder = {result};
        transport.prime(() -> holder[0] = DynamoDbPriming.prime(ledger, new DynamoDbSharedBudget(dynamoDb, "t"),
                new DynamoDbSharedCache(dynamoDb, "t")));

        assertEquals(23, holder[0].ran());
        // the shared budget's reservation and push-back are the only UpdateItem calls of a request
        // (the ledger makes none): primed, the first create after a restore loads none of its classes
        assertEquals(2, operations.stream().filter("UpdateItem"::equals).count(), operations.toString());
        assertEquals(0, awsCalls.get(), "a priming call reached the network");
        assertEquals(0, transport.httpClientsBuilt(), "priming built a real HTTP client");
        assertTrue(authorizations.size() >= 13, "each call was signed: " + authorizations.size());
        assertTrue(authorizations.stream().allMatch(a -> a.contains("Credential=" + AwsTransport.PRIMING_CREDENTIALS.accessKeyId() + "/")),
                "a priming call was signed with a real credential: " + authorizations);
    }

    @Test
    void primingABusyBudgetTakesTheFailedConditionsPathWithoutAConnection() {
        SharedBudget.Grant[] grant = new SharedBudget.Grant[1];
        transport.prime(DynamoDbPriming.BUSY_BUDGET,
                () -> grant[0] = DynamoDbPriming.primeBusyBudget(new DynamoDbSharedBudget(dynamoDb, "t")));

        // the update's condition failed (an error answered 400, the stored item with it): read from
        // that item, then put conditionally, as a reservation behind another instance's does
        assertEquals(List.of("UpdateItem", "PutItem"), operations);
        assertTrue(grant[0].granted());
        assertEquals(0, awsCalls.get(), "a priming call reached the network");
    }

    @Test
    void afterARestoreCredentialsAreResolvedAnewNotTakenFromTheSnapshot() {
        describeTable();
        assertTrue(authorizations.get(authorizations.size() - 1).contains("Credential=AKIDBEFORESNAPSHOT/"));

        transport.beforeCheckpoint();
        accessKey = "AKIDAFTERRESTORE"; // the restored copy's role credentials
        transport.afterRestore();
        describeTable();

        assertTrue(authorizations.get(authorizations.size() - 1).contains("Credential=AKIDAFTERRESTORE/"),
                "the call after the restore used " + authorizations.get(authorizations.size() - 1));
    }

    @Test
    void noConnectionOpenedBeforeTheCheckpointIsUsedAfterTheRestore() {
        describeTable();
        describeTable();
        assertEquals(clientPorts.get(0), clientPorts.get(1), "the pool reuses its connection (keep-alive)");
        AwsCredentialsChainCheck chainBefore = new AwsCredentialsChainCheck(transport);

        transport.beforeCheckpoint();
        assertEquals(0, transport.httpClientsOpen(), "a pooled connection would be in the snapshot");
        transport.afterRestore();
        describeTable();

        assertEquals(2, transport.httpClientsBuilt(), "the first call after the restore builds a new HTTP client");
        assertTrue(!clientPorts.get(2).equals(clientPorts.get(1)), "the call after the restore reused a connection");
        assertNotSame(chainBefore.chain, transport.currentChain());
    }

    @Test
    void aTargetsAssumedRoleIsNeverResolvedWhilePrimingAndIsResolvedAnewAfterARestore() {
        AtomicInteger assumed = new AtomicInteger();
        // stands for a target's StsAssumeRoleCredentialsProvider: each one built is a new AssumeRole session
        var roleCredentials = transport.credentials(() -> {
            int session = assumed.incrementAndGet();
            return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create("ASIASESSION" + session,
                            "secret", "token"));
        });
        DynamoDbClient target = DynamoDbClient.builder().region(Region.SA_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .httpClient(transport.http(() -> Apache5HttpClient.builder().build()))
                .credentialsProvider(roleCredentials)
                .build();
        try {
            transport.prime(() -> target.describeTable(b -> b.tableName("t")));
            assertEquals(0, assumed.get(), "priming assumed the target's role");
            assertEquals(0, transport.assumedRolesResolved());

            target.describeTable(b -> b.tableName("t"));
            assertEquals(1, assumed.get());
            assertTrue(authorizations.get(authorizations.size() - 1).contains("Credential=ASIASESSION1/"));

            transport.beforeCheckpoint();
            assertEquals(0, transport.assumedRolesResolved(), "the role's session would be in the snapshot");
            transport.afterRestore();
            target.describeTable(b -> b.tableName("t"));

            assertEquals(2, assumed.get(), "the call after the restore assumed the role again");
            assertTrue(authorizations.get(authorizations.size() - 1).contains("Credential=ASIASESSION2/"),
                    "the call after the restore used " + authorizations.get(authorizations.size() - 1));
        } finally {
            target.close();
        }
    }

    /** The credentials chain in use at one moment. */
    private record AwsCredentialsChainCheck(Object chain) {
        AwsCredentialsChainCheck(AwsTransport transport) {
            this((Object) transport.currentChain());
        }
    }
}
