package io.devportal.webhook.provider;

import java.time.Duration;

/**
 * A failure with a place in the contract. {@link Kind} decides the status code; the message is
 * shown to the caller only where {@link Kind#exposesMessage()} allows. Messages
 * never carry secrets.
 */
public class WebhookException extends RuntimeException {

    public enum Kind {
        INVALID_REQUEST(400, "invalid_request"),
        NOT_FOUND(404, "not_found"),
        CONFLICT(409, "conflict"),
        /** Another operation is changing this credential right now: retry after Retry-After. */
        BUSY(409, "credential_busy"),
        PAYLOAD_TOO_LARGE(413, "payload_too_large"),
        UNPROCESSABLE(422, "unprocessable"),
        THROTTLED(429, "throttled"),
        UPSTREAM_DENIED(502, "upstream_access_denied"),
        UPSTREAM_FAILED(502, "upstream_error"),
        UNAVAILABLE(503, "unavailable"),
        /** The request ran out of time; what it made was undone (or is left to the sweeper). */
        DEADLINE_EXCEEDED(503, "deadline_exceeded"),
        INTERNAL(500, "internal_error");

        public final int status;
        public final String code;

        Kind(int status, String code) {
            this.status = status;
            this.code = code;
        }

        /**
         * Whether the message may be shown to the caller: the caller's own mistakes, and failures
         * whose message this service wrote to help them (the missing permission, when to retry).
         * Other failures answer with a generic message; their details go to the log only.
         */
        public boolean exposesMessage() {
            return this != UPSTREAM_FAILED && this != INTERNAL;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    public WebhookException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public WebhookException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public WebhookException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** For throttling and unavailability: when the caller may try again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
