package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The strict twin's way to moto: a client's request passed on as it was sent, and the twin's own
 * look-ups made as the caller (its Authorization, X-Amz-Date and X-Amz-Security-Token go with them,
 * so they see the caller's account and Region and never the default one).
 */
final class StrictAwsMoto {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String moto;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    StrictAwsMoto(String moto) {
        this.moto = moto;
    }

    /** The client's request, with this method and body, to moto; the headers of the hop left out. */
    StrictAwsAnswer forward(HttpExchange exchange, String method, byte[] body) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        String target = moto + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding")
                    .contains(lower)) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return send(request.build());
    }

    /** An API Gateway GET as the caller: in its account and Region. */
    StrictAwsAnswer get(StrictAwsCaller caller, String pathAndQuery) throws IOException, InterruptedException {
        return send(caller.sign(HttpRequest.newBuilder(URI.create(moto + pathAndQuery)).GET(), "apigateway").build());
    }

    /** A Cognito call as the caller. */
    StrictAwsAnswer cognito(StrictAwsCaller caller, String action, ObjectNode body)
            throws IOException, InterruptedException {
        return send(caller.sign(HttpRequest.newBuilder(URI.create(moto + "/")), "cognito-idp")
                .header("X-Amz-Target", StrictAwsOperations.COGNITO + action)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    }

    /** An STS call (query protocol: the form) as the caller. */
    StrictAwsAnswer sts(StrictAwsCaller caller, String form) throws IOException, InterruptedException {
        return send(caller.sign(HttpRequest.newBuilder(URI.create(moto + "/")), "sts")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private StrictAwsAnswer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new StrictAwsAnswer(response.statusCode(), response.headers().map(), response.body());
    }
}
