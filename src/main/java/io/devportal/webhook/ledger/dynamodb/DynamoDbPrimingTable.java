package io.devportal.webhook.ledger.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devportal.webhook.awssdk.PrimingAnswers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-process stand-in for the ledger's table while priming ({@code AwsTransport.prime}): it
 * answers the DynamoDB calls of the {@link DynamoDbLedger} (GetItem, Query, BatchGetItem, PutItem,
 * UpdateItem, DeleteItem, TransactWriteItems) from items it holds in memory, so that a primed
 * create, update and revoke find what the earlier ones wrote and run to their end. It is made for
 * one priming run and dropped after it: nothing of it reaches DynamoDB or outlives the priming.
 * <p>
 * It is not DynamoDB: conditions are taken as met (the run is one request at a time on a new
 * table), filters and limits are ignored, and an update understands the ledger's own expressions
 * only ({@link DynamoDbExpression}: {@code SET #a = :v}, {@code if_not_exists(#a, :v) + :w},
 * {@code REMOVE #a}).
 */
public final class DynamoDbPrimingTable implements PrimingAnswers {
    private static final String PREFIX = "DynamoDB_20120810.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> items = new TreeMap<>();

    @Override
    public synchronized String answer(Call call) {
        if (call.target() == null || !call.target().startsWith(PREFIX)) {
            return null;
        }
        JsonNode request = read(call.body());
        ObjectNode answer = JSON.createObjectNode();
        switch (call.target().substring(PREFIX.length())) {
            case "GetItem" -> {
                ObjectNode item = items.get(key(request.path("Key")));
                if (item != null) {
                    answer.set("Item", item.deepCopy());
                }
            }
            case "Query" -> {
                ArrayNode found = answer.putArray("Items");
                query(request).forEach(i -> found.add(i.deepCopy()));
                answer.put("Count", found.size());
            }
            case "BatchGetItem" -> {
                ObjectNode responses = answer.putObject("Responses");
                request.path("RequestItems").fields().forEachRemaining(table -> {
                    ArrayNode found = responses.putArray(table.getKey());
                    table.getValue().path("Keys").forEach(k -> {
                        ObjectNode item = items.get(key(k));
                        if (item != null) {
                            found.add(item.deepCopy());
                        }
                    });
                });
                answer.putObject("UnprocessedKeys");
            }
            case "TransactWriteItems" -> request.path("TransactItems").forEach(this::write);
            case "PutItem" -> write(JSON.createObjectNode().set("Put", request));
            case "UpdateItem" -> write(JSON.createObjectNode().set("Update", request));
            case "DeleteItem" -> write(JSON.createObjectNode().set("Delete", request));
            default -> {
                return null;
            }
        }
        return answer.toString();
    }

    /** Every item held, as {@code pk|sk|status} (status empty when the item has none), in key order (tests). */
    public synchronized List<String> items() {
        List<String> out = new ArrayList<>();
        items.forEach((k, item) -> out.add(s(item, DynamoDbTable.PK) + "|" + s(item, DynamoDbTable.SK) + "|"
                + java.util.Objects.toString(s(item, DynamoDbItems.STATUS), "")));
        return out;
    }

    private void write(JsonNode item) {
        if (item.has("Put")) {
            ObjectNode put = (ObjectNode) item.get("Put").path("Item").deepCopy();
            items.put(key(put), put);
        } else if (item.has("Delete")) {
            items.remove(key(item.get("Delete").path("Key")));
        } else if (item.has("Update")) {
            JsonNode update = item.get("Update");
            ObjectNode current = items.computeIfAbsent(key(update.path("Key")),
                    k -> (ObjectNode) update.path("Key").deepCopy());
            apply(current, update.path("UpdateExpression").asText(""), update.path("ExpressionAttributeNames"),
                    update.path("ExpressionAttributeValues"));
        }
        // ConditionCheck: taken as met
    }

    private List<ObjectNode> query(JsonNode request) {
        JsonNode names = request.path("ExpressionAttributeNames");
        JsonNode values = request.path("ExpressionAttributeValues");
        List<String[]> terms = new ArrayList<>(); // attribute, value, "=" or "begins_with"
        for (String term : request.path("KeyConditionExpression").asText().split(" AND ")) {
            term = term.trim();
            if (term.startsWith("begins_with(")) {
                String[] args = term.substring("begins_with(".length(), term.length() - 1).split(",");
                terms.add(new String[]{names.path(args[0].trim()).asText(), values.path(args[1].trim()).path("S").asText(),
                        "begins_with"});
            } else {
                String[] sides = term.split(" = ");
                terms.add(new String[]{names.path(sides[0].trim()).asText(), values.path(sides[1].trim()).path("S").asText(),
                        "="});
            }
        }
        String sortKey = terms.size() > 1 ? terms.get(1)[0] : DynamoDbTable.SK;
        List<ObjectNode> found = new ArrayList<>(items.values().stream().filter(item -> terms.stream().allMatch(t -> {
            String value = s(item, t[0]);
            return value != null && (t[2].equals("=") ? value.equals(t[1]) : value.startsWith(t[1]));
        })).toList());
        found.sort(Comparator.comparing(i -> String.valueOf(s(i, sortKey))));
        if (!request.path("ScanIndexForward").asBoolean(true)) {
            java.util.Collections.reverse(found);
        }
        return found;
    }

    /** Applies {@code SET a = x, b = y REMOVE c, d} (placeholders only, as the ledger writes them). */
    private static void apply(ObjectNode item, String expression, JsonNode names, JsonNode values) {
        int remove = expression.indexOf("REMOVE ");
        String set = (remove < 0 ? expression : expression.substring(0, remove)).trim();
        if (set.startsWith("SET ")) {
            for (String clause : topLevel(set.substring(4))) {
                int eq = clause.indexOf(" = ");
                item.set(names.path(clause.substring(0, eq).trim()).asText(),
                        value(item, clause.substring(eq + 3).trim(), names, values));
            }
        }
        if (remove >= 0) {
            for (String name : expression.substring(remove + 7).split(",")) {
                item.remove(names.path(name.trim()).asText());
            }
        }
    }

    private static JsonNode value(ObjectNode item, String operand, JsonNode names, JsonNode values) {
        int plus = operand.lastIndexOf(" + ");
        if (plus > 0) {
            long sum = Long.parseLong(value(item, operand.substring(0, plus).trim(), names, values).path("N").asText())
                    + Long.parseLong(value(item, operand.substring(plus + 3).trim(), names, values).path("N").asText());
            return JSON.createObjectNode().put("N", Long.toString(sum));
        }
        if (operand.startsWith("if_not_exists(")) {
            String[] args = operand.substring("if_not_exists(".length(), operand.length() - 1).split(",");
            JsonNode present = item.get(names.path(args[0].trim()).asText());
            return present != null ? present : values.path(args[1].trim());
        }
        return operand.startsWith(":") ? values.path(operand) : item.path(names.path(operand).asText());
    }

    /** The clauses of a SET list: commas inside parentheses do not split. */
    private static List<String> topLevel(String list) {
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                clauses.add(list.substring(from, i).trim());
                from = i + 1;
            }
        }
        clauses.add(list.substring(from).trim());
        return clauses;
    }

    private static String key(JsonNode item) {
        return s(item, DynamoDbTable.PK) + "\u0000" + s(item, DynamoDbTable.SK);
    }

    private static String s(JsonNode item, String attribute) {
        JsonNode v = item.path(attribute);
        if (v.has("S")) {
            return v.get("S").asText();
        }
        return v.has("N") ? v.get("N").asText() : null;
    }

    private static JsonNode read(String body) {
        try {
            return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
