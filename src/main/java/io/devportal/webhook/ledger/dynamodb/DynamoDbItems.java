package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.AsciiCase;
import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.GSI1_SK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.SK;

/**
 * The DynamoDB ledger's item codec: the keys of every item, the items as they are written, and the
 * records read back from them (docs/dynamodb-ledger.md, "Items"). Nothing here talks to DynamoDB.
 */
final class DynamoDbItems {
    static final String CREDENTIALS = "CREDENTIALS";
    static final String IN_PROGRESS = "JOURNAL#IN_PROGRESS";
    static final String AUDIT = "AUDIT";

    /** The credential's lease: the holding operation, its kind, the fence, and its end in epoch milliseconds. */
    static final String LEASE_HOLDER = "leaseHolder";
    static final String LEASE_KIND = "leaseKind";
    static final String FENCE = "fence";
    static final String LEASE_UNTIL = "leaseUntil";
    /** When the holder took the lease, epoch milliseconds in the taking instance's clock (absent before it was kept). */
    static final String LEASE_SINCE = "leaseSince";
    static final String STATUS = "status";

    private static final TypeReference<List<ApiAccess>> APIS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<ResourceRef>> RESOURCES = new TypeReference<>() { };
    /** Fixed width, so that the strings sort as the instants do. */
    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private DynamoDbItems() {
    }

    // ---------------------------------------------------------------- keys

    static Map<String, AttributeValue> credentialKey(String credentialId) {
        return Map.of(PK, str("CRED#" + credentialId), SK, str("CRED"));
    }

    static Map<String, AttributeValue> claimKey(String appHash) {
        return Map.of(PK, str("APP#" + appHash), SK, str("LIVE"));
    }

    static Map<String, AttributeValue> operationKey(String operationId) {
        return Map.of(PK, str("OP#" + operationId), SK, str("OP"));
    }

    /** The journal reference: the operation, in its credential's partition. */
    static Map<String, AttributeValue> referenceKey(String credentialId, String operationId) {
        return Map.of(PK, str("CRED#" + credentialId), SK, str("OP#" + operationId));
    }

    static String externalPartition(CredentialKind kind, String externalId) {
        return (kind == CredentialKind.API_KEY ? "APIKEY#" : "CLIENT#") + externalId;
    }

    // ---------------------------------------------------------------- items written

    static Map<String, AttributeValue> claim(String appHash, String credentialId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(claimKey(appHash));
        item.put("credentialId", str(credentialId));
        item.put("claimedAt", str(time(now)));
        return item;
    }

    /** A pending credential that holds its first lease (fence 1) for its create. */
    static Map<String, AttributeValue> pendingCredential(CredentialRecord pending, String operationId,
                                                         AttributeValue leaseUntil, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(credentialKey(pending.id()));
        item.put(GSI1_PK, str(CREDENTIALS));
        item.put(GSI1_SK, str(time(now) + "#" + pending.id()));
        item.put("id", str(pending.id()));
        item.put("kind", str(pending.kind().name()));
        item.put("hybrid", AttributeValue.fromBool(pending.hybrid()));
        item.put("provider", str(pending.provider()));
        item.put("appId", str(pending.appId()));
        item.put("appHash", str(Ledger.appHash(pending.appId())));
        item.put("appName", str(pending.appName()));
        item.put("developer", str(pending.developer()));
        item.put("developerLower", str(asciiLower(pending.developer())));
        item.put("apis", str(Json.write(pending.apis())));
        item.put("usagePlans", str(Json.write(ApiAccess.usagePlansOf(pending.apis()))));
        item.put("scopes", str(Json.write(pending.scopes())));
        item.put("resources", str("[]"));
        item.put(STATUS, str(CredentialRecord.Status.PENDING.name()));
        item.put("createdAt", str(time(now)));
        item.put("updatedAt", str(time(now)));
        item.put(LEASE_HOLDER, str(operationId));
        item.put(LEASE_KIND, str(Operation.Kind.CREATE.name()));
        item.put(FENCE, num(1));
        item.put(LEASE_UNTIL, leaseUntil);
        item.put(LEASE_SINCE, num(now.toEpochMilli()));
        return item;
    }

    /** A journal row in progress, in the sparse in-progress index by start time. */
    static Map<String, AttributeValue> operationRow(String operationId, Operation.Kind kind, String credentialId,
                                                    List<ResourceRef> resources, Instant now) {
        Map<String, AttributeValue> row = new HashMap<>(operationKey(operationId));
        row.put(GSI1_PK, str(IN_PROGRESS));
        row.put(GSI1_SK, str(time(now) + "#" + operationId));
        row.put("id", str(operationId));
        row.put("kind", str(kind.name()));
        row.put("credentialId", str(credentialId));
        row.put(STATUS, str(Operation.Status.IN_PROGRESS.name()));
        row.put("resources", str(Json.write(resources)));
        row.put("startedAt", str(time(now)));
        row.put("updatedAt", str(time(now)));
        return row;
    }

    static Map<String, AttributeValue> reference(String operationId, Operation.Kind kind, String credentialId,
                                                 Instant now) {
        Map<String, AttributeValue> ref = new HashMap<>(referenceKey(credentialId, operationId));
        ref.put("operationId", str(operationId));
        ref.put("kind", str(kind.name()));
        ref.put("startedAt", str(time(now)));
        return ref;
    }

    /** An external-id lookup, newest credential last in its partition. */
    static Map<String, AttributeValue> lookup(String partition, String createdAt, String credentialId) {
        return Map.of(PK, str(partition), SK, str("CRED#" + createdAt + "#" + credentialId),
                "credentialId", str(credentialId));
    }

    static Map<String, AttributeValue> audit(AuditRecord record) {
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
        return item;
    }

    // ---------------------------------------------------------------- records read

    static CredentialRecord credential(Map<String, AttributeValue> item) {
        AttributeValue hybrid = item.get("hybrid");
        return new CredentialRecord(s(item, "id"), CredentialKind.valueOf(s(item, "kind")),
                hybrid != null && Boolean.TRUE.equals(hybrid.bool()), s(item, "provider"), s(item, "appId"),
                s(item, "appName"), s(item, "developer"), s(item, "apiKeyId"), s(item, "clientId"),
                Json.read(s(item, "apis"), APIS), Json.read(s(item, "scopes"), STRINGS),
                Json.read(s(item, "resources"), RESOURCES), status(item),
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "revokedAt"));
    }

    static CredentialRecord.Status status(Map<String, AttributeValue> credential) {
        return credential == null ? null : CredentialRecord.Status.valueOf(s(credential, STATUS));
    }

    static Operation operation(Map<String, AttributeValue> item) {
        return new Operation(s(item, "id"), Operation.Kind.valueOf(s(item, "kind")), s(item, "credentialId"),
                Operation.Status.valueOf(s(item, STATUS)), Json.read(s(item, "resources"), RESOURCES),
                instant(item, "startedAt"));
    }

    static boolean inProgress(Map<String, AttributeValue> operationRow) {
        return operationRow != null && Operation.Status.IN_PROGRESS.name().equals(s(operationRow, STATUS));
    }

    static AuditRecord auditRecord(Map<String, AttributeValue> item) {
        return new AuditRecord(s(item, "id"), instant(item, "at"), s(item, "operation"), s(item, "outcome"),
                s(item, "credentialId"), s(item, "apiKeyId"), s(item, "clientId"), s(item, "appId"),
                s(item, "appName"), s(item, "developer"), Json.read(s(item, "resources"), STRINGS),
                s(item, "account"), s(item, "clientAddress"), s(item, "requestId"));
    }

    /** The credential's fence: 0 on an item written before leases. */
    static long fence(Map<String, AttributeValue> credential) {
        AttributeValue v = credential.get(FENCE);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /** The lease's end in epoch milliseconds; 0 (long expired) when unset. */
    static long leaseUntil(Map<String, AttributeValue> credential) {
        AttributeValue v = credential.get(LEASE_UNTIL);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /**
     * Who holds the credential, read at {@code now} (the instance's clock): {@code expired} when its
     * lease ended before {@code cutoff} (now less the clock-skew margin), so it may be taken over in
     * {@code leaseUntil - cutoff}.
     */
    static Optional<LeaseState> leaseState(Map<String, AttributeValue> credential, Instant cutoff, Instant now) {
        if (credential == null || s(credential, LEASE_HOLDER) == null) {
            return Optional.empty();
        }
        AttributeValue since = credential.get(LEASE_SINCE);
        Duration held = since == null || since.n() == null ? null
                : Duration.ofMillis(now.toEpochMilli() - Long.parseLong(since.n()));
        long until = leaseUntil(credential);
        return Optional.of(new LeaseState(s(credential, LEASE_HOLDER), Operation.Kind.valueOf(s(credential, LEASE_KIND)),
                fence(credential), until < cutoff.toEpochMilli(), held, Duration.ofMillis(until - cutoff.toEpochMilli())));
    }

    // ---------------------------------------------------------------- values

    /** Lower case of ASCII letters only: the e-mail folding the service allows, nothing more. */
    static String asciiLower(String s) {
        return AsciiCase.lower(s);
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static AttributeValue str(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue num(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = s(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, str(value));
        }
    }
}
