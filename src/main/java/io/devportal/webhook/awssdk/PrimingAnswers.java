package io.devportal.webhook.awssdk;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The in-process answers to AWS calls made while priming ({@link AwsTransport#prime}): a JSON
 * body per call, or null when an answerer does not know the call (the next one is asked; in the
 * end {@code 200 {}}). An answer that is one of AWS's JSON errors (it begins {@code {"__type":})
 * is sent with status 400, as DynamoDB and Cognito send theirs, so that an error path is primed
 * too. No answer ever leaves the process, and none is kept after the priming.
 */
@FunctionalInterface
public interface PrimingAnswers {
    /** Every call answered {@code 200 {}}. */
    PrimingAnswers EMPTY = call -> null;

    /**
     * One call as the answerer sees it: the HTTP method, host, path and query of the request, the
     * JSON protocols' {@code X-Amz-Target} (DynamoDB, Cognito; null for API Gateway) and the body.
     */
    record Call(String method, String host, String path, Map<String, List<String>> query, String target,
                String body) {
        /** The first value of a query parameter, or null. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** The JSON answer to the call, or null when this answerer does not know it. */
    String answer(Call call);

    /** This answerer, then {@code next} for the calls it does not know. */
    default PrimingAnswers or(PrimingAnswers next) {
        return call -> {
            String mine = answer(call);
            return mine != null ? mine : next.answer(call);
        };
    }

    /** The request answered by {@code answers} in the process: status 200 (400 for an error), no connection. */
    static ExecutableHttpRequest respond(HttpExecuteRequest request, PrimingAnswers answers) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                String answer = answers.answer(callOf(request));
                byte[] body = (answer != null ? answer : "{}").getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(isError(answer) ? 400 : 200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(body.length))
                                .putHeader("x-amzn-RequestId", "priming")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    /** Whether the answer is one of AWS's JSON errors: sent with status 400. */
    static boolean isError(String answer) {
        return answer != null && answer.startsWith("{\"__type\":");
    }

    private static Call callOf(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        String body = "";
        if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Call(http.method().name(), http.host(), http.encodedPath(), http.rawQueryParameters(),
                http.firstMatchingHeader("X-Amz-Target").orElse(null), body);
    }
}
