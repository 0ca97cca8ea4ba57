package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log of every STS AssumeRole that passed through the strict twin ({@link StrictAws#assumedRoles}):
 * role ARN, external id, session name, duration, the signature's Region and the Host the client sent it
 * to, and what came back. The twin's reset does not clear it (a credentials provider caches its session
 * across tests, so a test class's one AssumeRole would be lost to the next test's reset);
 * {@link #clear} does ({@link StrictAws#forgetAssumedRoles}).
 */
final class StrictAwsAssumedRoles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> assumedRoles = new CopyOnWriteArrayList<>();

    /** Notes an AssumeRole: what was asked, of which Region and host, and what came back. */
    void record(HttpExchange exchange, byte[] body, StrictAwsCaller caller, StrictAwsAnswer answer) throws IOException {
        Map<String, String> params = parameters(exchange, body);
        ObjectNode entry = JSON.createObjectNode();
        entry.put("roleArn", params.get("RoleArn"));
        entry.put("externalId", params.get("ExternalId"));
        entry.put("roleSessionName", params.get("RoleSessionName"));
        String duration = params.get("DurationSeconds");
        if (duration == null) {
            entry.putNull("durationSeconds");
        } else {
            entry.put("durationSeconds", Integer.parseInt(duration));
        }
        entry.put("region", caller.region());
        entry.put("service", caller.service());
        entry.put("host", exchange.getRequestHeaders().getFirst("Host"));
        entry.put("callerAccount", caller.account());
        entry.put("status", answer.status());
        Matcher key = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>")
                .matcher(new String(answer.body(), StandardCharsets.UTF_8));
        if (answer.status() == 200 && key.find()) {
            entry.put("accessKeyId", key.group(1));
        } else {
            entry.putNull("accessKeyId");
        }
        assumedRoles.add(entry);
    }

    /** Every entry, oldest first. */
    ArrayNode json() {
        ArrayNode all = JSON.createArrayNode();
        assumedRoles.forEach(all::add);
        return all;
    }

    void clear() {
        assumedRoles.clear();
    }

    /** An STS request's parameters: the form body (query protocol) or the JSON body (JSON protocol). */
    private static Map<String, String> parameters(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (amzTarget != null && amzTarget.startsWith(StrictAwsOperations.STS_JSON)) {
            JSON.readTree(body).fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
            return params;
        }
        String form = new String(body, StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        for (String source : new String[] {query == null ? "" : query, form}) {
            for (String pair : source.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                params.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }
}
