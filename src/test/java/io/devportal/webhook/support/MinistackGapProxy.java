package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook's AWS endpoint in the ministack tests: an HTTP proxy in front of ministack that
 * passes every call through unchanged except the one AWS answers differently:
 * {@code GET /usageplans?keyId=K} (GetUsagePlans with a key). AWS returns only the plans the key is
 * in; ministack 1.5.33 ignores keyId and returns every plan, which would make the webhook believe
 * a key is on every plan (an update would then detach it from the plans it should stay on and
 * attach it to none). The proxy keeps, of ministack's page, the plans where
 * {@code GET /usageplans/{plan}/keys/K} answers 200.
 *
 * <p>It also records every call it passes ({@link #calls()}): the access key and Region of its
 * SigV4 signature, the service, and for STS the parameters and the access key STS issued, so that a
 * test can see which role the webhook assumed, with which external id and session name, in which
 * Region, and which credentials signed its calls afterwards.</p>
 */
public final class MinistackGapProxy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");
    private static HttpServer server;
    private static String endpoint;
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/([^/]+)/");
    private static final Pattern ISSUED_XML = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern ISSUED_JSON = Pattern.compile("\"AccessKeyId\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private MinistackGapProxy() {
    }

    /**
     * A call the proxy passed to ministack.
     *
     * @param accessKey the access key id of its SigV4 signature ({@code null} when unsigned)
     * @param region    the Region of its signature's credential scope
     * @param service   the service of its signature's credential scope ({@code apigateway}, {@code sts}...)
     * @param params    for STS: the action's parameters (Action, RoleArn, RoleSessionName, ExternalId...); else empty
     * @param status    ministack's status
     * @param issued    for STS: the access key id of the credentials it answered, if any
     */
    public record Call(String accessKey, String region, String service, String method, String path,
                       Map<String, String> params, int status, Optional<String> issued) {
        public String action() {
            return params.getOrDefault("Action", "");
        }
    }

    /** Every call passed so far, in order. */
    public static List<Call> calls() {
        return List.copyOf(CALLS);
    }

    public static synchronized String endpoint() {
        if (server == null) {
            start();
        }
        return endpoint;
    }

    private static void start() {
        String upstream = MinistackServer.endpoint();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the ministack proxy", e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ministack-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                forward(upstream, exchange);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
        endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    private static void forward(String upstream, HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response = send(request.build());
        byte[] answer = response.body();
        String keyId = query(uri.getRawQuery()).get("keyId");
        if ("GET".equals(exchange.getRequestMethod()) && "/usageplans".equals(uri.getRawPath()) && keyId != null
                && response.statusCode() == 200) {
            answer = onlyPlansOf(upstream, keyId, answer, exchange.getRequestHeaders().getFirst("Authorization"));
        }
        record(exchange, uri, body, response.statusCode(), answer);
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static void record(HttpExchange exchange, URI uri, byte[] body, int status, byte[] answer) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher scope = CREDENTIAL.matcher(authorization == null ? "" : authorization);
        boolean signed = scope.find();
        String service = signed ? scope.group(3) : null;
        Map<String, String> params = new TreeMap<>();
        Optional<String> issued = Optional.empty();
        if ("sts".equals(service)) {
            String text = new String(body, StandardCharsets.UTF_8);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null) {
                params.put("Action", target.substring(target.lastIndexOf('.') + 1));
                try {
                    JSON.readTree(text).fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
                } catch (IOException e) {
                    params.put("unparsed", text);
                }
            } else {
                params.putAll(query(text));
                params.putAll(query(uri.getRawQuery()));
            }
            String reply = new String(answer, StandardCharsets.UTF_8);
            Matcher key = ISSUED_XML.matcher(reply);
            Matcher json = ISSUED_JSON.matcher(reply);
            issued = key.find() ? Optional.of(key.group(1)) : json.find() ? Optional.of(json.group(1)) : Optional.empty();
        }
        CALLS.add(new Call(signed ? scope.group(1) : null, signed ? scope.group(2) : null, service,
                exchange.getRequestMethod(), uri.getRawPath(), Map.copyOf(params), status, issued));
    }

    private static byte[] onlyPlansOf(String upstream, String keyId, byte[] page, String authorization)
            throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(page);
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode plan : json.path("item")) {
            HttpRequest.Builder check = HttpRequest.newBuilder(URI.create(upstream + "/usageplans/"
                    + plan.path("id").asText() + "/keys/" + keyId)).timeout(Duration.ofSeconds(30)).GET();
            if (authorization != null) {
                check.header("Authorization", authorization);
            }
            int status = send(check.build()).statusCode();
            if (status == 200) {
                kept.add(plan);
            } else if (status != 404) {
                throw new IOException("GetUsagePlanKey answered " + status);
            }
        }
        json.set("item", kept);
        return JSON.writeValueAsBytes(json);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
