package io.devportal.webhook.support;

import jakarta.inject.Singleton;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SDK interceptor the webhook's AWS clients pick up in tests. It records every request, and on
 * demand makes the next executions of one AWS operation fail the way AWS fails: throttled, a 5xx,
 * access denied, not found, a timeout (the request goes to a socket that never answers), or a lost
 * response (AWS did the work, the answer never arrived: a 500, a timeout, or a 409 as a retry sees).
 * The other faults never reach moto, so they have no side effect, as with real AWS.
 */
@Singleton
public class FaultInjector implements ExecutionInterceptor {

    public enum Fault {
        THROTTLE, SERVER_ERROR, DENIED, NOT_FOUND, TIMEOUT, CONFLICT,
        /** Cognito's ConcurrentModificationException (400). */
        BUSY,
        /** AWS did the work; the answer is a 500. */
        RESPONSE_LOST,
        /** AWS did the work; the answer never arrives (the client times out). */
        TIMEOUT_AFTER_WORK,
        /** AWS did the work; the answer is a 409, as a retry of a call whose answer was lost sees. */
        DONE_THEN_CONFLICT;

        /** Whether the request reaches AWS (moto) and the fault replaces only its answer. */
        boolean reachesAws() {
            return this == RESPONSE_LOST || this == TIMEOUT_AFTER_WORK || this == DONE_THEN_CONFLICT;
        }
    }

    private record Rule(String operation, Fault fault, AtomicInteger skip, AtomicInteger remaining) {
    }

    private static final ExecutionAttribute<Fault> KEY = new ExecutionAttribute<>("test.fault." + java.util.UUID.randomUUID());
    private static final ServerSocket BLACKHOLE = blackhole();

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, List<SdkRequest>> requests = new ConcurrentHashMap<>();

    /** The next {@code times} executions of {@code operation} (an SDK operation name) fail with {@code fault}. */
    public void fail(String operation, Fault fault, int times) {
        failAfter(operation, fault, 0, times);
    }

    /** Like {@link #fail}, after the next {@code skip} executions of the operation have gone through. */
    public void failAfter(String operation, Fault fault, int skip, int times) {
        rules.add(new Rule(operation, fault, new AtomicInteger(skip), new AtomicInteger(times)));
    }

    public void reset() {
        rules.clear();
        requests.clear();
    }

    public List<SdkRequest> requests(String operation) {
        return new ArrayList<>(requests.getOrDefault(operation, List.of()));
    }

    public int calls(String operation) {
        return requests.getOrDefault(operation, List.of()).size();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(context.request());
        for (Rule rule : rules) {
            if (rule.operation.equals(operation) && rule.skip.getAndDecrement() <= 0
                    && rule.remaining.getAndDecrement() > 0) {
                attributes.putAttribute(KEY, rule.fault);
                return;
            }
        }
    }


    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        Fault fault = attributes.getAttribute(KEY);
        if (fault == null || fault.reachesAws()) {
            return context.httpRequest();
        }
        SdkHttpRequest.Builder harmless = context.httpRequest().toBuilder().method(SdkHttpMethod.GET)
                .encodedPath("/moto-api/").clearQueryParameters();
        if (fault == Fault.TIMEOUT) {
            harmless.protocol("http").host("127.0.0.1").port(BLACKHOLE.getLocalPort());
        }
        return harmless.build();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(KEY) == Fault.TIMEOUT_AFTER_WORK) {
            context.responseBody().ifPresent(original -> {
                try (original) {
                    original.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the connection is discarded instead
                }
            });
            throw software.amazon.awssdk.core.exception.SdkClientException.create(
                    "Read timed out (injected after AWS did the work)");
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Fault fault = attributes.getAttribute(KEY);
        if (fault == null) {
            return context.httpResponse();
        }
        String[] error = error(fault, attributes);
        return context.httpResponse().toBuilder()
                .statusCode(Integer.parseInt(error[0]))
                .removeHeader("Content-Length")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("x-amzn-ErrorType", error[1])
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        Fault fault = attributes.getAttribute(KEY);
        if (fault == null) {
            return context.responseBody();
        }
        // read and close what moto sent, so that its connection goes back to the pool
        context.responseBody().ifPresent(original -> {
            try (original) {
                original.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the connection is discarded instead
            }
        });
        String[] error = error(fault, attributes);
        String body = "{\"__type\":\"" + error[1] + "\",\"message\":\"injected " + fault + "\"}";
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String[] error(Fault fault, ExecutionAttributes attributes) {
        boolean cognito = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
                .toLowerCase(java.util.Locale.ROOT).contains("cognito");
        return switch (fault) {
            case THROTTLE -> new String[] {"429", "TooManyRequestsException"};
            case SERVER_ERROR, RESPONSE_LOST -> new String[] {"500", "InternalFailure"};
            case DENIED -> new String[] {"403", "AccessDeniedException"};
            case NOT_FOUND -> cognito ? new String[] {"400", "ResourceNotFoundException"}
                    : new String[] {"404", "NotFoundException"};
            case TIMEOUT, TIMEOUT_AFTER_WORK -> new String[] {"504", "Timeout"};
            case CONFLICT, DONE_THEN_CONFLICT -> new String[] {"409", "ConflictException"};
            case BUSY -> new String[] {"400", "ConcurrentModificationException"};
        };
    }

    /** A TCP port that accepts connections and never answers. */
    private static ServerSocket blackhole() {
        try {
            ServerSocket socket = new ServerSocket(0);
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "blackhole");
            t.setDaemon(true);
            t.start();
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
