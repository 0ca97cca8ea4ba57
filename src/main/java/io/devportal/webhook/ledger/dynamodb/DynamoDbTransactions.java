package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseLost;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.ledger.Transition;
import io.devportal.webhook.model.ResourceRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_HOLDER;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_KIND;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_UNTIL;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.STATUS;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.claimKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.credentialKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.num;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.operationKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.referenceKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.s;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.time;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTransact.failedCondition;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.TTL;

/**
 * The DynamoDB ledger's writes under a lease ({@link DynamoDbLeases} takes it), each one
 * {@code TransactWriteItems}: every write of the holder carries {@code leaseHolder = :op AND
 * fence = :fence} and the status its {@link Transition} expects on the credential item, and
 * {@code status = IN_PROGRESS} on the journal row.
 */
final class DynamoDbTransactions {
    private final DynamoDbClient client;
    private final String table;
    private final Duration journalRetention;
    private final DynamoDbQueries reads;

    DynamoDbTransactions(DynamoDbClient client, String table, Duration journalRetention, DynamoDbQueries reads) {
        this.client = client;
        this.table = table;
        this.journalRetention = journalRetention;
        this.reads = reads;
    }

    void journalResources(Lease lease, List<ResourceRef> resources, Instant now) {
        List<TransactWriteItem> items = List.of(
                new DynamoDbExpression().held(lease).checkOf(table, credentialKey(lease.credentialId())),
                new DynamoDbExpression().inProgress().set("resources", Json.write(resources))
                        .set("updatedAt", time(now)).updateOf(table, operationKey(lease.operationId())));
        underLease("journal resources", lease, items);
    }

    /**
     * The holder gives its lease up for the sweeper: it ends at the epoch (expired whatever the
     * clocks), the operation stays in progress. Nothing happens when the lease is no longer held.
     */
    void abandon(Lease lease) {
        try {
            transact(List.of(new DynamoDbExpression().held(lease).set(LEASE_UNTIL, num(0))
                    .updateOf(table, credentialKey(lease.credentialId()))), null);
        } catch (TransactionCanceledException e) {
            if (!failedCondition(e, 0)) {
                throw e;
            }
        }
    }

    /**
     * One transition under the lease, in one transaction: the credential item (lease held, expected
     * status; the new status and {@code changes}; the lease removed), the journal row's end (from
     * IN_PROGRESS only) with its reference's expiry; for a completed create, a check that the app's
     * claim is still this credential's and the {@code lookups} (external-id partitions); the app's
     * claim deleted when the transition releases it.
     */
    void finish(Lease lease, Transition transition, String error, Instant now,
                Consumer<DynamoDbExpression> changes, List<String> lookups) {
        boolean create = transition == Transition.COMPLETE_CREATE;
        Map<String, AttributeValue> current = null;
        if (transition.releasesApp() || create) {
            // appHash and createdAt never change: read once, to name the claim and the lookups
            current = reads.get(credentialKey(lease.credentialId()));
            if (current == null || !lease.operationId().equals(s(current, LEASE_HOLDER))
                    || DynamoDbItems.fence(current) != lease.fence()) {
                throw new LeaseLost(transition.step(), lease);
            }
        }
        DynamoDbExpression credential = new DynamoDbExpression().held(lease).status(transition.from())
                .remove(LEASE_HOLDER, LEASE_KIND, LEASE_UNTIL, DynamoDbItems.LEASE_SINCE);
        if (transition.to() != null) {
            // a failed operation leaves the credential as it was: only its lease is released
            credential.set(STATUS, transition.to().name()).set("updatedAt", time(now));
        }
        changes.accept(credential);
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(credential.updateOf(table, credentialKey(lease.credentialId())));
        items.addAll(finishOperation(lease, transition.operation(), Transition.error(error), now));
        if (create) {
            // a create never completes into a second live credential of its app
            items.add(new DynamoDbExpression().claimedBy(lease.credentialId(), false)
                    .checkOf(table, claimKey(s(current, "appHash"))));
            String createdAt = s(current, "createdAt");
            for (String partition : lookups) {
                items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(DynamoDbItems.lookup(partition, createdAt, lease.credentialId()))).build());
            }
        }
        if (!transition.releasesApp()) {
            underLease(transition.step(), lease, items);
            return;
        }
        List<TransactWriteItem> releasing = new ArrayList<>(items);
        releasing.add(new DynamoDbExpression().claimedBy(lease.credentialId(), true)
                .deleteOf(table, claimKey(s(current, "appHash"))));
        try {
            transact(releasing, null);
        } catch (TransactionCanceledException e) {
            boolean onlyTheClaim = failedCondition(e, items.size()) && e.cancellationReasons().stream()
                    .limit(items.size()).allMatch(r -> r.code() == null || "None".equals(r.code()));
            if (!onlyTheClaim) {
                throw lost(transition.step(), lease, e);
            }
            // the claim is this credential's while it is live; should it be another's, leave that one alone
            underLease(transition.step(), lease, items);
        }
    }

    void appendAudit(AuditRecord record) {
        client.putItem(b -> b.tableName(table).item(DynamoDbItems.audit(record))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", DynamoDbTable.PK)));
    }

    /** The end of a journal row: its status, out of the in-progress index, an expiry for it and its reference. */
    private List<TransactWriteItem> finishOperation(Lease lease, Operation.Status status, String error, Instant now) {
        AttributeValue expires = num(now.plus(journalRetention).getEpochSecond());
        DynamoDbExpression row = new DynamoDbExpression().inProgress().set(STATUS, status.name())
                .set("updatedAt", time(now)).set("finishedAt", time(now)).set(TTL, expires)
                .setOrRemove("error", error).remove(GSI1_PK, GSI1_SK);
        return List.of(row.updateOf(table, operationKey(lease.operationId())),
                new DynamoDbExpression().itemExists().set(TTL, expires)
                        .updateOf(table, referenceKey(lease.credentialId(), lease.operationId())));
    }

    /** A transaction under a lease: any failed condition means the lease, or its expected status, is lost. */
    private void underLease(String step, Lease lease, List<TransactWriteItem> items) {
        try {
            transact(items, null);
        } catch (TransactionCanceledException e) {
            throw lost(step, lease, e);
        }
    }

    private static RuntimeException lost(String step, Lease lease, TransactionCanceledException e) {
        boolean failedCondition = e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
        return failedCondition ? new LeaseLost(step, lease) : e;
    }

    private void transact(List<TransactWriteItem> items, String token) {
        DynamoDbTransact.send(client, items, token);
    }
}
