package io.devportal.webhook.api;

import io.devportal.webhook.config.Ids;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract as OpenAPI at {@code /q/openapi}, without credentials (the document reveals nothing; every
 * other path of the portal's port needs Basic auth): {@code META-INF/openapi.yaml} as written, or
 * {@code META-INF/openapi.json}, which the build writes from it (src/build/OpenApiJson.java), so nothing
 * parses YAML at run time. Each file is read once, on the first request that wants it.
 * <p>
 * The format is chosen as quarkus-smallrye-openapi, which served it before, chose it: JSON for
 * {@code /q/openapi.json}, for {@code ?format=json} (any case) and for an {@code Accept} header that names
 * {@code application/json} (any case; a path ending {@code .yaml} or {@code .yml} wins over both); YAML
 * otherwise ({@code ?format=yaml}, any other format or {@code Accept}, or none). GET and HEAD only: another
 * method is a 405 with {@code Allow}, and a query string that cannot be decoded a 400, both in the
 * contract's error shape.
 */
@ApplicationScoped
class ContractDocument {
    private static final Logger LOG = Logger.getLogger(ContractDocument.class);
    static final String PATH = "/q/openapi";
    static final String YAML_RESOURCE = "META-INF/openapi.yaml";
    static final String JSON_RESOURCE = "META-INF/openapi.json";
    static final String YAML_TYPE = "application/yaml;charset=UTF-8";
    static final String JSON_TYPE = "application/json;charset=UTF-8";
    static final String ALLOWED = "GET, HEAD";

    /** Each resource read once, on the first request that asks for it (a missing one is asked again). */
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();

    /** After the edge's handlers (HttpEdge: failures, the body limit), before the REST layer. */
    void routes(@Observes Router router) {
        for (String path : List.of(PATH, PATH + ".json", PATH + ".yaml", PATH + ".yml")) {
            router.route(path).order(Integer.MIN_VALUE + 3).handler(this::serve);
        }
    }

    void serve(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().putHeader(HttpHeaders.ALLOW, ALLOWED);
            HttpEdge.answer(request, 405, "method_not_allowed", "this method is not allowed here; use GET",
                    Ids.uuid(), false);
            return;
        }
        boolean asJson;
        try {
            asJson = json(ctx.normalizedPath(), request.getHeader(HttpHeaders.ACCEPT), ctx.queryParams());
        } catch (RuntimeException e) { // a query string that cannot be decoded (%zz)
            HttpEdge.answer(request, 400, "invalid_request", "the query string could not be decoded",
                    Ids.uuid(), false);
            return;
        }
        byte[] body = documents.computeIfAbsent(asJson ? JSON_RESOURCE : YAML_RESOURCE, ContractDocument::read);
        if (body == null) {
            String requestId = Ids.uuid();
            LOG.errorf("requestId=%s %s is not in the application: the build did not write it", requestId,
                    asJson ? JSON_RESOURCE : YAML_RESOURCE);
            HttpEdge.answer(request, 500, "internal_error", ApiExceptionMapper.genericMessage(500), requestId, false);
            return;
        }
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, asJson ? JSON_TYPE : YAML_TYPE)
                .end(Buffer.buffer(body));
    }

    /** Whether the request wants JSON: smallrye-openapi's rules (see the class's comment). */
    static boolean json(String path, String accept, MultiMap query) {
        if (path != null && path.endsWith(".json")) {
            return true;
        }
        if (path != null && (path.endsWith(".yaml") || path.endsWith(".yml"))) {
            return false;
        }
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json")) {
            return true;
        }
        List<String> format = query.getAll("format");
        return !format.isEmpty() && "json".equalsIgnoreCase(format.get(0));
    }

    /** The resource's bytes, or null if the application has none. */
    static byte[] read(String resource) {
        try (InputStream in = ContractDocument.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            LOG.errorf(e, "could not read %s", resource);
            return null;
        }
    }
}
