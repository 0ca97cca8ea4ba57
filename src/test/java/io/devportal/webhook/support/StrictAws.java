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
import java.net.URLDecoder;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p><b>Per target.</b> Every rule holds per account and Region, as in AWS: the request's target is
 * the Region of its SigV4 credential scope and the account moto puts its access key in (an access key
 * from STS AssumeRole of {@code arn:aws:iam::<account>:role/..} acts in that account). The twin learns
 * the account by asking moto, as the caller, {@code sts:GetCallerIdentity} once per access key id
 * (remembered until {@link #reset}), so refreshed credentials of one role share their account's
 * state. Its own look-ups (the plan, the key and the key's plans before CreateUsagePlanKey, the pool's
 * resource servers) are made as the caller too: its Authorization (scope), X-Amz-Date and
 * X-Amz-Security-Token go with them, so they see the caller's account and Region and never the default
 * one. The rate limits, the delayed listing, the key locks, the counters and injected faults are kept
 * per target ({@code account/region}, e.g. {@code 111122223333/sa-east-1}); {@link #stats()} sums
 * every target, {@link #stats(String, String)} reads one.</p>
 *
 * <p>It also records every STS AssumeRole that passes through ({@link #assumedRoles}): role ARN,
 * external id, session name, duration, the signature's Region and the Host the client sent it to.
 * That log is not cleared by {@link #reset} (a credentials provider caches its session across tests,
 * so a test class's one AssumeRole would be lost to the next test's reset); {@link #forgetAssumedRoles}
 * clears it.</p>
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
    private static final String STS_JSON = "AWSSecurityTokenServiceV20110615.";
    /** The SigV4 credential scope: access key id / date / Region / service / aws4_request. */
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern ACCOUNT = Pattern.compile("<Account>(\\d{12})</Account>");
    /** moto's account for credentials it does not know ("testing"). */
    public static final String DEFAULT_ACCOUNT = "123456789012";
    public static final String DEFAULT_REGION = "us-east-1";
    static final int MAX_SCOPES = 50;
    /** The defaults real Cognito gives every field of UpdateUserPoolClient that is not sent. */
    private static final Map<String, JsonNode> CLIENT_DEFAULTS = clientDefaults();

    private static StrictAws instance;

    private final String moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Every target's state, by "account/region". */
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    /** Over all targets, for {@link #stats()}. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
    /** AWS's request-rate quotas, on with {@code awsLimits=true}. */
    private final AwsRateLimits limits = new AwsRateLimits(System::nanoTime);
    /** Access key id → the account moto puts it in. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final List<ObjectNode> assumedRoles = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** When each call that was let through reached moto. */
    private final CallTimes callTimes = new CallTimes();

    /** The state of one account and Region. */
    private static final class Target {
        final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
        final Map<String, Long> keyCreatedAt = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, List<Long>> writes = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
        /** Calls per service of the signature (apigateway, cognito-idp, sts). */
        final Map<String, AtomicInteger> services = new ConcurrentHashMap<>();
    }

    /** Who sent a request: its credential scope and the headers that carry its identity. */
    private record Caller(String accessKey, String region, String service, String authorization, String amzDate,
                          String token, String account) {
        String target() {
            return account + "/" + region;
        }

        /** The caller's Authorization, scoped to another service (moto routes an unknown host by the scope). */
        String authorization(String other) {
            if (authorization == null || !authorization.contains("/" + region + "/" + service + "/aws4_request")) {
                return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/20260101/" + region + "/" + other
                        + "/aws4_request, SignedHeaders=host, Signature=0";
            }
            return authorization.replace("/" + region + "/" + service + "/aws4_request",
                    "/" + region + "/" + other + "/aws4_request");
        }

        HttpRequest.Builder sign(HttpRequest.Builder request, String asService) {
            request.header("Authorization", authorization(asService));
            if (amzDate != null) {
                request.header("X-Amz-Date", amzDate);
            }
            if (token != null) {
                request.header("X-Amz-Security-Token", token);
            }
            return request;
        }
    }

    /** An injected failure of one operation in one target: {@code fault=Operation@account/region:status[:times]}. */
    private record Fault(String operation, String target, int status, AtomicInteger remaining) {
    }

    private volatile int stageConflict;
    private volatile long consistencyMillis;
    private volatile boolean rateLimit;
    private volatile boolean awsLimits;
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
     * {@code consistencyMillis}, {@code rateLimit} (true/false), {@code latencyMillis},
     * {@code awsLimits} (true/false: AWS's request-rate quotas as token buckets, {@link AwsRateLimits}),
     * {@code limit=<bucket>:<perSecond>:<burst>} (one bucket of those, e.g. {@code limit=apigateway:2:2}),
     * {@code fault=Operation@account/region:status[:times]} (that operation in that target alone is
     * answered with that status, as AWS answers it, without reaching moto; every time unless times is
     * given; e.g. {@code fault=CreateUsagePlanKey@111122223333/sa-east-1:403}); or {@code reset}
     * alone: defaults, no faults and zero counters.
     */
    public static void configure(String settings) {
        post(endpoint() + "/_twin/config?" + settings);
    }

    /** Back to the defaults, counters cleared. */
    public static void reset() {
        configure("reset");
    }

    /** Per operation, over every target: {"calls": n, "maxInFlight": m, "throttled": t} (t: answered TooManyRequests by awsLimits). */
    public static JsonNode stats() {
        return read("/_twin/stats");
    }

    /** Per operation, in one account and Region only: {"calls": n, "maxInFlight": m}; {} when it saw no call. */
    public static JsonNode stats(String account, String region) {
        return read("/_twin/stats?target=" + account + "/" + region);
    }

    /** Calls per service (the signature's: apigateway, cognito-idp, sts) in one account and Region; 0 when none. */
    public static int serviceCalls(String account, String region, String service) {
        return read("/_twin/services?target=" + account + "/" + region).path(service).asInt(0);
    }

    /** Every target that was called ("account/region"), each with its stats as {@link #stats(String, String)}. */
    public static JsonNode targets() {
        return read("/_twin/targets");
    }

    /**
     * Every STS AssumeRole that passed through since the twin started or {@link #forgetAssumedRoles}
     * (not cleared by {@link #reset}), oldest first: {"roleArn", "externalId", "roleSessionName",
     * "durationSeconds" (null when not sent), "region" (of the signature), "host", "callerAccount",
     * "status", "accessKeyId" (of the credentials it answered, null when it failed)}.
     */
    public static JsonNode assumedRoles() {
        return read("/_twin/assumed-roles");
    }

    /**
     * When each call of one service (the signature's) in one account and Region that was not throttled
     * reached moto, oldest first, in milliseconds of this JVM's System.nanoTime (see {@link CallTimes}).
     */
    public static List<Long> callTimes(String account, String region, String service) {
        return CallTimes.of(read("/_twin/call-times?target=" + account + "/" + region + "&service=" + service));
    }

    public static void forgetAssumedRoles() {
        configure("forgetAssumedRoles");
    }

    private static JsonNode read(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
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
        awsLimits = false;
        limits.reset();
        latencyMillis = 0;
        calls.clear();
        throttled.clear();
        maxInFlight.clear();
        inFlight.clear();
        targets.clear();
        accounts.clear();
        faults.clear();
        callTimes.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_twin/")) {
                control(exchange, path);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = operation(exchange, path, body);
            Caller caller;
            try {
                caller = caller(exchange, operation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Target target = targets.computeIfAbsent(caller.target(), k -> new Target());
            count(calls, inFlight, maxInFlight, operation);
            count(target.calls, target.inFlight, target.maxInFlight, operation);
            if (!operation.equals("moto-api")) {
                target.services.computeIfAbsent(caller.service, k -> new AtomicInteger()).incrementAndGet();
            }
            try {
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                Answer answer = throttle(operation, caller, target, body);
                if (answer == null && !operation.equals("moto-api")) {
                    callTimes.record(caller.target(), caller.service, System.nanoTime());
                }
                if (answer == null) {
                    answer = injected(exchange, operation, caller);
                }
                if (answer == null) {
                    answer = apply(exchange, operation, path, body, caller, target);
                }
                if (operation.equals("AssumeRole")) {
                    record(exchange, body, caller, answer);
                }
                send(exchange, answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, new Answer(500, Map.of(), new byte[0]));
            } finally {
                inFlight.get(operation).decrementAndGet();
                target.inFlight.get(operation).decrementAndGet();
            }
        } catch (RuntimeException | IOException e) {
            // the client sees a broken connection, as with a real network failure
        }
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private static void count(Map<String, AtomicInteger> calls, Map<String, AtomicInteger> inFlight,
                              Map<String, AtomicInteger> maxInFlight, String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(operation, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    /** The request's signer: its credential scope, and the account moto puts its access key in. */
    private Caller caller(HttpExchange exchange, String operation) throws IOException, InterruptedException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        Matcher m = authorization == null ? null : SCOPE.matcher(authorization);
        if (m == null || !m.find()) {
            // unsigned: moto's defaults (its access key "AKIAEXAMPLE" is in no account but the default one)
            return new Caller("AKIAEXAMPLE", DEFAULT_REGION, "apigateway", null, amzDate, token, DEFAULT_ACCOUNT);
        }
        Caller unknown = new Caller(m.group(1), m.group(3), m.group(4), authorization, amzDate, token, null);
        if (operation.equals("moto-api")) {
            return new Caller(unknown.accessKey, unknown.region, unknown.service, authorization, amzDate, token,
                    DEFAULT_ACCOUNT);
        }
        String account = accounts.get(unknown.accessKey);
        if (account == null) {
            account = accountOf(unknown);
            accounts.put(unknown.accessKey, account);
        }
        return new Caller(unknown.accessKey, unknown.region, unknown.service, authorization, amzDate, token, account);
    }

    /** sts:GetCallerIdentity, as the caller. */
    private String accountOf(Caller caller) throws IOException, InterruptedException {
        Answer identity = send(caller.sign(HttpRequest.newBuilder(URI.create(moto + "/")), "sts")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build());
        Matcher m = ACCOUNT.matcher(new String(identity.body, StandardCharsets.UTF_8));
        if (identity.status != 200 || !m.find()) {
            throw new IllegalStateException("moto did not name the account of access key " + caller.accessKey
                    + ": " + identity.status + " " + new String(identity.body, StandardCharsets.UTF_8));
        }
        return m.group(1);
    }

    /** A fault configured for this operation in the caller's target, answered as AWS answers it. */
    private Answer injected(HttpExchange exchange, String operation, Caller caller) {
        for (Fault fault : faults) {
            if (fault.operation.equals(operation) && fault.target.equals(caller.target())
                    && fault.remaining.getAndDecrement() > 0) {
                String type = switch (fault.status) {
                    case 400 -> "BadRequestException";
                    case 403 -> "AccessDeniedException";
                    case 404 -> "NotFoundException";
                    case 409 -> "ConflictException";
                    case 429 -> "TooManyRequestsException";
                    case 503 -> "ServiceUnavailableException";
                    default -> "InternalFailure";
                };
                String message = fault.status == 403 ? "User: arn:aws:sts::" + caller.account
                        + ":assumed-role/injected is not authorized to perform this operation (" + operation + ")"
                        : "injected " + fault.status + " of " + operation + " in " + caller.target();
                String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                if (caller.service.equals("sts")) {
                    // the query protocol's error document
                    String code = fault.status == 403 ? "AccessDenied" : type;
                    String xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>"
                            + (fault.status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + code + "</Code><Message>"
                            + message + "</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
                    return new Answer(fault.status, Map.of("Content-Type", List.of("text/xml")),
                            xml.getBytes(StandardCharsets.UTF_8));
                }
                if (amzTarget != null && amzTarget.startsWith(COGNITO)) {
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("__type", type).put("message", message);
                    return new Answer(fault.status, Map.of("Content-Type", List.of("application/x-amz-json-1.1"),
                            "x-amzn-ErrorType", List.of(type)), body.toString().getBytes(StandardCharsets.UTF_8));
                }
                return apiGatewayError(fault.status, type, message);
            }
        }
        return null;
    }

    /** Notes an AssumeRole: what was asked, of which Region and host, and what came back. */
    private void record(HttpExchange exchange, byte[] body, Caller caller, Answer answer) throws IOException {
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
        entry.put("region", caller.region);
        entry.put("service", caller.service);
        entry.put("host", exchange.getRequestHeaders().getFirst("Host"));
        entry.put("callerAccount", caller.account);
        entry.put("status", answer.status);
        Matcher key = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>")
                .matcher(new String(answer.body, StandardCharsets.UTF_8));
        if (answer.status == 200 && key.find()) {
            entry.put("accessKeyId", key.group(1));
        } else {
            entry.putNull("accessKeyId");
        }
        assumedRoles.add(entry);
    }

    /** An STS request's parameters: the form body (query protocol) or the JSON body (JSON protocol). */
    private static Map<String, String> parameters(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (amzTarget != null && amzTarget.startsWith(STS_JSON)) {
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

    private Answer apply(HttpExchange exchange, String operation, String path, byte[] body, Caller caller,
                         Target target) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        switch (operation) {
            case "CreateApiKey", "DeleteApiKey" -> {
                if (!allowWrite(target, operation)) {
                    return apiGatewayError(429, "TooManyRequestsException", "Too Many Requests");
                }
                Answer answer = forward(exchange, method, body);
                if (operation.equals("CreateApiKey") && answer.status == 201) {
                    target.keyCreatedAt.put(JSON.readTree(answer.body).path("id").asText(), System.nanoTime());
                }
                return answer;
            }
            case "GetApiKeys" -> {
                Answer answer = forward(exchange, method, body);
                String query = exchange.getRequestURI().getRawQuery();
                if (answer.status != 200 || query == null || !query.contains("name=") || consistencyMillis <= 0) {
                    return answer;
                }
                return hideYoungKeys(answer, target);
            }
            case "CreateUsagePlanKey" -> {
                Matcher m = PLAN_KEYS.matcher(path);
                m.matches();
                String planId = m.group(1);
                String keyId = JSON.readTree(body).path("keyId").asText();
                synchronized (target.keyLocks.computeIfAbsent(keyId, k -> new Object())) {
                    Answer refused = refuseAttachment(caller, planId, keyId);
                    return refused != null ? refused : forward(exchange, method, body);
                }
            }
            case "CreateUserPoolClient", "UpdateUserPoolClient" -> {
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                Answer refused = refuseScopes(caller, request);
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

    /** One plan per API stage per key, and the plan and the key must exist: in the caller's account and Region. */
    private Answer refuseAttachment(Caller caller, String planId, String keyId) throws IOException, InterruptedException {
        Answer plan = get(caller, "/usageplans/" + planId);
        if (plan.status == 404) {
            return apiGatewayError(404, "NotFoundException", "Invalid Usage Plan ID specified");
        }
        Answer key = get(caller, "/apikeys/" + keyId);
        if (key.status == 404) {
            return apiGatewayError(404, "NotFoundException", "Invalid API Key identifier specified");
        }
        Set<String> stages = stages(JSON.readTree(plan.body));
        JsonNode ofKey = JSON.readTree(get(caller, "/usageplans?keyId=" + keyId + "&limit=500").body).path("item");
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

    /** Every scope must be defined by a resource server of the pool (the caller's); at most 50. */
    private Answer refuseScopes(Caller caller, ObjectNode request) throws IOException, InterruptedException {
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
        Answer servers = cognitoCall(caller, "ListResourceServers", list);
        if (servers.status != 200) {
            return servers;  // no such pool in the caller's account and Region: its own error
        }
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

    private Answer hideYoungKeys(Answer answer, Target target) throws IOException {
        ObjectNode page = (ObjectNode) JSON.readTree(answer.body);
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
        Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers);
        return new Answer(answer.status, headers, JSON.writeValueAsBytes(page));
    }

    /**
     * With {@code awsLimits} on, AWS's token buckets ({@link AwsRateLimits}): a call beyond them is
     * answered as AWS answers it (API Gateway 429, Cognito 400, both TooManyRequestsException) and
     * counted as throttled. Null when the call may go on.
     */
    private Answer throttle(String operation, Caller caller, Target target, byte[] body) {
        if (!awsLimits || limits.admit(caller.target(), caller.service, operation, userPool(caller, body))) {
            return null;
        }
        throttled.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        target.throttled.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        if (caller.service.equals("apigateway")) {
            return apiGatewayError(429, "TooManyRequestsException", "Too Many Requests");
        }
        return cognitoError("TooManyRequestsException", "Too many requests");
    }

    /** The user pool a Cognito call names (its JSON body's UserPoolId), or null. */
    private static String userPool(Caller caller, byte[] body) {
        if (caller.service.equals("apigateway") || body.length == 0) {
            return null;
        }
        try {
            String pool = JSON.readTree(body).path("UserPoolId").asText("");
            return pool.isEmpty() ? null : pool;
        } catch (IOException e) {
            return null;
        }
    }

    /** 5 requests per second for each of CreateApiKey and DeleteApiKey per account and Region, over any one-second window. */
    private boolean allowWrite(Target target, String operation) {
        if (!rateLimit || awsLimits) {  // with awsLimits, AwsRateLimits' buckets hold them
            return true;
        }
        List<Long> times = target.writes.computeIfAbsent(operation, k -> new ArrayList<>());
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

    private static String operation(HttpExchange exchange, String path, byte[] body) {
        if (path.startsWith("/moto-api")) {
            return "moto-api";  // FaultInjector sends a faulted call here: it never reaches the rules
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null && target.startsWith(COGNITO)) {
            return target.substring(COGNITO.length());
        }
        if (target != null && target.startsWith(STS_JSON)) {
            return target.substring(STS_JSON.length());
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (path.equals("/") && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(new String(body, StandardCharsets.UTF_8));
            if (action.find()) {
                return action.group(1);  // a query-protocol call: STS
            }
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

    /** An API Gateway GET as the caller: in its account and Region. */
    private Answer get(Caller caller, String pathAndQuery) throws IOException, InterruptedException {
        return send(caller.sign(HttpRequest.newBuilder(URI.create(moto + pathAndQuery)).GET(), "apigateway").build());
    }

    /** A Cognito call as the caller. */
    private Answer cognitoCall(Caller caller, String action, ObjectNode body) throws IOException, InterruptedException {
        return send(caller.sign(HttpRequest.newBuilder(URI.create(moto + "/")), "cognito-idp")
                .header("X-Amz-Target", COGNITO + action)
                .header("Content-Type", "application/x-amz-json-1.1")
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
        String query = exchange.getRequestURI().getQuery();
        if (path.equals("/_twin/stats")) {
            JsonNode stats;
            if (query != null && query.startsWith("target=")) {
                Target target = targets.get(query.substring("target=".length()));
                stats = target == null ? JSON.createObjectNode()
                        : stats(target.calls, target.maxInFlight, target.throttled);
            } else {
                stats = stats(calls, maxInFlight, throttled);
            }
            send(exchange, json(stats));
            return;
        }
        if (path.equals("/_twin/services")) {
            ObjectNode all = JSON.createObjectNode();
            Target target = query == null ? null : targets.get(query.substring("target=".length()));
            if (target != null) {
                target.services.forEach((service, n) -> all.put(service, n.get()));
            }
            send(exchange, json(all));
            return;
        }
        if (path.equals("/_twin/call-times")) {
            Map<String, String> q = new java.util.HashMap<>();
            for (String kv : query.split("&")) {
                q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            send(exchange, json(callTimes.json(q.get("target"), q.get("service"))));
            return;
        }
        if (path.equals("/_twin/targets")) {
            ObjectNode all = JSON.createObjectNode();
            new java.util.TreeMap<>(targets).forEach((name, t) -> all.set(name, stats(t.calls, t.maxInFlight, t.throttled)));
            send(exchange, json(all));
            return;
        }
        if (path.equals("/_twin/assumed-roles")) {
            ArrayNode all = JSON.createArrayNode();
            assumedRoles.forEach(all::add);
            send(exchange, json(all));
            return;
        }
        for (String setting : query == null ? new String[0] : query.split("&")) {
            String[] kv = setting.split("=", 2);
            switch (kv[0]) {
                case "reset" -> defaults();
                case "forgetAssumedRoles" -> assumedRoles.clear();
                case "fault" -> {
                    Matcher m = Pattern.compile("([A-Za-z]+)@(\\d{12}/[a-z0-9-]+):(\\d{3})(?::(\\d+))?").matcher(kv[1]);
                    if (!m.matches()) {
                        send(exchange, new Answer(400, Map.of(), ("fault=Operation@account/region:status[:times], not "
                                + kv[1]).getBytes(StandardCharsets.UTF_8)));
                        return;
                    }
                    faults.add(new Fault(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                            new AtomicInteger(m.group(4) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(4)))));
                }
                case "stageConflict" -> stageConflict = Integer.parseInt(kv[1]);
                case "consistencyMillis" -> consistencyMillis = Long.parseLong(kv[1]);
                case "rateLimit" -> rateLimit = Boolean.parseBoolean(kv[1]);
                case "latencyMillis" -> latencyMillis = Long.parseLong(kv[1]);
                case "awsLimits" -> awsLimits = Boolean.parseBoolean(kv[1]);
                case "limit" -> {
                    String[] l = kv[1].split(":");
                    limits.set(l[0], Double.parseDouble(l[1]), Double.parseDouble(l[2]));
                }
                default -> {
                    send(exchange, new Answer(400, Map.of(), ("unknown setting " + kv[0]).getBytes(StandardCharsets.UTF_8)));
                    return;
                }
            }
        }
        send(exchange, new Answer(204, Map.of(), new byte[0]));
    }

    private static ObjectNode stats(Map<String, AtomicInteger> calls, Map<String, AtomicInteger> maxInFlight,
                                    Map<String, AtomicInteger> throttled) {
        ObjectNode stats = JSON.createObjectNode();
        calls.forEach((op, n) -> stats.putObject(op).put("calls", n.get())
                .put("maxInFlight", maxInFlight.getOrDefault(op, new AtomicInteger()).get())
                .put("throttled", throttled.getOrDefault(op, new AtomicInteger()).get()));
        return stats;
    }

    private static Answer json(JsonNode body) throws IOException {
        return new Answer(200, Map.of("Content-Type", List.of("application/json")), JSON.writeValueAsBytes(body));
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
