package io.devportal.webhook.api;

import io.devportal.webhook.config.Priming;
import io.devportal.webhook.metrics.Metrics;
import io.devportal.webhook.provisioning.Caller;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

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
    Accounts accounts;

    @Inject
    AuthThrottle throttle;

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
    Response authenticate(ContainerRequestContext ctx, HttpServerRequest http) {
        String address = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Duration wait = throttle.blocked(address);
        if (wait != null) {
            metrics.authLockout();
            Response.ResponseBuilder refused = ApiExceptionMapper.builder(429, "too_many_requests",
                    "too many failed authentication attempts from this address; retry later", request.id());
            ApiExceptionMapper.retryAfter(refused, wait);
            return refused.build();
        }
        caller.request(address, request.id());
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        String[] account = new String[1];
        String problem = check(header, account);
        if (problem == null) {
            caller.set(account[0], address, request.id());
            return null;
        }
        // a request without credentials is the normal first half of the Basic challenge, not a guess:
        // only credentials that were sent and are wrong count towards the lockout
        if (header != null && !header.isBlank()) {
            throttle.failed(address);
            metrics.authFailure();
        }
        if (!Priming.active()) {
            LOG.infof("authentication failed from %s: %s", LogSafe.escape(address), problem);
        }
        return ApiExceptionMapper.builder(401, "unauthorized", problem, request.id())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"devportal-webhook\", charset=\"UTF-8\"")
                .build();
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

    /** Null when the header holds a valid account; otherwise what is wrong, without echoing it. */
    private String check(String header, String[] account) {
        if (header == null || header.isBlank()) {
            return "authentication required: send Authorization: Basic";
        }
        String trimmed = header.strip();
        if (trimmed.length() < 6 || !trimmed.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return "Authorization must use the Basic scheme";
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(trimmed.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "Authorization: Basic credentials are not valid base64";
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return "Authorization: Basic credentials must be username:password";
        }
        account[0] = accounts.match(decoded.substring(0, colon), decoded.substring(colon + 1));
        if (account[0] == null) {
            return "invalid username or password";
        }
        return null;
    }

    @ServerResponseFilter
    void end(ContainerRequestContext ctx, ContainerResponseContext response, HttpServerRequest http) {
        response.getHeaders().putSingle(REQUEST_ID_HEADER, request.id());
        long nanos = System.nanoTime() - request.startNanos();
        long millis = nanos / 1_000_000;
        if (Priming.active()) {
            return; // the SnapStart priming request (no credentials, answered 401): not a request of anyone
        }
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
