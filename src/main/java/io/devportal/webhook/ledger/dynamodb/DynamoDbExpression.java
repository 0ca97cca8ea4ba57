package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.FENCE;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_HOLDER;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.LEASE_UNTIL;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.STATUS;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.num;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbItems.str;
import static io.devportal.webhook.ledger.dynamodb.DynamoDbTable.PK;

/**
 * One item's expressions being built: its update (SET and REMOVE), its condition (all of its terms
 * must hold), and the attribute names and values they use (only those they use: DynamoDB refuses
 * unused ones). The ledger's conditions are written here once: the lease held ({@link #held}),
 * free ({@link #free}), expired ({@link #takeable}), the fence read ({@link #fenceIs}), the expected
 * status ({@link #status}), a journal row in progress ({@link #inProgress}).
 */
final class DynamoDbExpression {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();

    /** The placeholder of an attribute name. */
    String name(String attribute) {
        String placeholder = "#" + attribute.replaceAll("[^A-Za-z0-9_]", "_");
        names.put(placeholder, attribute);
        return placeholder;
    }

    /** A new placeholder for a value. */
    String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }

    // ---------------------------------------------------------------- updates

    DynamoDbExpression set(String attribute, AttributeValue value) {
        sets.add(name(attribute) + " = " + value(value));
        return this;
    }

    DynamoDbExpression set(String attribute, String value) {
        return set(attribute, str(value));
    }

    /** SET when there is a value, REMOVE when there is none. */
    DynamoDbExpression setOrRemove(String attribute, String value) {
        return value == null ? remove(attribute) : set(attribute, value);
    }

    /** The fence one higher; an item written before leases has none and gets 1. */
    DynamoDbExpression raiseFence() {
        String fence = name(FENCE);
        sets.add(fence + " = if_not_exists(" + fence + ", " + value(num(0)) + ") + " + value(num(1)));
        return this;
    }

    DynamoDbExpression remove(String... attributes) {
        for (String attribute : attributes) {
            removes.add(name(attribute));
        }
        return this;
    }

    // ---------------------------------------------------------------- conditions

    DynamoDbExpression condition(String term) {
        conditions.add(term);
        return this;
    }

    /** {@code #attribute = :value}, when a value is given (a filter term; nothing otherwise). */
    DynamoDbExpression equal(String attribute, String value) {
        return value == null ? this : condition(name(attribute) + " = " + value(str(value)));
    }

    DynamoDbExpression itemIsNew() {
        return condition("attribute_not_exists(" + name(PK) + ")");
    }

    DynamoDbExpression itemExists() {
        return condition("attribute_exists(" + name(PK) + ")");
    }

    /** The credential is in {@code expected}; no term when null (a transition that keeps any status). */
    DynamoDbExpression status(CredentialRecord.Status expected) {
        return expected == null ? this : condition(name(STATUS) + " = " + value(str(expected.name())));
    }

    /** The credential is still held by the lease's operation at the lease's fence. */
    DynamoDbExpression held(Lease lease) {
        return condition(name(LEASE_HOLDER) + " = " + value(str(lease.operationId())) + " AND "
                + name(FENCE) + " = " + value(num(lease.fence())));
    }

    /** Nobody holds the credential. */
    DynamoDbExpression free() {
        return condition("attribute_not_exists(" + name(LEASE_HOLDER) + ")");
    }

    /**
     * The credential's holder is {@code operationId} and its lease ended before {@code cutoff}, or it
     * was never leased at all (no holder and no fence: an item written before leases, whose
     * operation a version before leases left in progress). A credential whose lease was just
     * released has a fence, so a takeover never wins against an operation that has just finished.
     */
    DynamoDbExpression takeable(String operationId, Instant cutoff) {
        String holder = name(LEASE_HOLDER);
        return condition("((" + holder + " = " + value(str(operationId)) + " AND " + name(LEASE_UNTIL) + " < "
                + value(num(cutoff.toEpochMilli())) + ") OR (attribute_not_exists(" + holder + ") AND "
                + "attribute_not_exists(" + name(FENCE) + ")))");
    }

    /** The fence is still the one read (0: the item has none yet): the compare of a compare-and-set. */
    DynamoDbExpression fenceIs(long fence) {
        return condition(fence == 0 ? "attribute_not_exists(" + name(FENCE) + ")"
                : name(FENCE) + " = " + value(num(fence)));
    }

    /** The app's claim names this credential; with {@code orMissing}, or there is no claim. */
    DynamoDbExpression claimedBy(String credentialId, boolean orMissing) {
        String mine = name("credentialId") + " = " + value(str(credentialId));
        return condition(orMissing ? "(attribute_not_exists(" + name(PK) + ") OR " + mine + ")" : mine);
    }

    /** A journal row moves only from IN_PROGRESS. */
    DynamoDbExpression inProgress() {
        return condition(name(STATUS) + " = " + value(str(Operation.Status.IN_PROGRESS.name())));
    }

    // ---------------------------------------------------------------- expressions

    /** The update expression; null when there is nothing to update. */
    String update() {
        StringBuilder b = new StringBuilder();
        if (!sets.isEmpty()) {
            b.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** The condition (or filter) expression; null without terms. */
    String condition() {
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }

    Map<String, String> names() {
        return names.isEmpty() ? null : Map.copyOf(names);
    }

    Map<String, AttributeValue> values() {
        return values.isEmpty() ? null : Map.copyOf(values);
    }

    // ---------------------------------------------------------------- transaction items

    TransactWriteItem updateOf(String table, Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key).updateExpression(update())
                .conditionExpression(condition()).expressionAttributeNames(names())
                .expressionAttributeValues(values())).build();
    }

    TransactWriteItem putOf(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition())
                .expressionAttributeNames(names()).expressionAttributeValues(values())).build();
    }

    TransactWriteItem deleteOf(String table, Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key).conditionExpression(condition())
                .expressionAttributeNames(names()).expressionAttributeValues(values())).build();
    }

    TransactWriteItem checkOf(String table, Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key)
                .conditionExpression(condition()).expressionAttributeNames(names())
                .expressionAttributeValues(values())).build();
    }
}
