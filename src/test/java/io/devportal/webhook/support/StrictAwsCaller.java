package io.devportal.webhook.support;

import java.net.http.HttpRequest;

/**
 * Who sent a request to the strict twin ({@link StrictAws}): its credential scope, the headers that
 * carry its identity, and the account moto puts its access key in ({@link StrictAwsCallers}).
 */
record StrictAwsCaller(String accessKey, String region, String service, String authorization, String amzDate,
                       String token, String account) {
    /** Its target: "account/region". */
    String target() {
        return account + "/" + region;
    }

    /** The caller's Authorization, scoped to another service (moto routes an unknown host by the scope). */
    String authorization(String other) {
        if (authorization == null || !authorization.contains("/" + region + "/" + service + "/aws4_request")) {
            return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/20260101/" + region + "/" + other
                    + "/aws4_request, SignedHeaders=host, Signature=0";
        }
        return authorization.replace("/" + region + "/" + service + "/aws4_request",
                "/" + region + "/" + other + "/aws4_request");
    }

    /** The request with the caller's identity: its Authorization (scoped to asService), X-Amz-Date and token. */
    HttpRequest.Builder sign(HttpRequest.Builder request, String asService) {
        request.header("Authorization", authorization(asService));
        if (amzDate != null) {
            request.header("X-Amz-Date", amzDate);
        }
        if (token != null) {
            request.header("X-Amz-Security-Token", token);
        }
        return request;
    }
}
