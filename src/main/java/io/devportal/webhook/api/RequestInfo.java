package io.devportal.webhook.api;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.logging.LogSafe;
import jakarta.enterprise.context.RequestScoped;
import org.jboss.logging.MDC;


/** Per-request facts shared by the filters, the resource and the exception mapper. */
@RequestScoped
public class RequestInfo {
    private final String id = Ids.uuid();
    private final long startNanos = System.nanoTime();
    private String app = "-";
    private String credentialType = "unknown";

    public String id() {
        return id;
    }

    long startNanos() {
        return startNanos;
    }

    String app() {
        return app;
    }

    /** The credential type this request is about, once known (a metrics tag). */
    String credentialType() {
        return credentialType;
    }

    void credentialType(String type) {
        this.credentialType = type;
    }

    /** The app identity or credential id this request is about, for the request log line. */
    void app(String app) {
        this.app = app;
        // a field of every later log record of this request (the JSON format shows the MDC)
        MDC.put("app", LogSafe.escape(app));
    }
}
