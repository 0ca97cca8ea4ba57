package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.str;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.asciiLower;

/**
 * Data retention on DynamoDB ({@link Ledger#erasePersonalData}): the ended credential's item,
 * conditioned on its status, then each of its audit records (and the app's refused creates).
 * Each item is one conditional update; a repeat finds nothing left to change.
 */
final class DynamoDbErasure {
    private final DynamoDbClient client;
    private final String table;
    private final DynamoDbQueries reads;

    DynamoDbErasure(DynamoDbClient client, String table, DynamoDbQueries reads) {
        this.client = client;
        this.table = table;
        this.reads = reads;
    }

    void erase(CredentialRecord ended) {
        String erased = Ledger.erasedAppId(ended.appId());
        try {
            client.updateItem(b -> b.tableName(table).key(DynamoDbItems.credentialKey(ended.id()))
                    .updateExpression("SET appId = :appId, appName = :erased, developer = :erased, "
                            + "developerLower = :erasedLower")
                    .conditionExpression("#status IN (:revoked, :rolledBack)")
                    .expressionAttributeNames(Map.of("#status", DynamoDbItems.STATUS))
                    .expressionAttributeValues(Map.of(":appId", str(erased), ":erased", str(Ledger.ERASED),
                            ":erasedLower", str(asciiLower(Ledger.ERASED)),
                            ":revoked", str(CredentialRecord.Status.REVOKED.name()),
                            ":rolledBack", str(CredentialRecord.Status.ROLLED_BACK.name()))));
        } catch (ConditionalCheckFailedException live) {
            return;
        }
        List<AuditRecord> records = new ArrayList<>(reads.audit(new AuditRecord.Query(null, null, ended.id(), 0)));
        reads.audit(new AuditRecord.Query(null, ended.appId(), null, 0)).stream()
                .filter(r -> r.credentialId() == null && ended.appId().equals(r.appId())).forEach(records::add);
        for (AuditRecord r : records) {
            Map<String, AttributeValue> key = Map.of(DynamoDbTable.PK, str("AUDIT#" + r.id()),
                    DynamoDbTable.SK, str("AUDIT"));
            client.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("SET appId = :appId, appName = :erased, developer = :erased")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", DynamoDbTable.PK))
                    .expressionAttributeValues(Map.of(":appId", str(erased), ":erased", str(Ledger.ERASED))));
        }
    }
}
