package io.devportal.webhook.api;

import io.devportal.webhook.metrics.Metrics;
import io.devportal.webhook.provisioning.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import io.devportal.webhook.logging.LogSafe;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Duration;

/**
 * Around every request that reaches the REST layer (everything but the {@code /q/} endpoints): a
 * request id, the body-size limit, Basic auth with throttling, and one log line at the end.
 * Nothing here logs a header value.
 */
class HttpFilters {
    private static final Logger LOG = Logger.getLogger("io.devportal.webhook.request");
    static final int MAX_BODY = 64 * 1024;
    static final String REQUEST_ID_HEADER = "X-Request-Id";

    @Inject
    RequestInfo request;

    @Inject
    AuthGate gate;

    @Inject
    Metrics metrics;

    @Inject
    Caller caller;

    @ServerRequestFilter(preMatching = true, priority = 1)
    Response begin(ContainerRequestContext ctx) {
        MDC.put("requestId", request.id());
        MDC.remove("app");
        // every answer is JSON; an Accept header that says otherwise is not worth a 406 to the portal
        ctx.getHeaders().putSingle(HttpHeaders.ACCEPT, "application/json");
        String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > MAX_BODY) {
                return ApiExceptionMapper.builder(413, "payload_too_large",
                        "request body is too large: at most " + MAX_BODY + " bytes", request.id()).build();
            }
        }
        return null;
    }

    @ServerRequestFilter(preMatching = true, priority = 2)
    Uni<Response> authenticate(ContainerRequestContext ctx, HttpServerRequest http) {
        Uni<Response> answer = gate.authenticate(ctx, http, request.id());
        caller.request((String) ctx.getProperty(AuthGate.ADDRESS), request.id());
        return answer;
    }

    /** After {@link #authenticate} (which may finish on another thread): the audit trail's caller. */
    @ServerRequestFilter(preMatching = true, priority = 3)
    void authenticated(ContainerRequestContext ctx) {
        caller.set((String) ctx.getProperty(AuthGate.ACCOUNT), (String) ctx.getProperty(AuthGate.ADDRESS),
                request.id());
    }

    /**
     * OPTIONS is not in the contract (the OpenAPI document declares POST on the three /v1 calls and
     * GET on /v1/health): it is answered like any other undeclared method, 405 with the same
     * {@code Allow}, after authentication like every other request; on a path outside the contract, 404.
     */
    @ServerRequestFilter(preMatching = true, priority = 3)
    Response options(ContainerRequestContext ctx, HttpServerRequest http) {
        if (!"OPTIONS".equals(ctx.getMethod())) {
            return null;
        }
        String allowed = ApiExceptionMapper.allowedMethod(http.path());
        if (allowed == null) {
            throw new NotFoundException(); // the REST layer would answer 200 for any path under /v1
        }
        LOG.infof("refused with 405 method_not_allowed");
        return ApiExceptionMapper.builder(405, "method_not_allowed",
                        "this method is not allowed here; use " + allowed, request.id())
                .header(HttpHeaders.ALLOW, allowed).build();
    }

    @ServerResponseFilter
    void end(ContainerRequestContext ctx, ContainerResponseContext response, HttpServerRequest http) {
        response.getHeaders().putSingle(REQUEST_ID_HEADER, request.id());
        long nanos = System.nanoTime() - request.startNanos();
        long millis = nanos / 1_000_000;
        String endpoint = Endpoints.of(http.path());
        metrics.request(endpoint, response.getStatus(), Duration.ofNanos(nanos));
        if (response.getStatus() >= 400 && Endpoints.isOperation(endpoint)
                && response.getEntity() instanceof ErrorBody error) {
            metrics.operation(endpoint, request.credentialType(), error.code());
        }
        // the raw path from Vert.x: the JAX-RS request URI is absolute and cannot be built for an
        // HTTP/1.0 request without a Host header
        LOG.infof("request method=%s path=%s status=%d durationMs=%d requestId=%s app=%s",
                LogSafe.escape(ctx.getMethod()), LogSafe.escape(http.path()), response.getStatus(), millis,
                request.id(), LogSafe.quoted(request.app()));
        MDC.remove("app");
        MDC.remove("requestId");
    }
}
