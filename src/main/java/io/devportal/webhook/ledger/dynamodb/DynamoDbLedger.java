package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.ledger.Transition;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ledger on one DynamoDB table (single-table design; docs/dynamodb-ledger.md). Its parts:
 * {@link DynamoDbItems} (the item codec), {@link DynamoDbExpression} (the expression builder and
 * the ledger's conditions), {@link DynamoDbLeases} (taking a lease), {@link DynamoDbTransactions}
 * (every write under it, one transaction each) and {@link DynamoDbQueries} (the reads). This class maps the {@link Ledger} methods onto them and
 * SDK failures onto {@link LedgerException}s that name the step, never a value.
 * <p>
 * Leases expire in the instance's clock less {@code webhook.lease.clock-skew} (DynamoDB has no
 * server time to compare with); the fence keeps a zombie's writes out whatever the clocks say.
 */
@Singleton
@Typed(DynamoDbLedger.class)
public class DynamoDbLedger implements Ledger {

    /** The clock-skew margin when none is configured (as {@code webhook.lease.clock-skew}'s default). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

    private final String table;
    private final Clock clock;
    private final DynamoDbQueries reads;
    private final DynamoDbLeases leases;
    private final DynamoDbTransactions writes;
    private final DynamoDbErasure erasure;

    @Inject
    DynamoDbLedger(DynamoDbClient client, WebhookConfig config, Clock clock) {
        this(client, config.dynamodb().table(), config.dynamodb().journalRetention(), clock,
                config.lease().clockSkew());
    }

    /** A ledger on {@code table} through {@code client}, on the system clock with the default skew margin. */
    public DynamoDbLedger(DynamoDbClient client, String table, Duration journalRetention) {
        this(client, table, journalRetention, Clock.systemUTC(), DEFAULT_CLOCK_SKEW);
    }

    /**
     * A ledger on {@code table} through {@code client}; finished journal rows expire after
     * {@code journalRetention}; {@link #lease} reads time from {@code clock}; a lease counts as
     * expired only {@code clockSkew} after its end.
     */
    public DynamoDbLedger(DynamoDbClient client, String table, Duration journalRetention, Clock clock,
                          Duration clockSkew) {
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("webhook.lease.clock-skew must not be negative: " + clockSkew);
        }
        this.table = table;
        this.clock = clock;
        this.reads = new DynamoDbQueries(client, table);
        this.writes = new DynamoDbTransactions(client, table, journalRetention, reads);
        this.leases = new DynamoDbLeases(client, table, clock, clockSkew, reads);
        this.erasure = new DynamoDbErasure(client, table, reads);
    }

    public String table() {
        return table;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<CredentialRecord> findLive(String appId) {
        return sdk("find live credential", () -> reads.findLive(appId));
    }

    @Override
    public Optional<CredentialRecord> find(String credentialId) {
        return sdk("find credential", () -> reads.find(credentialId));
    }

    @Override
    public Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId) {
        return sdk("find credential by id", () -> reads.findByExternalId(kind, externalId));
    }

    @Override
    public Optional<LeaseState> lease(String credentialId) {
        Instant now = clock.instant();
        return sdk("read lease", () -> reads.lease(credentialId, leases.cutoff(now), now));
    }

    @Override
    public List<Operation> staleOperations(Instant now) {
        return sdk("find stale operations", () -> reads.staleOperations(leases.cutoff(now)));
    }

    @Override
    public List<Operation> operationsInProgress() {
        return sdk("list operations in progress", reads::operationsInProgress);
    }

    @Override
    public Optional<Operation> findOperation(String operationId) {
        return sdk("find operation", () -> reads.findOperation(operationId));
    }

    @Override
    public List<Operation> operationsOf(String credentialId) {
        return sdk("list operations", () -> reads.operationsOf(credentialId));
    }

    @Override
    public List<CredentialRecord> list(CredentialQuery query) {
        return sdk("list credentials", () -> reads.list(query));
    }

    @Override
    public List<AuditRecord> audit(AuditRecord.Query query) {
        return sdk("read audit", () -> reads.audit(query));
    }

    // ---------------------------------------------------------------- leases

    @Override
    public Optional<Lease> beginCreate(CredentialRecord pending, Duration leaseFor, Instant now) {
        return sdk("begin create", () -> leases.beginCreate(pending, leaseFor, now));
    }

    @Override
    public Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                                Duration leaseFor, Instant now) {
        return sdk("begin operation", () -> leases.beginOperation(kind, credentialId, expected, null, leaseFor,
                now));
    }

    @Override
    public Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                                List<ResourceRef> resources, Duration leaseFor, Instant now) {
        return sdk("begin operation", () -> leases.beginOperation(kind, credentialId, expected, resources, leaseFor,
                now));
    }

    @Override
    public Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now) {
        return sdk("take over operation", () -> leases.takeOver(operationId, leaseFor, now));
    }

    @Override
    public void abandon(Lease lease) {
        run("abandon", () -> writes.abandon(lease));
    }

    // ---------------------------------------------------------------- writes under a lease

    @Override
    public void journalResources(Lease lease, List<ResourceRef> resources, Instant now) {
        run("journal resources", () -> writes.journalResources(lease, resources, now));
    }

    @Override
    public void completeCreate(Lease lease, String apiKeyId, String clientId, List<String> scopes,
                               List<ResourceRef> resources, Instant now) {
        List<String> lookups = new ArrayList<>();
        if (apiKeyId != null) {
            lookups.add(DynamoDbItems.externalPartition(CredentialKind.API_KEY, apiKeyId));
        }
        if (clientId != null) {
            lookups.add(DynamoDbItems.externalPartition(CredentialKind.CLIENT_CREDENTIALS, clientId));
        }
        finish(lease, Transition.COMPLETE_CREATE, null, now, e -> e.setOrRemove("apiKeyId", apiKeyId)
                .setOrRemove("clientId", clientId).set("scopes", Json.write(scopes))
                .set("resources", Json.write(resources)), lookups);
    }

    @Override
    public void rollBackCreate(Lease lease, String error, Instant now) {
        finish(lease, Transition.ROLL_BACK_CREATE, error, now, e -> { }, List.of());
    }

    @Override
    public void completeUpdate(Lease lease, String appName, String developer, List<ApiAccess> apis,
                               List<String> scopes, List<ResourceRef> resources, Instant now) {
        finish(lease, Transition.COMPLETE_UPDATE, null, now, e -> e.set("appName", appName)
                .set("developer", developer).set("developerLower", DynamoDbItems.asciiLower(developer))
                .set("apis", Json.write(apis)).set("usagePlans", Json.write(ApiAccess.usagePlansOf(apis)))
                .set("scopes", Json.write(scopes)).set("resources", Json.write(resources)), List.of());
    }

    @Override
    public void completeRevoke(Lease lease, Instant now) {
        finish(lease, Transition.COMPLETE_REVOKE, null, now, e -> e.set("revokedAt", DynamoDbItems.time(now)),
                List.of());
    }

    @Override
    public void failOperation(Lease lease, String error, Instant now) {
        finish(lease, Transition.FAIL, error, now, e -> { }, List.of());
    }

    @Override
    public void erasePersonalData(CredentialRecord ended) {
        run("erase personal data", () -> erasure.erase(ended));
    }

    @Override
    public void appendAudit(AuditRecord record) {
        try {
            writes.appendAudit(record);
        } catch (ConditionalCheckFailedException e) {
            throw new LedgerException("append audit (the id is taken: records are never replaced)", e);
        } catch (SdkException e) {
            throw new LedgerException("append audit", e);
        }
    }

    private void finish(Lease lease, Transition transition, String error, Instant now,
                        java.util.function.Consumer<DynamoDbExpression> changes, List<String> lookups) {
        run(transition.step(), () -> writes.finish(lease, transition, error, now, changes, lookups));
    }

    private static <T> T sdk(String step, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new LedgerException(step, e);
        }
    }

    private static void run(String step, Runnable call) {
        sdk(step, () -> {
            call.run();
            return null;
        });
    }
}
