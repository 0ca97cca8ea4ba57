package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The API Gateway rules the strict twin ({@link StrictAws}) enforces and moto does not, each in the
 * caller's account and Region: CreateApiKey and DeleteApiKey at 5 requests/s each (429
 * TooManyRequestsException beyond, {@link StrictAwsLimits#allowWrite}); GetApiKeys by name does not
 * show a key for its first {@code consistencyMillis}; CreateUsagePlanKey needs the usage plan and the
 * key to exist, and one usage plan per API stage per key (answered 400 BadRequestException or 409
 * ConflictException, {@code stageConflict}), checked under a lock of the key. Its look-ups before
 * CreateUsagePlanKey (the plan, the key and the key's plans) are made as the caller.
 */
final class StrictAwsApiGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StrictAwsMoto moto;
    private final StrictAwsLimits limits;
    private volatile int stageConflict;
    private volatile long consistencyMillis;

    StrictAwsApiGateway(StrictAwsMoto moto, StrictAwsLimits limits) {
        this.moto = moto;
        this.limits = limits;
    }

    /** stageConflict 400, consistencyMillis 300. */
    void defaults() {
        stageConflict = 400;
        consistencyMillis = 300;
    }

    void stageConflict(int status) {
        stageConflict = status;
    }

    void consistencyMillis(long millis) {
        consistencyMillis = millis;
    }

    /** CreateApiKey or DeleteApiKey: at the write rate; a created key's time noted for GetApiKeys. */
    StrictAwsAnswer writeKey(HttpExchange exchange, String operation, byte[] body, StrictAwsTargets.Target target)
            throws IOException, InterruptedException {
        if (!limits.allowWrite(target, operation)) {
            return StrictAwsAnswer.apiGatewayError(429, "TooManyRequestsException", "Too Many Requests");
        }
        StrictAwsAnswer answer = moto.forward(exchange, exchange.getRequestMethod(), body);
        if (operation.equals("CreateApiKey") && answer.status() == 201) {
            target.keyCreatedAt.put(JSON.readTree(answer.body()).path("id").asText(), System.nanoTime());
        }
        return answer;
    }

    /** GetApiKeys: by name, without the keys younger than consistencyMillis. */
    StrictAwsAnswer getApiKeys(HttpExchange exchange, byte[] body, StrictAwsTargets.Target target)
            throws IOException, InterruptedException {
        StrictAwsAnswer answer = moto.forward(exchange, exchange.getRequestMethod(), body);
        String query = exchange.getRequestURI().getRawQuery();
        if (answer.status() != 200 || query == null || !query.contains("name=") || consistencyMillis <= 0) {
            return answer;
        }
        return hideYoungKeys(answer, target);
    }

    /** CreateUsagePlanKey: refused as AWS refuses it, under the key's lock in the target. */
    StrictAwsAnswer createUsagePlanKey(HttpExchange exchange, String path, byte[] body, StrictAwsCaller caller,
                                       StrictAwsTargets.Target target) throws IOException, InterruptedException {
        Matcher m = StrictAwsOperations.PLAN_KEYS.matcher(path);
        m.matches();
        String planId = m.group(1);
        String keyId = JSON.readTree(body).path("keyId").asText();
        synchronized (target.keyLocks.computeIfAbsent(keyId, k -> new Object())) {
            StrictAwsAnswer refused = refuseAttachment(caller, planId, keyId);
            return refused != null ? refused : moto.forward(exchange, exchange.getRequestMethod(), body);
        }
    }

    /** One plan per API stage per key, and the plan and the key must exist: in the caller's account and Region. */
    private StrictAwsAnswer refuseAttachment(StrictAwsCaller caller, String planId, String keyId)
            throws IOException, InterruptedException {
        StrictAwsAnswer plan = moto.get(caller, "/usageplans/" + planId);
        if (plan.status() == 404) {
            return StrictAwsAnswer.apiGatewayError(404, "NotFoundException", "Invalid Usage Plan ID specified");
        }
        StrictAwsAnswer key = moto.get(caller, "/apikeys/" + keyId);
        if (key.status() == 404) {
            return StrictAwsAnswer.apiGatewayError(404, "NotFoundException", "Invalid API Key identifier specified");
        }
        Set<String> stages = stages(JSON.readTree(plan.body()));
        JsonNode ofKey = JSON.readTree(moto.get(caller, "/usageplans?keyId=" + keyId + "&limit=500").body()).path("item");
        for (JsonNode other : ofKey) {
            if (other.path("id").asText().equals(planId)) {
                continue;
            }
            for (String stage : stages(other)) {
                if (stages.contains(stage)) {
                    String message = "API Key " + keyId + " cannot reference multiple Usage Plans with the same API "
                            + "Stage: " + stage + " is already in usage plan " + other.path("id").asText();
                    return stageConflict == 409 ? StrictAwsAnswer.apiGatewayError(409, "ConflictException", message)
                            : StrictAwsAnswer.apiGatewayError(400, "BadRequestException", message);
                }
            }
        }
        return null;
    }

    private static Set<String> stages(JsonNode plan) {
        Set<String> stages = new HashSet<>();
        for (JsonNode s : plan.path("apiStages")) {
            stages.add(s.path("apiId").asText() + ":" + s.path("stage").asText());
        }
        return stages;
    }

    private StrictAwsAnswer hideYoungKeys(StrictAwsAnswer answer, StrictAwsTargets.Target target) throws IOException {
        ObjectNode page = (ObjectNode) JSON.readTree(answer.body());
        JsonNode items = page.path("item");
        if (!items.isArray()) {
            return answer;
        }
        long cutoff = System.nanoTime() - consistencyMillis * 1_000_000L;
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : items) {
            Long created = target.keyCreatedAt.get(item.path("id").asText());
            if (created == null || created <= cutoff) {
                kept.add(item);
            }
        }
        page.set("item", kept);
        Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers());
        return new StrictAwsAnswer(answer.status(), headers, JSON.writeValueAsBytes(page));
    }
}
