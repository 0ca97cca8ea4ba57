package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The strict twin's control endpoint, {@code /_twin/...}, which {@link StrictAws}'s static API calls
 * over HTTP (so that tests need not share a class loader with the twin): the reads ({@code stats},
 * {@code services}, {@code call-times}, {@code targets}, {@code assumed-roles}) and {@code config},
 * which changes the settings {@link StrictAws#configure} names.
 */
final class StrictAwsControl {
    private final StrictAwsProxy twin;

    StrictAwsControl(StrictAwsProxy twin) {
        this.twin = twin;
    }

    void handle(HttpExchange exchange, String path) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        if (path.equals("/_twin/stats")) {
            JsonNode stats;
            if (query != null && query.startsWith("target=")) {
                stats = twin.targets.stats(query.substring("target=".length()));
            } else {
                stats = twin.targets.stats();
            }
            StrictAwsAnswer.json(stats).send(exchange);
            return;
        }
        if (path.equals("/_twin/services")) {
            StrictAwsAnswer.json(twin.targets.services(query == null ? null : query.substring("target=".length())))
                    .send(exchange);
            return;
        }
        if (path.equals("/_twin/call-times")) {
            Map<String, String> q = new HashMap<>();
            for (String kv : query.split("&")) {
                q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            StrictAwsAnswer.json(twin.callTimes.json(q.get("target"), q.get("service"))).send(exchange);
            return;
        }
        if (path.equals("/_twin/targets")) {
            StrictAwsAnswer.json(twin.targets.all()).send(exchange);
            return;
        }
        if (path.equals("/_twin/assumed-roles")) {
            StrictAwsAnswer.json(twin.assumedRoles.json()).send(exchange);
            return;
        }
        for (String setting : query == null ? new String[0] : query.split("&")) {
            String[] kv = setting.split("=", 2);
            switch (kv[0]) {
                case "reset" -> twin.defaults();
                case "forgetAssumedRoles" -> twin.assumedRoles.clear();
                case "fault" -> {
                    if (!twin.faults.add(kv[1])) {
                        StrictAwsAnswer.plain(400, "fault=Operation@account/region:status[:times], not " + kv[1])
                                .send(exchange);
                        return;
                    }
                }
                case "stageConflict" -> twin.apiGateway.stageConflict(Integer.parseInt(kv[1]));
                case "consistencyMillis" -> twin.apiGateway.consistencyMillis(Long.parseLong(kv[1]));
                case "rateLimit" -> twin.limits.rateLimit(Boolean.parseBoolean(kv[1]));
                case "latencyMillis" -> twin.latencyMillis(Long.parseLong(kv[1]));
                case "awsLimits" -> twin.limits.awsLimits(Boolean.parseBoolean(kv[1]));
                case "limit" -> {
                    String[] l = kv[1].split(":");
                    twin.limits.set(l[0], Double.parseDouble(l[1]), Double.parseDouble(l[2]));
                }
                default -> {
                    StrictAwsAnswer.plain(400, "unknown setting " + kv[0]).send(exchange);
                    return;
                }
            }
        }
        StrictAwsAnswer.plain(204, "").send(exchange);
    }
}
