package io.devportal.webhook.api;

/** The one error body of every 4xx and 5xx. */
public record ErrorBody(String message, String code, String requestId) {
}
