package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stricter AWS twin: an HTTP proxy in front of moto that enforces rules real AWS enforces and
 * moto does not. The webhook's SDK clients talk to it (MotoResource points aws.endpointUrl here);
 * the tests' own view of AWS ({@link Aws}) goes straight to moto.
 *
 * <p>Rules: one usage plan per API stage per key (answered 400 BadRequestException or 409
 * ConflictException, {@code stageConflict}); usage plan and key existence on CreateUsagePlanKey;
 * Cognito scopes must be defined by a resource server of the pool, at most 50 per client;
 * UpdateUserPoolClient resets every field it is not sent; CreateApiKey and DeleteApiKey at 5
 * requests/s each (429 TooManyRequestsException beyond); GetApiKeys by name does not show a key
 * for its first {@code consistencyMillis}. It also counts calls and their in-flight concurrency
 * per operation, and can add latency to every call.</p>
 *
 * <p>Tests change its settings and read its counters over HTTP ({@link #configure}, {@link #stats}),
 * so that they need not share a class loader with it.</p>
 */
public final class StrictAws {
    private static final String PROPERTY = "strict-aws.endpoint";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAN_KEYS = Pattern.compile("^/usageplans/([^/]+)/keys$");
    private static final Pattern API_KEY = Pattern.compile("^/apikeys/([^/]+)$");
    private static final String COGNITO = "AWSCognitoIdentityProviderService.";
    static final int MAX_SCOPES = 50;
    /** The defaults real Cognito gives every field of UpdateUserPoolClient that is not sent. */
    private static final Map<String, JsonNode> CLIENT_DEFAULTS = clientDefaults();

    private static StrictAws instance;

    private final String moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
    private final Map<String, Long> keyCreatedAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> writes = new ConcurrentHashMap<>();

    private volatile int stageConflict;
    private volatile long consistencyMillis;
    private volatile boolean rateLimit;
    private volatile long latencyMillis;

    private StrictAws(String moto) throws IOException {
        this.moto = moto;
        defaults();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "strict-aws");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The twin's endpoint; started once per JVM in front of {@link MotoServer}. */
    public static synchronized String endpoint() {
        String known = System.getProperty(PROPERTY);
        if (known != null) {
            return known;
        }
        try {
            instance = new StrictAws(MotoServer.endpoint());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the strict AWS twin", e);
        }
        String endpoint = "http://127.0.0.1:" + instance.server.getAddress().getPort();
        System.setProperty(PROPERTY, endpoint);
        return endpoint;
    }

    /**
     * Changes settings, each {@code name=value}: {@code stageConflict} (400 or 409),
     * {@code consistencyMillis}, {@code rateLimit} (true/false), {@code latencyMillis}; or
     * {@code reset} alone: defaults and zero counters.
     */
    public static void configure(String settings) {
        post(endpoint() + "/_twin/config?" + settings);
    }

    /** Back to the defaults, counters cleared. */
    public static void reset() {
        configure("reset");
    }

    /** Per operation: {"calls": n, "maxInFlight": m}. */
    public static JsonNode stats() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/_twin/stats").toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void defaults() {
        stageConflict = 400;
        consistencyMillis = 300;
        rateLimit = true;
        latencyMillis = 0;
        calls.clear();
        maxInFlight.clear();
        inFlight.clear();
        writes.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_twin/")) {
                control(exchange, path);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = operation(exchange, path);
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            int now = inFlight.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            maxInFlight.computeIfAbsent(operation, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                Answer answer = apply(exchange, operation, path, body);
                send(exchange, answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, new Answer(500, Map.of(), new byte[0]));
            } finally {
                inFlight.get(operation).decrementAndGet();
            }
        } catch (RuntimeException | IOException e) {
            // the client sees a broken connection, as with a real network failure
        }
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private Answer apply(HttpExchange exchange, String operation, String path, byte[] body)
            throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        switch (operation) {
            case "CreateApiKey", "DeleteApiKey" -> {
                if (!allowWrite(operation)) {
                    return apiGatewayError(429, "TooManyRequestsException", "Too Many Requests");
                }
                Answer answer = forward(exchange, method, body);
                if (operation.equals("CreateApiKey") && answer.status == 201) {
                    keyCreatedAt.put(JSON.readTree(answer.body).path("id").asText(), System.nanoTime());
                }
                return answer;
            }
            case "GetApiKeys" -> {
                Answer answer = forward(exchange, method, body);
                String query = exchange.getRequestURI().getRawQuery();
                if (answer.status != 200 || query == null || !query.contains("name=") || consistencyMillis <= 0) {
                    return answer;
                }
                return hideYoungKeys(answer);
            }
            case "CreateUsagePlanKey" -> {
                Matcher m = PLAN_KEYS.matcher(path);
                m.matches();
                String planId = m.group(1);
                String keyId = JSON.readTree(body).path("keyId").asText();
                synchronized (keyLocks.computeIfAbsent(keyId, k -> new Object())) {
                    Answer refused = refuseAttachment(planId, keyId);
                    return refused != null ? refused : forward(exchange, method, body);
                }
            }
            case "CreateUserPoolClient", "UpdateUserPoolClient" -> {
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                Answer refused = refuseScopes(request);
                if (refused != null) {
                    return refused;
                }
                if (operation.equals("UpdateUserPoolClient")) {
                    CLIENT_DEFAULTS.forEach((field, value) -> {
                        if (!request.has(field)) {
                            request.set(field, value.deepCopy());
                        }
                    });
                    body = JSON.writeValueAsBytes(request);
                }
                return forward(exchange, method, body);
            }
            default -> {
                return forward(exchange, method, body);
            }
        }
    }

    /** One plan per API stage per key, and the plan and the key must exist. */
    private Answer refuseAttachment(String planId, String keyId) throws IOException, InterruptedException {
        Answer plan = get("/usageplans/" + planId);
        if (plan.status == 404) {
            return apiGatewayError(404, "NotFoundException", "Invalid Usage Plan ID specified");
        }
        Answer key = get("/apikeys/" + keyId);
        if (key.status == 404) {
            return apiGatewayError(404, "NotFoundException", "Invalid API Key identifier specified");
        }
        Set<String> stages = stages(JSON.readTree(plan.body));
        JsonNode ofKey = JSON.readTree(get("/usageplans?keyId=" + keyId + "&limit=500").body).path("item");
        for (JsonNode other : ofKey) {
            if (other.path("id").asText().equals(planId)) {
                continue;
            }
            for (String stage : stages(other)) {
                if (stages.contains(stage)) {
                    String message = "API Key " + keyId + " cannot reference multiple Usage Plans with the same API "
                            + "Stage: " + stage + " is already in usage plan " + other.path("id").asText();
                    return stageConflict == 409 ? apiGatewayError(409, "ConflictException", message)
                            : apiGatewayError(400, "BadRequestException", message);
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

    /** Every scope must be defined by a resource server of the pool; at most 50. */
    private Answer refuseScopes(ObjectNode request) throws IOException, InterruptedException {
        JsonNode scopes = request.path("AllowedOAuthScopes");
        if (!scopes.isArray() || scopes.isEmpty()) {
            return null;
        }
        if (scopes.size() > MAX_SCOPES) {
            return cognitoError("InvalidParameterException", "AllowedOAuthScopes: at most " + MAX_SCOPES
                    + " scopes, got " + scopes.size());
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("UserPoolId", request.path("UserPoolId").asText());
        list.put("MaxResults", 50);
        Answer servers = cognitoCall("ListResourceServers", list);
        Set<String> defined = new HashSet<>();
        for (JsonNode server : JSON.readTree(servers.body).path("ResourceServers")) {
            for (JsonNode scope : server.path("Scopes")) {
                defined.add(server.path("Identifier").asText() + "/" + scope.path("ScopeName").asText());
            }
        }
        for (JsonNode scope : scopes) {
            if (!defined.contains(scope.asText())) {
                return cognitoError("ScopeDoesNotExistException", "Invalid scope requested: " + scope.asText());
            }
        }
        return null;
    }

    private Answer hideYoungKeys(Answer answer) throws IOException {
        ObjectNode page = (ObjectNode) JSON.readTree(answer.body);
        JsonNode items = page.path("item");
        if (!items.isArray()) {
            return answer;
        }
        long cutoff = System.nanoTime() - consistencyMillis * 1_000_000L;
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : items) {
            Long created = keyCreatedAt.get(item.path("id").asText());
            if (created == null || created <= cutoff) {
                kept.add(item);
            }
        }
        page.set("item", kept);
        Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers);
        return new Answer(answer.status, headers, JSON.writeValueAsBytes(page));
    }

    /** 5 requests per second for each of CreateApiKey and DeleteApiKey, over any one-second window. */
    private boolean allowWrite(String operation) {
        if (!rateLimit) {
            return true;
        }
        List<Long> times = writes.computeIfAbsent(operation, k -> new ArrayList<>());
        synchronized (times) {
            long now = System.nanoTime();
            times.removeIf(t -> now - t >= 1_000_000_000L);
            if (times.size() >= 5) {
                return false;
            }
            times.add(now);
            return true;
        }
    }

    private static String operation(HttpExchange exchange, String path) {
        if (path.startsWith("/moto-api")) {
            return "moto-api";  // FaultInjector sends a faulted call here: it never reaches the rules
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null && target.startsWith(COGNITO)) {
            return target.substring(COGNITO.length());
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/apikeys")) {
            return method.equals("POST") ? "CreateApiKey" : "GetApiKeys";
        }
        if (API_KEY.matcher(path).matches()) {
            return switch (method) {
                case "DELETE" -> "DeleteApiKey";
                case "PATCH" -> "UpdateApiKey";
                default -> "GetApiKey";
            };
        }
        if (PLAN_KEYS.matcher(path).matches() && method.equals("POST")) {
            return "CreateUsagePlanKey";
        }
        if (path.startsWith("/usageplans/") && path.contains("/keys/") && method.equals("DELETE")) {
            return "DeleteUsagePlanKey";
        }
        if (path.equals("/usageplans")) {
            return "GetUsagePlans";
        }
        if (path.startsWith("/usageplans/")) {
            return "GetUsagePlan";
        }
        return method + " " + path;
    }

    private Answer forward(HttpExchange exchange, String method, byte[] body) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        String target = moto + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding")
                    .contains(lower)) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return send(request.build());
    }

    private Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(moto + pathAndQuery)).GET()
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/apigateway/aws4_request")
                .build());
    }

    private Answer cognitoCall(String action, ObjectNode body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(moto + "/"))
                .header("X-Amz-Target", COGNITO + action)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/cognito-idp/aws4_request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.headers().map(), response.body());
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("transfer-encoding") && !lower.equals("connection")
                    && !lower.equals(":status")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(answer.status, answer.body.length == 0 ? -1 : answer.body.length);
        if (answer.body.length > 0) {
            exchange.getResponseBody().write(answer.body);
        }
    }

    private static Answer apiGatewayError(int status, String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        return new Answer(status, Map.of("Content-Type", List.of("application/json"),
                "x-amzn-ErrorType", List.of(type)), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Answer cognitoError(String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("__type", type).put("message", message);
        return new Answer(400, Map.of("Content-Type", List.of("application/x-amz-json-1.1"),
                "x-amzn-ErrorType", List.of(type)), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void control(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/_twin/stats")) {
            ObjectNode stats = JSON.createObjectNode();
            calls.forEach((op, n) -> stats.putObject(op).put("calls", n.get())
                    .put("maxInFlight", maxInFlight.getOrDefault(op, new AtomicInteger()).get()));
            send(exchange, new Answer(200, Map.of("Content-Type", List.of("application/json")),
                    JSON.writeValueAsBytes(stats)));
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        for (String setting : query == null ? new String[0] : query.split("&")) {
            String[] kv = setting.split("=", 2);
            switch (kv[0]) {
                case "reset" -> defaults();
                case "stageConflict" -> stageConflict = Integer.parseInt(kv[1]);
                case "consistencyMillis" -> consistencyMillis = Long.parseLong(kv[1]);
                case "rateLimit" -> rateLimit = Boolean.parseBoolean(kv[1]);
                case "latencyMillis" -> latencyMillis = Long.parseLong(kv[1]);
                default -> {
                    send(exchange, new Answer(400, Map.of(), ("unknown setting " + kv[0]).getBytes(StandardCharsets.UTF_8)));
                    return;
                }
            }
        }
        send(exchange, new Answer(204, Map.of(), new byte[0]));
    }

    private static void post(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            if (c.getResponseCode() >= 300) {
                throw new IllegalStateException("twin answered " + c.getResponseCode() + " to " + url);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> clientDefaults() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> d = new LinkedHashMap<>();
        d.put("RefreshTokenValidity", f.numberNode(30));
        d.put("AccessTokenValidity", f.numberNode(60));
        d.put("IdTokenValidity", f.numberNode(60));
        d.put("TokenValidityUnits", f.objectNode().put("AccessToken", "minutes").put("IdToken", "minutes")
                .put("RefreshToken", "days"));
        d.put("ReadAttributes", f.arrayNode());
        d.put("WriteAttributes", f.arrayNode());
        d.put("ExplicitAuthFlows", f.arrayNode());
        d.put("SupportedIdentityProviders", f.arrayNode());
        d.put("CallbackURLs", f.arrayNode());
        d.put("LogoutURLs", f.arrayNode());
        d.put("AllowedOAuthFlows", f.arrayNode());
        d.put("AllowedOAuthScopes", f.arrayNode());
        d.put("AllowedOAuthFlowsUserPoolClient", f.booleanNode(false));
        d.put("EnableTokenRevocation", f.booleanNode(true));
        d.put("EnablePropagateAdditionalUserContextData", f.booleanNode(false));
        d.put("AuthSessionValidity", f.numberNode(3));
        return d;
    }
}
