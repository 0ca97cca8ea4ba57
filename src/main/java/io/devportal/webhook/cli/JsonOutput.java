package io.devportal.webhook.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.devportal.webhook.provisioning.AuditTrail;

import java.io.PrintWriter;

/** The CLI's two output forms: JSON (one document) for {@code --json}, escaped text otherwise. */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("output cannot be written as JSON", e);
        }
    }

    /** A value from the ledger or AWS, safe for a terminal: no control or bidi characters, "-" for none. */
    static String text(Object value) {
        return value == null ? "-" : AuditTrail.escape(value.toString());
    }
}
