import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbLedger;
import io.devportal.webhook.ledger.dynamodb.DynamoDbTable;
import io.devportal.webhook.ledger.jdbc.Database;
import io.devportal.webhook.ledger.jdbc.JdbcLedger;
import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.ResourceRef;
import org.flywaydb.core.Flyway;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger's share of one create, on each ledger side by side: the calls CredentialService makes
 * for an API key (findLive, beginCreate, journalResources twice, completeCreate), timed together,
 * sequentially, on the real ledger classes: JdbcLedger on an H2 file (the service's default URL),
 * JdbcLedger on PostgreSQL, DynamoDbLedger on moto. Prints median, p90 and mean in ms, and the
 * median of the first and of the last tenth of the samples (does the cost grow with the store's size?).
 *
 * Run: bash bench/ledger-latency.sh [creates per ledger=200]   (starts PostgreSQL and moto itself)
 * DynamoDB on moto measures moto (a Python process on this machine), not DynamoDB's service latency.
 */
public class LedgerLatency {

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String postgresUrl = args.length > 1 ? args[1] : null;
        String motoEndpoint = args.length > 2 ? args[2] : null;
        int warmup = Math.max(20, samples / 5);

        List<String> rows = new ArrayList<>();
        Path h2 = Files.createTempDirectory("bench-h2");
        rows.add(run("H2 (file)", jdbc("jdbc:h2:file:" + h2 + "/webhook;DB_CLOSE_ON_EXIT=FALSE", "webhook", ""),
                warmup, samples));
        if (postgresUrl != null && !postgresUrl.isEmpty()) {
            rows.add(run("PostgreSQL", jdbc(postgresUrl, "postgres", ""), warmup, samples));
        }
        if (motoEndpoint != null && !motoEndpoint.isEmpty()) {
            DynamoDbClient client = DynamoDbClient.builder().httpClient(Apache5HttpClient.create())
                    .endpointOverride(URI.create(motoEndpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                    .build();
            String table = "bench-" + UUID.randomUUID();
            DynamoDbTable.create(client, table);
            rows.add(run("DynamoDB (moto)", new DynamoDbLedger(client, table, Duration.ofDays(90)), warmup, samples));
        }
        System.out.printf("%n%d sequential creates per ledger (after %d warm-up), ledger calls of one API-key create%n",
                samples, warmup);
        System.out.printf("%-16s %10s %8s %8s %16s %15s%n", "ledger", "median_ms", "p90_ms", "mean_ms",
                "first10%_median", "last10%_median");
        rows.forEach(System.out::println);
    }

    static String run(String name, Ledger ledger, int warmup, int samples) {
        for (int i = 0; i < warmup; i++) {
            create(ledger);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            create(ledger);
            ms.add((System.nanoTime() - start) / 1e6);
        }
        int tenth = Math.max(1, samples / 10);
        double first = median(ms.subList(0, tenth));
        double last = median(ms.subList(ms.size() - tenth, ms.size()));
        double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        Collections.sort(ms);
        return String.format("%-16s %10.2f %8.2f %8.2f %16.2f %15.2f", name, ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.9) - 1), mean, first, last);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** What CredentialService asks of the ledger for a create of an API key. */
    static void create(Ledger ledger) {
        Instant now = Instant.now();
        String appId = "slug:bench-" + UUID.randomUUID();
        if (ledger.findLive(appId).isPresent()) {
            throw new IllegalStateException("fresh app is live");
        }
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "aws", appId, "Bench app", "bench@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        String op = ledger.beginCreate(pending, now).orElseThrow();
        ResourceRef planned = new ResourceRef("apigateway:api-key", null, "Bench app (bench@example.com)", op);
        ledger.journalResources(op, List.of(planned), now);
        String keyId = "k" + UUID.randomUUID().toString().substring(0, 8);
        ledger.journalResources(op, List.of(planned.withId(keyId)), now);
        ledger.completeCreate(op, pending.id(), keyId, null, List.of(), List.of(planned.withId(keyId)), now);
    }

    /** The real JdbcLedger on a plain DataSource, migrated by Flyway as at the service's start. */
    static Ledger jdbc(String url, String user, String password) throws Exception {
        // a connection pool as in the service (Agroal, 20 connections)
        AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(20).connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl(url).principal(new NamePrincipal(user)).credential(new SimplePassword(password)))));
        Flyway.configure().dataSource(url, user, password).load().migrate();
        Object instance = Proxy.newProxyInstance(LedgerLatency.class.getClassLoader(),
                new Class<?>[] {Class.forName("jakarta.enterprise.inject.Instance")}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return ds;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Constructor<Database> constructor = Database.class.getDeclaredConstructor(Optional.class,
                Class.forName("jakarta.enterprise.inject.Instance"), Class.forName("jakarta.enterprise.inject.Instance"));
        constructor.setAccessible(true);
        Database database = constructor.newInstance(Optional.of(url), instance, instance);
        JdbcLedger ledger = new JdbcLedger();
        Field field = JdbcLedger.class.getDeclaredField("database");
        field.setAccessible(true);
        field.set(ledger, database);
        return ledger;
    }
}
