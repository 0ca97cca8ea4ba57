package io.devportal.webhook.api;

import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.provider.WebhookException;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;

/**
 * The one place where failures become responses. Every 4xx and 5xx is {@link ErrorBody}; a 5xx
 * says only what the caller can act on, with the request id that its log line carries. Stack
 * traces and class names stay in the log.
 */
public class ApiExceptionMapper {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @Inject
    RequestInfo request;

    @ServerExceptionMapper
    public Response webhook(WebhookException e) {
        WebhookException.Kind kind = e.kind();
        String message = kind.exposesMessage() ? e.getMessage() : genericMessage(kind.status);
        if (kind.status >= 500) {
            LOG.errorf(e.getCause(), "failed with %d %s: %s", kind.status, kind.code, e.getMessage());
        } else {
            LOG.infof("refused with %d %s: %s", kind.status, kind.code, e.getMessage());
        }
        Response.ResponseBuilder response = builder(kind.status, kind.code, message, request.id());
        retryAfter(response, e.retryAfter());
        return response.build();
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String code;
        String message;
        if (e instanceof NotFoundException) {
            code = "not_found";
            message = "no endpoint here: the webhook serves POST /v1/createCredentials, /v1/updateCredentials, "
                    + "/v1/revokeCredentials and GET /v1/health";
        } else if (e instanceof NotAllowedException) {
            code = "method_not_allowed";
            message = "this method is not allowed here; use " + allowedMethod(uri);
        } else if (e instanceof NotSupportedException) {
            code = "unsupported_media_type";
            message = "Content-Type must be application/json";
        } else if (e instanceof NotAcceptableException) {
            code = "not_acceptable";
            message = "this endpoint answers application/json only";
        } else {
            code = "invalid_request";
            message = "the request was refused (" + status + ")";
        }
        LOG.infof("refused with %d %s", status, code);
        Response.ResponseBuilder response = builder(status, code, message, request.id());
        if (e instanceof NotAllowedException) {
            response.header(HttpHeaders.ALLOW, allowedMethod(uri));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof LedgerException) {
            LOG.errorf(e, "failed: the database is unavailable");
            return builder(503, "unavailable", "the service is temporarily unavailable; retry shortly",
                    request.id()).header(HttpHeaders.RETRY_AFTER, "5").build();
        }
        LOG.errorf(e, "failed unexpectedly");
        return builder(500, WebhookException.Kind.INTERNAL.code, genericMessage(500), request.id()).build();
    }

    /** The contract has one method per path: GET for health, POST for the rest. */
    private static String allowedMethod(UriInfo uri) {
        return uri.getPath().endsWith("/health") ? "GET" : "POST";
    }

    /** The one method the contract declares on this exact path, or null for a path not in it. */
    static String allowedMethod(String path) {
        return switch (path == null ? "" : path) {
            case "/v1/health" -> "GET";
            case "/v1/createCredentials", "/v1/updateCredentials", "/v1/revokeCredentials" -> "POST";
            default -> null;
        };
    }

    static String genericMessage(int status) {
        return status == 502
                ? "an upstream service failed; retry later or report the requestId to the webhook's operators"
                : "internal error; report the requestId to the webhook's operators";
    }

    static Response.ResponseBuilder builder(int status, String code, String message, String requestId) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(message, code, requestId));
    }

    static void retryAfter(Response.ResponseBuilder response, Duration wait) {
        if (wait != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        }
    }
}
