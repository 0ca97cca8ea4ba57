package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.Ids;
import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Json;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.ResourceRef;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.TTL;

/**
 * The ledger on one DynamoDB table (single-table design; docs/dynamodb-ledger.md). The items:
 * <ul>
 *   <li>credential {@code CRED#<id> / CRED}, in {@code gsi1} under {@code CREDENTIALS} by creation time;</li>
 *   <li>app claim {@code APP#<appHash> / LIVE}: exists while the app has a pending or active
 *       credential; written and removed in the same transaction as the credential's state;</li>
 *   <li>external-id lookups {@code APIKEY#<id>} and {@code CLIENT#<id>} / {@code CRED#<createdAt>#<credId>},
 *       written when a create completes (so pending and rolled-back credentials are never found by them);</li>
 *   <li>journal row {@code OP#<operationId> / OP}, in {@code gsi1} under {@code JOURNAL#IN_PROGRESS} by start
 *       time while it is in progress (a sparse index: the sweeper's query); {@code ttl} once finished;</li>
 *   <li>journal reference {@code CRED#<credId> / OP#<operationId>}: the credential's journal, read strongly
 *       consistently; {@code ttl} with its row;</li>
 *   <li>audit record {@code AUDIT#<id> / AUDIT}, in {@code gsi1} under {@code AUDIT} by time; never expires.</li>
 * </ul>
 * Every read that decides something ({@code find}, {@code findLive}, {@code findByExternalId},
 * {@code operationsOf}) is strongly consistent on the table; only {@code staleOperations} (re-read
 * consistently), {@code list} and {@code audit} go through the eventually consistent index. Every
 * multi-item change is one {@code TransactWriteItems}, acknowledged (durable in several zones)
 * before the method returns. No item holds a secret.
 */
@Singleton
@Typed(DynamoDbLedger.class)
public class DynamoDbLedger implements Ledger {

    static final String CREDENTIALS = "CREDENTIALS";
    static final String IN_PROGRESS = "JOURNAL#IN_PROGRESS";
    static final String AUDIT = "AUDIT";

    private static final TypeReference<List<ApiAccess>> APIS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<ResourceRef>> RESOURCES = new TypeReference<>() { };
    /** Fixed width, so that the strings sort as the instants do. */
    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_CONFLICT_ATTEMPTS = 6;

    private final DynamoDbClient client;
    private final String table;
    private final Duration journalRetention;

    @Inject
    DynamoDbLedger(DynamoDbClient client, WebhookConfig config) {
        this(client, config.dynamodb().table(), config.dynamodb().journalRetention());
    }

    /** A ledger on {@code table} through {@code client}; finished journal rows expire after {@code journalRetention}. */
    public DynamoDbLedger(DynamoDbClient client, String table, Duration journalRetention) {
        this.client = client;
        this.table = table;
        this.journalRetention = journalRetention;
    }

    public String table() {
        return table;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<CredentialRecord> findLive(String appId) {
        try {
            Map<String, AttributeValue> claim = get(claimKey(Ledger.appHash(appId)));
            if (claim == null) {
                return Optional.empty();
            }
            return find(s(claim, "credentialId")).filter(DynamoDbLedger::live);
        } catch (SdkException e) {
            throw new LedgerException("find live credential", e);
        }
    }

    @Override
    public Optional<CredentialRecord> find(String credentialId) {
        try {
            return Optional.ofNullable(get(credentialKey(credentialId))).map(DynamoDbLedger::credential);
        } catch (SdkException e) {
            throw new LedgerException("find credential", e);
        }
    }

    @Override
    public Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId) {
        try {
            Map<String, AttributeValue> startKey = null;
            do {
                QueryResponse page = client.query(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", str(externalPrefix(kind) + externalId)))
                        .scanIndexForward(false)
                        .exclusiveStartKey(startKey).build());
                for (Map<String, AttributeValue> lookup : page.items()) {
                    Optional<CredentialRecord> record = find(s(lookup, "credentialId"))
                            .filter(r -> r.status() == CredentialRecord.Status.ACTIVE
                                    || r.status() == CredentialRecord.Status.REVOKED);
                    if (record.isPresent()) {
                        return record;
                    }
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
            return Optional.empty();
        } catch (SdkException e) {
            throw new LedgerException("find credential by id", e);
        }
    }

    @Override
    public List<Operation> staleOperations(Instant startedBefore) {
        try {
            List<Operation> stale = new ArrayList<>();
            for (Map<String, AttributeValue> item : queryIndex(IN_PROGRESS, "#sk < :sk",
                    Map.of(":sk", str(time(startedBefore))), null, Map.of(), Integer.MAX_VALUE)) {
                // the index is eventually consistent: a row finished a moment ago may still be listed
                Map<String, AttributeValue> current = get(operationKey(s(item, "id")));
                if (current != null && Operation.Status.IN_PROGRESS.name().equals(s(current, "status"))) {
                    stale.add(operation(current));
                }
            }
            return stale;
        } catch (SdkException e) {
            throw new LedgerException("find stale operations", e);
        }
    }

    @Override
    public List<Operation> operationsOf(String credentialId) {
        try {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            Map<String, AttributeValue> startKey = null;
            do {
                QueryResponse page = client.query(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :op)")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(":pk", str("CRED#" + credentialId), ":op", str("OP#")))
                        .exclusiveStartKey(startKey).build());
                for (Map<String, AttributeValue> ref : page.items()) {
                    keys.add(operationKey(s(ref, "operationId")));
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
            List<Operation> operations = new ArrayList<>();
            for (Map<String, AttributeValue> item : batchGet(keys)) {
                operations.add(operation(item));
            }
            operations.sort(Comparator.comparing(Operation::startedAt).thenComparing(Operation::id));
            return operations;
        } catch (SdkException e) {
            throw new LedgerException("list operations", e);
        }
    }

    @Override
    public List<CredentialRecord> list(CredentialQuery query) {
        Filter filter = new Filter()
                .app(query.app())
                .equal("developerLower", "developer", query.developer() == null ? null : asciiLower(query.developer()))
                .equal("status", "status", query.status() == null ? null : query.status().name())
                .equal("kind", "kind", query.kind() == null ? null : query.kind().name());
        try {
            return queryIndex(CREDENTIALS, null, filter.values, filter.expression(),
                    filter.names, limit(query.limit())).stream().map(DynamoDbLedger::credential).toList();
        } catch (SdkException e) {
            throw new LedgerException("list credentials", e);
        }
    }

    @Override
    public List<AuditRecord> audit(AuditRecord.Query query) {
        Filter filter = new Filter()
                .app(query.app())
                .equal("credentialId", "credentialId", query.credentialId());
        String range = null;
        if (query.since() != null) {
            range = "#sk >= :since";
            filter.values.put(":since", str(time(query.since())));
        }
        try {
            // with a limit, the newest records (the tail of the trail), returned oldest first
            List<AuditRecord> newestFirst = queryIndex(AUDIT, range, filter.values,
                    filter.expression(), filter.names, limit(query.limit()), false)
                    .stream().map(DynamoDbLedger::auditRecord).collect(Collectors.toCollection(ArrayList::new));
            Collections.reverse(newestFirst);
            return newestFirst;
        } catch (SdkException e) {
            throw new LedgerException("read audit", e);
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Optional<String> beginCreate(CredentialRecord pending, Instant now) {
        String operationId = Ids.uuid();
        String appHash = Ledger.appHash(pending.appId());
        Map<String, AttributeValue> claim = new HashMap<>(claimKey(appHash));
        claim.put("credentialId", str(pending.id()));
        claim.put("claimedAt", str(time(now)));
        Map<String, AttributeValue> credential = new HashMap<>(credentialKey(pending.id()));
        credential.put(GSI1_PK, str(CREDENTIALS));
        credential.put(GSI1_SK, str(time(now) + "#" + pending.id()));
        credential.put("id", str(pending.id()));
        credential.put("kind", str(pending.kind().name()));
        credential.put("hybrid", AttributeValue.fromBool(pending.hybrid()));
        credential.put("provider", str(pending.provider()));
        credential.put("appId", str(pending.appId()));
        credential.put("appHash", str(appHash));
        credential.put("appName", str(pending.appName()));
        credential.put("developer", str(pending.developer()));
        credential.put("developerLower", str(asciiLower(pending.developer())));
        credential.put("apis", str(Json.write(pending.apis())));
        credential.put("usagePlans", str(Json.write(ApiAccess.usagePlansOf(pending.apis()))));
        credential.put("scopes", str(Json.write(pending.scopes())));
        credential.put("resources", str("[]"));
        credential.put("status", str(CredentialRecord.Status.PENDING.name()));
        credential.put("createdAt", str(time(now)));
        credential.put("updatedAt", str(time(now)));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(claim)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(credential)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build());
        items.addAll(newOperation(operationId, Operation.Kind.CREATE, pending.id(), List.of(), now));
        try {
            try {
                transact(items, operationId);
                return Optional.of(operationId);
            } catch (TransactionCanceledException e) {
                if (!failedCondition(e, 0)) {
                    throw e;
                }
            }
            // the app is claimed: by another credential, or by this very call if an earlier attempt
            // of it went through and only its answer was lost (then all of it was written)
            Map<String, AttributeValue> holder = get(claimKey(appHash));
            if (holder != null && pending.id().equals(s(holder, "credentialId"))) {
                return Optional.of(operationId);
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw new LedgerException("begin create", e);
        }
    }

    @Override
    public String beginOperation(Operation.Kind kind, String credentialId, List<ResourceRef> resources, Instant now) {
        String operationId = Ids.uuid();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(credentialKey(credentialId))
                .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build());
        items.addAll(newOperation(operationId, kind, credentialId, resources, now));
        try {
            transact(items, operationId);
            return operationId;
        } catch (SdkException e) {
            throw new LedgerException("begin operation", e);
        }
    }

    @Override
    public void journalResources(String operationId, List<ResourceRef> resources, Instant now) {
        try {
            client.updateItem(b -> b.tableName(table).key(operationKey(operationId))
                    .conditionExpression("attribute_exists(#pk)")
                    .updateExpression("SET #resources = :resources, #updatedAt = :now")
                    .expressionAttributeNames(Map.of("#pk", PK, "#resources", "resources", "#updatedAt", "updatedAt"))
                    .expressionAttributeValues(Map.of(":resources", str(Json.write(resources)), ":now", str(time(now)))));
        } catch (ConditionalCheckFailedException e) {
            throw new LedgerException("journal resources (unknown operation)", e);
        } catch (SdkException e) {
            throw new LedgerException("journal resources", e);
        }
    }

    @Override
    public void completeCreate(String operationId, String credentialId, String apiKeyId, String clientId,
                               List<String> scopes, List<ResourceRef> resources, Instant now) {
        Map<String, String> names = new LinkedHashMap<>(Map.of("#status", "status", "#scopes", "scopes",
                "#resources", "resources", "#updatedAt", "updatedAt", "#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", str(CredentialRecord.Status.ACTIVE.name()),
                ":scopes", str(Json.write(scopes)), ":resources", str(Json.write(resources)), ":now", str(time(now))));
        StringBuilder set = new StringBuilder("SET #status = :status, #scopes = :scopes, #resources = :resources, "
                + "#updatedAt = :now");
        List<String> remove = new ArrayList<>();
        setOrRemove("apiKeyId", apiKeyId, set, remove, names, values);
        setOrRemove("clientId", clientId, set, remove, names, values);
        String update = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            Map<String, AttributeValue> current = get(credentialKey(credentialId));
            if (current == null) {
                throw new LedgerException("complete create (unknown credential)", null);
            }
            String createdAt = s(current, "createdAt");
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(credentialKey(credentialId))
                    .conditionExpression("attribute_exists(#pk)").updateExpression(update)
                    .expressionAttributeNames(names).expressionAttributeValues(values)).build());
            if (apiKeyId != null) {
                items.add(lookup("APIKEY#" + apiKeyId, createdAt, credentialId));
            }
            if (clientId != null) {
                items.add(lookup("CLIENT#" + clientId, createdAt, credentialId));
            }
            items.addAll(finishOperation(operationId, credentialId, Operation.Status.DONE, null, now));
            transact(items, null);
        } catch (SdkException e) {
            throw new LedgerException("complete create", e);
        }
    }

    @Override
    public void rollBackCreate(String operationId, String credentialId, String error, Instant now) {
        endLife("roll back create", operationId, credentialId, CredentialRecord.Status.ROLLED_BACK,
                Operation.Status.ROLLED_BACK, error, now);
    }

    @Override
    public void completeUpdate(String operationId, String credentialId, String appName, String developer,
                               List<ApiAccess> apis, List<String> scopes, List<ResourceRef> resources, Instant now) {
        Map<String, String> names = new HashMap<>();
        names.put("#pk", PK);
        names.put("#appName", "appName");
        names.put("#developer", "developer");
        names.put("#developerLower", "developerLower");
        names.put("#apis", "apis");
        names.put("#usagePlans", "usagePlans");
        names.put("#scopes", "scopes");
        names.put("#resources", "resources");
        names.put("#updatedAt", "updatedAt");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":appName", str(appName));
        values.put(":developer", str(developer));
        values.put(":developerLower", str(asciiLower(developer)));
        values.put(":apis", str(Json.write(apis)));
        values.put(":usagePlans", str(Json.write(ApiAccess.usagePlansOf(apis))));
        values.put(":scopes", str(Json.write(scopes)));
        values.put(":resources", str(Json.write(resources)));
        values.put(":now", str(time(now)));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(credentialKey(credentialId))
                .conditionExpression("attribute_exists(#pk)")
                .updateExpression("SET #appName = :appName, #developer = :developer, #developerLower = :developerLower, "
                        + "#apis = :apis, #usagePlans = :usagePlans, #scopes = :scopes, #resources = :resources, "
                        + "#updatedAt = :now")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build());
        items.addAll(finishOperation(operationId, credentialId, Operation.Status.DONE, null, now));
        try {
            transact(items, null);
        } catch (SdkException e) {
            throw new LedgerException("complete update", e);
        }
    }

    @Override
    public void completeRevoke(String operationId, String credentialId, Instant now) {
        endLife("complete revoke", operationId, credentialId, CredentialRecord.Status.REVOKED,
                Operation.Status.DONE, null, now);
    }

    @Override
    public void failOperation(String operationId, String error, Instant now) {
        try {
            Map<String, AttributeValue> operation = get(operationKey(operationId));
            if (operation == null) {
                throw new LedgerException("fail operation (unknown operation)", null);
            }
            transact(finishOperation(operationId, s(operation, "credentialId"), Operation.Status.FAILED, error, now),
                    null);
        } catch (SdkException e) {
            throw new LedgerException("fail operation", e);
        }
    }

    @Override
    public void appendAudit(AuditRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, str("AUDIT#" + record.id()));
        item.put(SK, str("AUDIT"));
        item.put(GSI1_PK, str(AUDIT));
        item.put(GSI1_SK, str(time(record.at()) + "#" + record.id()));
        item.put("id", str(record.id()));
        item.put("at", str(time(record.at())));
        item.put("operation", str(record.operation()));
        item.put("outcome", str(record.outcome()));
        putIfPresent(item, "credentialId", record.credentialId());
        putIfPresent(item, "apiKeyId", record.apiKeyId());
        putIfPresent(item, "clientId", record.clientId());
        putIfPresent(item, "appId", record.appId());
        putIfPresent(item, "appName", record.appName());
        putIfPresent(item, "developer", record.developer());
        item.put("resources", str(Json.write(record.resources())));
        putIfPresent(item, "account", record.account());
        putIfPresent(item, "clientAddress", record.clientAddress());
        putIfPresent(item, "requestId", record.requestId());
        try {
            client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new LedgerException("append audit (the id is taken: records are never replaced)", e);
        } catch (SdkException e) {
            throw new LedgerException("append audit", e);
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * The end of a credential's life (rolled back or revoked): its status, the release of its app's
     * claim and the end of its journal row, in one transaction. The claim is removed only if it is
     * this credential's: a repeated call after the app was claimed again leaves the new claim alone.
     */
    private void endLife(String step, String operationId, String credentialId, CredentialRecord.Status status,
                         Operation.Status operationStatus, String error, Instant now) {
        try {
            Map<String, AttributeValue> current = get(credentialKey(credentialId));
            if (current == null) {
                throw new LedgerException(step + " (unknown credential)", null);
            }
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", "status", "#updatedAt", "updatedAt"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", str(status.name()),
                    ":now", str(time(now))));
            String update = "SET #status = :status, #updatedAt = :now";
            if (status == CredentialRecord.Status.REVOKED) {
                names.put("#revokedAt", "revokedAt");
                update += ", #revokedAt = :now";
            }
            String credentialUpdate = update;
            TransactWriteItem credential = TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(credentialKey(credentialId)).conditionExpression("attribute_exists(#pk)")
                    .updateExpression(credentialUpdate).expressionAttributeNames(names)
                    .expressionAttributeValues(values)).build();
            TransactWriteItem release = TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(claimKey(s(current, "appHash")))
                    .conditionExpression("attribute_not_exists(#pk) OR #credentialId = :id")
                    .expressionAttributeNames(Map.of("#pk", PK, "#credentialId", "credentialId"))
                    .expressionAttributeValues(Map.of(":id", str(credentialId)))).build();
            List<TransactWriteItem> finish = finishOperation(operationId, credentialId, operationStatus, error, now);
            List<TransactWriteItem> items = new ArrayList<>(List.of(credential, release));
            items.addAll(finish);
            try {
                transact(items, null);
            } catch (TransactionCanceledException e) {
                if (!failedCondition(e, 1)) {
                    throw e;
                }
                // the app holds a newer credential's claim: ours was released before
                List<TransactWriteItem> withoutRelease = new ArrayList<>(List.of(credential));
                withoutRelease.addAll(finish);
                transact(withoutRelease, null);
            }
        } catch (SdkException e) {
            throw new LedgerException(step, e);
        }
    }

    /** A journal row in progress and its reference in the credential's partition. */
    private List<TransactWriteItem> newOperation(String operationId, Operation.Kind kind, String credentialId,
                                                 List<ResourceRef> resources, Instant now) {
        Map<String, AttributeValue> row = new HashMap<>(operationKey(operationId));
        row.put(GSI1_PK, str(IN_PROGRESS));
        row.put(GSI1_SK, str(time(now) + "#" + operationId));
        row.put("id", str(operationId));
        row.put("kind", str(kind.name()));
        row.put("credentialId", str(credentialId));
        row.put("status", str(Operation.Status.IN_PROGRESS.name()));
        row.put("resources", str(Json.write(resources)));
        row.put("startedAt", str(time(now)));
        row.put("updatedAt", str(time(now)));
        Map<String, AttributeValue> ref = new HashMap<>();
        ref.put(PK, str("CRED#" + credentialId));
        ref.put(SK, str("OP#" + operationId));
        ref.put("operationId", str(operationId));
        ref.put("kind", str(kind.name()));
        ref.put("startedAt", str(time(now)));
        return List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(row)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(ref)).build());
    }

    /** The end of a journal row: its status, out of the in-progress index, and an expiry for it and its reference. */
    private List<TransactWriteItem> finishOperation(String operationId, String credentialId, Operation.Status status,
                                                    String error, Instant now) {
        AttributeValue expires = AttributeValue.fromN(Long.toString(now.plus(journalRetention).getEpochSecond()));
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", "status", "#updatedAt", "updatedAt",
                "#finishedAt", "finishedAt", "#ttl", TTL, "#gsi1pk", GSI1_PK, "#gsi1sk", GSI1_SK, "#error", "error"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", str(status.name()), ":now", str(time(now)),
                ":ttl", expires));
        String update;
        if (error == null) {
            update = "SET #status = :status, #updatedAt = :now, #finishedAt = :now, #ttl = :ttl "
                    + "REMOVE #gsi1pk, #gsi1sk, #error";
        } else {
            values.put(":error", str(error.length() <= 1000 ? error : error.substring(0, 1000)));
            update = "SET #status = :status, #updatedAt = :now, #finishedAt = :now, #ttl = :ttl, #error = :error "
                    + "REMOVE #gsi1pk, #gsi1sk";
        }
        return List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(operationKey(operationId))
                        .conditionExpression("attribute_exists(#pk)").updateExpression(update)
                        .expressionAttributeNames(names).expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of(PK, str("CRED#" + credentialId), SK, str("OP#" + operationId)))
                        .updateExpression("SET #ttl = :ttl")
                        .expressionAttributeNames(Map.of("#ttl", TTL))
                        .expressionAttributeValues(Map.of(":ttl", expires))).build());
    }

    private TransactWriteItem lookup(String pk, String createdAt, String credentialId) {
        Map<String, AttributeValue> item = Map.of(PK, str(pk), SK, str("CRED#" + createdAt + "#" + credentialId),
                "credentialId", str(credentialId));
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    /**
     * One transaction. The token makes the SDK's own retries of it idempotent (a retry after a lost
     * answer is not applied twice). A transaction cancelled only by a conflict with another one in
     * flight on the same items is tried again after a short pause; any other cancellation is thrown.
     */
    private void transact(List<TransactWriteItem> items, String token) {
        for (int attempt = 1; ; attempt++) {
            String requestToken = attempt == 1 && token != null ? token : Ids.uuid();
            try {
                client.transactWriteItems(b -> b.transactItems(items).clientRequestToken(requestToken));
                return;
            } catch (TransactionCanceledException e) {
                List<String> codes = e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : List.of();
                boolean conflictOnly = codes.contains("TransactionConflict") && codes.stream()
                        .allMatch(code -> code == null || "None".equals(code) || "TransactionConflict".equals(code));
                if (!conflictOnly || attempt >= MAX_CONFLICT_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 20 * (1L << attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("transaction retry", e);
        }
    }

    private static boolean failedCondition(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
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
                    pause(Math.min(++attempt, 6));
                }
            }
        }
        return items;
    }

    /** Items of one index partition in sort-key order, filtered, at most {@code limit}. */
    private List<Map<String, AttributeValue>> queryIndex(String partition, String range,
                                                         Map<String, AttributeValue> rangeAndFilterValues,
                                                         String filter, Map<String, String> filterNames, int limit) {
        return queryIndex(partition, range, rangeAndFilterValues, filter, filterNames, limit, true);
    }

    /** A query of one index partition, oldest first ({@code forward}) or newest first, at most {@code limit} items. */
    private List<Map<String, AttributeValue>> queryIndex(String partition, String range,
                                                         Map<String, AttributeValue> rangeAndFilterValues,
                                                         String filter, Map<String, String> filterNames, int limit,
                                                         boolean forward) {
        Map<String, String> names = new HashMap<>(filterNames);
        names.put("#pk", GSI1_PK);
        Map<String, AttributeValue> values = new HashMap<>(rangeAndFilterValues);
        values.put(":pk", str(partition));
        String condition = "#pk = :pk";
        if (range != null) {
            names.put("#sk", GSI1_SK);
            condition += " AND " + range;
        }
        String keyCondition = condition;
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

    /** A query's limit: {@code <= 0} means all. */
    private static int limit(int requested) {
        return requested <= 0 ? Integer.MAX_VALUE : requested;
    }

    private static boolean live(CredentialRecord r) {
        return r.status() == CredentialRecord.Status.PENDING || r.status() == CredentialRecord.Status.ACTIVE;
    }

    private static String externalPrefix(CredentialKind kind) {
        return kind == CredentialKind.API_KEY ? "APIKEY#" : "CLIENT#";
    }

    static Map<String, AttributeValue> credentialKey(String credentialId) {
        return Map.of(PK, str("CRED#" + credentialId), SK, str("CRED"));
    }

    static Map<String, AttributeValue> claimKey(String appHash) {
        return Map.of(PK, str("APP#" + appHash), SK, str("LIVE"));
    }

    static Map<String, AttributeValue> operationKey(String operationId) {
        return Map.of(PK, str("OP#" + operationId), SK, str("OP"));
    }

    private static void setOrRemove(String attribute, String value, StringBuilder set, List<String> remove,
                                    Map<String, String> names, Map<String, AttributeValue> values) {
        names.put("#" + attribute, attribute);
        if (value == null) {
            remove.add("#" + attribute);
        } else {
            set.append(", #").append(attribute).append(" = :").append(attribute);
            values.put(":" + attribute, str(value));
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, str(value));
        }
    }

    /** Lower case of ASCII letters only: the e-mail folding the service allows, nothing more. */
    static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static AttributeValue str(String value) {
        return AttributeValue.fromS(value);
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = s(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static CredentialRecord credential(Map<String, AttributeValue> item) {
        AttributeValue hybrid = item.get("hybrid");
        return new CredentialRecord(s(item, "id"), CredentialKind.valueOf(s(item, "kind")),
                hybrid != null && Boolean.TRUE.equals(hybrid.bool()), s(item, "provider"), s(item, "appId"),
                s(item, "appName"), s(item, "developer"), s(item, "apiKeyId"), s(item, "clientId"),
                Json.read(s(item, "apis"), APIS), Json.read(s(item, "scopes"), STRINGS),
                Json.read(s(item, "resources"), RESOURCES), CredentialRecord.Status.valueOf(s(item, "status")),
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "revokedAt"));
    }

    private static Operation operation(Map<String, AttributeValue> item) {
        return new Operation(s(item, "id"), Operation.Kind.valueOf(s(item, "kind")), s(item, "credentialId"),
                Operation.Status.valueOf(s(item, "status")), Json.read(s(item, "resources"), RESOURCES),
                instant(item, "startedAt"));
    }

    private static AuditRecord auditRecord(Map<String, AttributeValue> item) {
        return new AuditRecord(s(item, "id"), instant(item, "at"), s(item, "operation"), s(item, "outcome"),
                s(item, "credentialId"), s(item, "apiKeyId"), s(item, "clientId"), s(item, "appId"),
                s(item, "appName"), s(item, "developer"), Json.read(s(item, "resources"), STRINGS),
                s(item, "account"), s(item, "clientAddress"), s(item, "requestId"));
    }

    /** A FilterExpression being built for list and audit: its conditions (all must hold), names and values. */
    private static final class Filter {
        private final List<String> conditions = new ArrayList<>();
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        /** The app id or the app name is exactly {@code app}, when given. */
        Filter app(String app) {
            if (app != null) {
                conditions.add("(#appId = :app OR #appName = :app)");
                names.put("#appId", "appId");
                names.put("#appName", "appName");
                values.put(":app", str(app));
            }
            return this;
        }

        /** {@code #attribute = :placeholder}, when a value is given. */
        Filter equal(String attribute, String placeholder, String value) {
            if (value != null) {
                conditions.add("#" + attribute + " = :" + placeholder);
                names.put("#" + attribute, attribute);
                values.put(":" + placeholder, str(value));
            }
            return this;
        }

        /** The FilterExpression; null without conditions. */
        String expression() {
            return conditions.isEmpty() ? null : String.join(" AND ", conditions);
        }
    }
}
