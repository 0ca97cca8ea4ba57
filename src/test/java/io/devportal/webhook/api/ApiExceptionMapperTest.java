package io.devportal.webhook.api;

import io.devportal.webhook.provider.WebhookException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** 5xx answers say nothing the caller cannot act on: no exception class, no detail, just the request id. */
class ApiExceptionMapperTest {

    private final ApiExceptionMapper mapper = new ApiExceptionMapper();

    ApiExceptionMapperTest() {
        mapper.request = new RequestInfo();
    }

    @Test
    void anUnexpectedFailureIsAGeneric500() {
        Response r = mapper.unexpected(new IllegalStateException("db password=hunter2 at com.acme.Thing"));
        assertEquals(500, r.getStatus());
        ErrorBody body = (ErrorBody) r.getEntity();
        assertEquals(new ErrorBody("internal error; report the requestId to the webhook's operators", "internal_error",
                mapper.request.id()), body);
        assertFalse(body.toString().contains("IllegalStateException"));
    }

    @Test
    void anUpstreamFailureIsAGeneric502WhateverItsMessage() {
        Response r = mapper.webhook(new WebhookException(WebhookException.Kind.UPSTREAM_FAILED,
                "AWS failed apigateway:POST on a new API key with 500 InternalFailure"));
        assertEquals(502, r.getStatus());
        assertEquals("an upstream service failed; retry later or report the requestId to the webhook's operators",
                ((ErrorBody) r.getEntity()).message());
    }

    @Test
    void throttlingCarriesRetryAfterInWholeSeconds() {
        Response r = mapper.webhook(new WebhookException(WebhookException.Kind.THROTTLED, "slow down",
                java.time.Duration.ofMillis(1500), null));
        assertEquals(429, r.getStatus());
        assertEquals("2", r.getHeaderString("Retry-After"));
    }
}
