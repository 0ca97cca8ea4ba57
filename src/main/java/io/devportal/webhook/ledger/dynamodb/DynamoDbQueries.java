package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.AUDIT;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.CREDENTIALS;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.IN_PROGRESS;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.asciiLower;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.claimKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.credentialKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.operationKey;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.s;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.str;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.time;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.SK;

/**
 * The DynamoDB ledger's reads. Every read that decides something is a strongly consistent read of
 * the table; only {@link #staleOperations} (whose rows are then re-read consistently), {@link #list}
 * and {@link #audit} go through the eventually consistent index. The caller maps SDK failures.
 */
final class DynamoDbQueries {
    private final DynamoDbClient client;
    private final String table;

    DynamoDbQueries(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** One item, strongly consistent; null when there is none. */
    Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    Optional<CredentialRecord> find(String credentialId) {
        return Optional.ofNullable(get(credentialKey(credentialId))).map(DynamoDbItems::credential);
    }

    Optional<CredentialRecord> findLive(String appId) {
        Map<String, AttributeValue> claim = get(claimKey(Ledger.appHash(appId)));
        return claim == null ? Optional.empty() : find(s(claim, "credentialId")).filter(r ->
                r.status() == CredentialRecord.Status.PENDING || r.status() == CredentialRecord.Status.ACTIVE);
    }

    /** The newest ACTIVE or REVOKED credential whose lookup item names {@code externalId}. */
    Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId) {
        DynamoDbExpression key = new DynamoDbExpression();
        String condition = key.name(PK) + " = " + key.value(str(DynamoDbItems.externalPartition(kind, externalId)));
        for (Map<String, AttributeValue> lookup : queryTable(condition, key, false)) {
            Optional<CredentialRecord> record = find(s(lookup, "credentialId")).filter(r ->
                    r.status() == CredentialRecord.Status.ACTIVE || r.status() == CredentialRecord.Status.REVOKED);
            if (record.isPresent()) {
                return record;
            }
        }
        return Optional.empty();
    }

    /** Who holds the credential, read at {@code now}; expired when its lease ended before {@code cutoff}. */
    Optional<LeaseState> lease(String credentialId, Instant cutoff, Instant now) {
        return DynamoDbItems.leaseState(get(credentialKey(credentialId)), cutoff, now);
    }

    Optional<Operation> findOperation(String operationId) {
        return Optional.ofNullable(get(operationKey(operationId))).map(DynamoDbItems::operation);
    }

    /**
     * Every operation in progress, oldest first: the sparse in-progress index, each row then read
     * again consistently (the index is eventually consistent: a row finished a moment ago may still
     * be listed, one begun a moment ago may be missing).
     */
    List<Operation> operationsInProgress() {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryIndex(IN_PROGRESS, new DynamoDbExpression(), null, null,
                Integer.MAX_VALUE, true)) {
            keys.add(operationKey(s(item, "id")));
        }
        List<Operation> inProgress = new ArrayList<>(batchGet(keys).stream().filter(DynamoDbItems::inProgress)
                .map(DynamoDbItems::operation).toList());
        inProgress.sort(Comparator.comparing(Operation::startedAt).thenComparing(Operation::id));
        return inProgress;
    }

    /**
     * Operations in progress whose lease ended before {@code cutoff}, or whose credential has no
     * holder: {@link #operationsInProgress}, then a consistent read of their credentials.
     */
    List<Operation> staleOperations(Instant cutoff) {
        List<Operation> inProgress = operationsInProgress();
        Map<String, Map<String, AttributeValue>> credentials = new HashMap<>();
        for (Map<String, AttributeValue> c : batchGet(inProgress.stream().map(Operation::credentialId).distinct()
                .map(DynamoDbItems::credentialKey).toList())) {
            credentials.put(s(c, "id"), c);
        }
        List<Operation> stale = new ArrayList<>();
        for (Operation operation : inProgress) {
            Map<String, AttributeValue> credential = credentials.get(operation.credentialId());
            if (credential == null) {
                continue;
            }
            Optional<LeaseState> lease = DynamoDbItems.leaseState(credential, cutoff, cutoff);
            boolean neverLeased = lease.isEmpty() && !credential.containsKey(DynamoDbItems.FENCE);
            if (neverLeased || (lease.isPresent() && lease.get().operationId().equals(operation.id())
                    && lease.get().expired())) {
                stale.add(operation);
            }
        }
        return stale;
    }

    List<Operation> operationsOf(String credentialId) {
        DynamoDbExpression key = new DynamoDbExpression();
        String condition = key.name(PK) + " = " + key.value(str("CRED#" + credentialId)) + " AND begins_with("
                + key.name(SK) + ", " + key.value(str("OP#")) + ")";
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> ref : queryTable(condition, key, true)) {
            keys.add(operationKey(s(ref, "operationId")));
        }
        List<Operation> operations = new ArrayList<>(batchGet(keys).stream().map(DynamoDbItems::operation).toList());
        operations.sort(Comparator.comparing(Operation::startedAt).thenComparing(Operation::id));
        return operations;
    }

    List<CredentialRecord> list(CredentialQuery query) {
        DynamoDbExpression filter = appFilter(query.app())
                .equal("developerLower", query.developer() == null ? null : asciiLower(query.developer()))
                .equal("status", query.status() == null ? null : query.status().name())
                .equal("kind", query.kind() == null ? null : query.kind().name());
        return queryIndex(CREDENTIALS, filter, filter.condition(), null, limit(query.limit()), true).stream()
                .map(DynamoDbItems::credential).toList();
    }

    /** With a limit, the newest records (the tail of the trail), returned oldest first. */
    List<AuditRecord> audit(AuditRecord.Query query) {
        DynamoDbExpression filter = appFilter(query.app()).equal("credentialId", query.credentialId());
        String terms = filter.condition();
        String range = query.since() == null ? null
                : filter.name(GSI1_SK) + " >= " + filter.value(str(time(query.since())));
        List<AuditRecord> newestFirst = new ArrayList<>(queryIndex(AUDIT, filter, terms, range, limit(query.limit()),
                false).stream().map(DynamoDbItems::auditRecord).toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Items by key, strongly consistent, 100 a request, unprocessed keys sent again. */
    List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
            int attempt = 0;
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> current = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(current));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : null;
                if (request != null && !request.isEmpty()) {
                    DynamoDbTransact.pause(Math.min(++attempt, 6));
                }
            }
        }
        return items;
    }

    private static DynamoDbExpression appFilter(String app) {
        DynamoDbExpression filter = new DynamoDbExpression();
        if (app != null) {
            String value = filter.value(str(app));
            filter.condition("(" + filter.name("appId") + " = " + value + " OR " + filter.name("appName") + " = "
                    + value + ")");
        }
        return filter;
    }

    /** All items of one table partition, strongly consistent, in sort-key order or reversed. */
    private List<Map<String, AttributeValue>> queryTable(String keyCondition, DynamoDbExpression key,
                                                         boolean forward) {
        List<Map<String, AttributeValue>> result = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            QueryResponse page = client.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression(keyCondition).expressionAttributeNames(key.names())
                    .expressionAttributeValues(key.values()).scanIndexForward(forward).exclusiveStartKey(from));
            result.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return result;
    }

    /**
     * Items of one index partition (oldest first when {@code forward}), filtered by {@code filter}, at
     * most {@code limit}; {@code range} adds a sort-key term. Both use {@code e}'s names and values.
     */
    private List<Map<String, AttributeValue>> queryIndex(String partition, DynamoDbExpression e, String filter,
                                                         String range, int limit, boolean forward) {
        String keyCondition = e.name(GSI1_PK) + " = " + e.value(str(partition)) + (range == null ? "" : " AND " + range);
        Map<String, String> names = e.names();
        Map<String, AttributeValue> values = e.values();
        List<Map<String, AttributeValue>> result = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            QueryResponse page = client.query(b -> b.tableName(table).indexName(GSI1)
                    .keyConditionExpression(keyCondition).filterExpression(filter)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(forward).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                if (result.size() >= limit) {
                    return result;
                }
                result.add(item);
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && result.size() < limit);
        return result;
    }

    private static int limit(int requested) {
        return requested <= 0 ? Integer.MAX_VALUE : requested;
    }
}
