package io.devportal.webhook.api;

import io.devportal.webhook.config.Ids;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.logging.LogSafe;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;


/**
 * The HTTP edge below the REST layer: whatever Vert.x answers by itself also gets the contract's
 * JSON error body, a request id and a log line, and never a stack trace.
 * <ul>
 * <li>the body is read here with the contract's limit (64 KiB), so a body over it, chunked or not,
 * is a JSON 413 before anything else reads it;</li>
 * <li>a failure that reaches Vert.x (a body that cannot be read, an exception outside the REST
 * layer) becomes a JSON response instead of Quarkus's error page;</li>
 * <li>a request Netty cannot parse (a malformed request line, headers over
 * {@code quarkus.http.limits.max-header-size}, a request line over
 * {@code max-initial-line-length}) is answered by {@link #invalidRequest} with 400, 431 or 414,
 * which {@link InvalidRequestHandlers} installs in the HTTP server.</li>
 * </ul>
 */
@ApplicationScoped
class HttpEdge {
    private static final Logger LOG = Logger.getLogger("io.devportal.webhook.request");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K")
    MemorySize maxHeaderSize;

    @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096")
    int maxInitialLine;

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        // a target that cannot be decoded (a malformed percent-escape in the path or the query) fails while
        // the routes are matched, before any failure handler can match: Vert.x then asks the router's 400 handler
        router.errorHandler(400, this::undecodable);
        // first of all handlers: the target check Quarkus's root handler would make with an empty answer
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (TargetValidation.valid(ctx.request().uri())) {
                ctx.next();
            } else {
                undecodable(ctx);
            }
        });
        router.route().order(Integer.MIN_VALUE + 1)
                .handler(BodyHandler.create(false).setBodyLimit(HttpFilters.MAX_BODY));
        // an empty body is left unset by BodyHandler; the REST layer would then wait for one to arrive
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            if (ctx.body().buffer() == null && ctx instanceof RoutingContextInternal internal) {
                internal.setBody(Buffer.buffer());
            }
            ctx.next();
        });
    }

    /**
     * Fired (asynchronously) once the first HTTP verticle listens; the others (one per event loop) may follow a
     * moment later, so the installation is repeated for a few seconds (it is idempotent).
     */
    void started(@ObservesAsync HttpServerStart event) {
        Handler<HttpServerRequest> handler = this::invalidRequest;
        int installed = InvalidRequestHandlers.install(vertx, handler);
        LOG.debugf("JSON answer for malformed requests installed in %d HTTP servers", installed);
        long[] rounds = {0};
        vertx.setPeriodic(250, id -> {
            InvalidRequestHandlers.install(vertx, handler);
            if (++rounds[0] >= 20) {
                vertx.cancelTimer(id);
            }
        });
        if (installed == 0) {
            LOG.warn("could not install the JSON answer for malformed requests: Vert.x answers them with empty bodies");
        }
    }

    /** A failure that reached Vert.x: answer in the contract's shape if nothing was sent yet. */
    void failure(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        Throwable failure = ctx.failure();
        int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (response.headWritten() || response.ended() || response.closed()) {
            // answered already (our 413 closes the connection), or the client went away: nothing to send
            LOG.debugf("failure after the response started: %s", failure);
            return;
        }
        String requestId = Ids.uuid();
        if (status >= 500) {
            LOG.errorf(failure, "requestId=%s failed unexpectedly before the REST layer", requestId);
        }
        String code;
        String message;
        switch (status) {
            case 413 -> {
                code = "payload_too_large";
                message = "request body is too large: at most " + HttpFilters.MAX_BODY + " bytes";
            }
            case 400 -> {
                code = "invalid_request";
                message = "the request body could not be read";
            }
            case 404 -> {
                code = "not_found";
                message = "no endpoint here";
            }
            case 405 -> {
                code = "method_not_allowed";
                message = "this method is not allowed here";
            }
            case 415 -> {
                code = "unsupported_media_type";
                message = "Content-Type must be application/json";
            }
            default -> {
                if (status >= 500) {
                    status = 500;
                    code = "internal_error";
                    message = ApiExceptionMapper.genericMessage(500);
                } else {
                    code = "invalid_request";
                    message = "the request was refused (" + status + ")";
                }
            }
        }
        answer(ctx.request(), status, code, message, requestId, status == 413);
    }

    /** A request target Vert.x could not decode while matching routes (e.g. {@code /v1/health?x=%zz}). */
    void undecodable(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        answer(ctx.request(), 400, "invalid_request",
                "the request target could not be decoded (a malformed percent-escape?)", Ids.uuid(), false);
    }

    /** A request Netty could not parse; the connection is closed after the answer. */
    void invalidRequest(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        String requestId = Ids.uuid();
        if (cause instanceof TooLongHttpLineException) {
            answer(request, 414, "uri_too_long",
                    "the request line is too long: at most " + maxInitialLine + " bytes", requestId, true);
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            answer(request, 431, "headers_too_large",
                    "the request headers are too large: at most " + maxHeaderSize.asLongValue() + " bytes in all",
                    requestId, true);
        } else {
            answer(request, 400, "invalid_request", "malformed HTTP request", requestId, true);
        }
    }

    /** Answers in the contract's shape, with the request id header and the request's log line. */
    static void answer(HttpServerRequest request, int status, String code, String message, String requestId,
                       boolean close) {
        HttpServerResponse response = request.response();
        String body;
        try {
            body = JSON.writeValueAsString(new ErrorBody(message, code, requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpFilters.REQUEST_ID_HEADER, requestId);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        logLine(request, status, requestId);
        response.end(body).onComplete(done -> {
            if (close) {
                request.connection().close();
            }
        });
    }

    private static void logLine(HttpServerRequest request, int status, String requestId) {
        MDC.put("requestId", requestId);
        String method;
        String path;
        try {
            method = String.valueOf(request.method());
            path = request.path();
        } catch (RuntimeException e) {
            method = "-";
            path = "-";
        }
        LOG.infof("request method=%s path=%s status=%d requestId=%s app=\"-\"",
                LogSafe.escape(method), LogSafe.escape(path), status, requestId);
        MDC.remove("requestId");
    }
}
