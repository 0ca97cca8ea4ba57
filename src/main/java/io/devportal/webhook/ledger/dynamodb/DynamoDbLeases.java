package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ResourceRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_HOLDER;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_KIND;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_SINCE;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_UNTIL;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.credentialKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.num;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.operationKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.s;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.time;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTransact.failedCondition;

/**
 * The DynamoDB ledger's leases, each taken in one {@code TransactWriteItems}: a compare-and-set on the
 * credential item (its status, its holder, and the fence read just before, so that the fence returned
 * is exact) with the journal row of the operation that holds it. Lease expiry is in this instance's
 * clock less {@code clockSkew} (DynamoDB has no server time to compare with); the fence keeps a zombie
 * out even when clocks disagree by more. The writes made under a lease: {@link DynamoDbTransactions}.
 */
final class DynamoDbLeases {
    /** How often a begin is tried whose compare lost only to a lease taken and released meanwhile. */
    private static final int MAX_BEGIN_ATTEMPTS = 5;

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration clockSkew;
    private final DynamoDbQueries reads;

    DynamoDbLeases(DynamoDbClient client, String table, Clock clock, Duration clockSkew, DynamoDbQueries reads) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        this.clockSkew = clockSkew;
        this.reads = reads;
    }

    /**
     * The end of a lease granted now for {@code leaseFor}, in this instance's clock (the stand-in for
     * a database's own time, which DynamoDB does not offer): whatever time the caller journals.
     */
    private AttributeValue leaseEnd(Duration leaseFor) {
        return num(clock.instant().plus(leaseFor).toEpochMilli());
    }

    /** When a lease granted now starts, in this instance's clock (as {@link #leaseEnd}). */
    private AttributeValue leaseStart() {
        return num(clock.instant().toEpochMilli());
    }

    /** Leases ended before this are expired: now, less the clock-skew margin. */
    Instant cutoff(Instant now) {
        return now.minus(clockSkew);
    }

    Optional<Lease> beginCreate(CredentialRecord pending, Duration leaseFor, Instant now) {
        String operationId = Ids.uuid();
        String appHash = Ledger.appHash(pending.appId());
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(new DynamoDbExpression().itemIsNew().putOf(table, DynamoDbItems.claim(appHash, pending.id(), now)));
        items.add(new DynamoDbExpression().itemIsNew().putOf(table,
                DynamoDbItems.pendingCredential(pending, operationId, leaseEnd(leaseFor), now)));
        items.addAll(newOperation(operationId, Operation.Kind.CREATE, pending.id(), List.of(), now));
        try {
            transact(items, operationId);
            return Optional.of(new Lease(operationId, pending.id(), 1));
        } catch (TransactionCanceledException e) {
            if (!failedCondition(e, 0) && !failedCondition(e, 1)) {
                throw e;
            }
        }
        // the app is claimed: by another credential, or by this very call if an earlier attempt of
        // it went through and only its answer was lost (then all of it was written, and it holds the lease)
        Map<String, AttributeValue> credential = reads.get(credentialKey(pending.id()));
        if (credential != null && operationId.equals(s(credential, LEASE_HOLDER))) {
            return Optional.of(new Lease(operationId, pending.id(), DynamoDbItems.fence(credential)));
        }
        return Optional.empty();
    }

    /**
     * The compare-and-set of {@link Ledger#beginOperation}: the journal row starts with {@code resources},
     * or (null) with the credential's resources in the item whose fence the compare holds.
     */
    Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                         List<ResourceRef> resources, Duration leaseFor, Instant now) {
        String operationId = Ids.uuid();
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> read = reads.get(credentialKey(credentialId));
            if (read == null || DynamoDbItems.status(read) != expected || s(read, LEASE_HOLDER) != null) {
                throw refusal(credentialId, read);
            }
            long fence = DynamoDbItems.fence(read);
            // the compare below holds the fence read here: the resources read with it are the credential's at the grant
            List<ResourceRef> journal = resources != null ? resources : DynamoDbItems.credential(read).resources();
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(new DynamoDbExpression().status(expected).free().fenceIs(fence)
                    .set(LEASE_HOLDER, operationId).set(LEASE_KIND, kind.name()).raiseFence()
                    .set(LEASE_UNTIL, leaseEnd(leaseFor)).set(LEASE_SINCE, leaseStart()).updateOf(table, credentialKey(credentialId)));
            items.addAll(newOperation(operationId, kind, credentialId, journal, now));
            try {
                // a token is bound to its items: a new compare gets a new one
                transact(items, attempt == 1 ? operationId : null);
                return new Lease(operationId, credentialId, fence + 1);
            } catch (TransactionCanceledException e) {
                if (!failedCondition(e, 0)) {
                    throw e;
                }
            }
            Map<String, AttributeValue> again = reads.get(credentialKey(credentialId));
            if (again != null && operationId.equals(s(again, LEASE_HOLDER))) {
                // an earlier attempt of this very call went through; only its answer was lost
                return new Lease(operationId, credentialId, DynamoDbItems.fence(again));
            }
            boolean onlyTheFenceMoved = again != null && DynamoDbItems.status(again) == expected
                    && s(again, LEASE_HOLDER) == null;
            if (!onlyTheFenceMoved) {
                throw refusal(credentialId, again);
            }
            if (attempt >= MAX_BEGIN_ATTEMPTS) {
                // still losing to leases taken and released meanwhile: busy, never "not in expected"
                throw LeaseRefused.contended(credentialId, expected);
            }
        }
    }

    Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now) {
        Map<String, AttributeValue> row = reads.get(operationKey(operationId));
        if (!DynamoDbItems.inProgress(row)) {
            return Optional.empty();
        }
        Operation operation = DynamoDbItems.operation(row);
        Map<String, AttributeValue> credential = reads.get(credentialKey(operation.credentialId()));
        if (credential == null) {
            return Optional.empty();
        }
        Optional<LeaseState> held = DynamoDbItems.leaseState(credential, cutoff(now), now);
        if (held.isPresent() && !(held.get().operationId().equals(operationId) && held.get().expired())) {
            return Optional.empty();
        }
        long fence = DynamoDbItems.fence(credential);
        List<TransactWriteItem> items = List.of(
                new DynamoDbExpression().takeable(operationId, cutoff(now)).fenceIs(fence)
                        .set(LEASE_HOLDER, operationId).set(LEASE_KIND, operation.kind().name()).raiseFence()
                        .set(LEASE_UNTIL, leaseEnd(leaseFor)).set(LEASE_SINCE, leaseStart())
                        .updateOf(table, credentialKey(operation.credentialId())),
                new DynamoDbExpression().inProgress().checkOf(table, operationKey(operationId)));
        try {
            transact(items, null);
            return Optional.of(new Lease(operationId, operation.credentialId(), fence + 1));
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 0) || failedCondition(e, 1)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A journal row in progress and its reference in the credential's partition. */
    private List<TransactWriteItem> newOperation(String operationId, Operation.Kind kind, String credentialId,
                                                 List<ResourceRef> resources, Instant now) {
        return List.of(
                new DynamoDbExpression().itemIsNew().putOf(table,
                        DynamoDbItems.operationRow(operationId, kind, credentialId, resources, now)),
                new DynamoDbExpression().itemIsNew().putOf(table,
                        DynamoDbItems.reference(operationId, kind, credentialId, now)));
    }

    /** A refusal naming the holder as {@code lease()} would (expired by this instance's clock). */
    private LeaseRefused refusal(String credentialId, Map<String, AttributeValue> credential) {
        Instant now = clock.instant();
        return new LeaseRefused(credentialId, DynamoDbItems.status(credential),
                DynamoDbItems.leaseState(credential, cutoff(now), now).orElse(null));
    }

    private void transact(List<TransactWriteItem> items, String token) {
        DynamoDbTransact.send(client, items, token);
    }
}
