package io.devportal.webhook.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The strict twin's server and dispatch ({@link StrictAws} says what the twin enforces). Each request
 * is named ({@link StrictAwsOperations}), its caller and target found ({@link StrictAwsCallers}),
 * counted ({@link StrictAwsTargets}), delayed by {@code latencyMillis}, held to the rate limits
 * ({@link StrictAwsLimits}), then answered by an injected fault ({@link StrictAwsFaults}), by the rules
 * of its operation ({@link StrictAwsApiGateway}, {@link StrictAwsCognito}) or by moto
 * ({@link StrictAwsMoto}); an AssumeRole is logged ({@link StrictAwsAssumedRoles}). Requests to
 * {@code /_twin/} go to the control endpoint ({@link StrictAwsControl}).
 */
final class StrictAwsProxy {
    final StrictAwsTargets targets = new StrictAwsTargets();
    final StrictAwsLimits limits = new StrictAwsLimits(targets);
    final StrictAwsFaults faults = new StrictAwsFaults();
    final StrictAwsAssumedRoles assumedRoles = new StrictAwsAssumedRoles();
    /** When each call that was let through reached moto. */
    final CallTimes callTimes = new CallTimes();
    final StrictAwsApiGateway apiGateway;
    private final StrictAwsMoto moto;
    private final StrictAwsCallers callers;
    private final StrictAwsCognito cognito;
    private final StrictAwsControl control = new StrictAwsControl(this);
    private final HttpServer server;
    private volatile long latencyMillis;

    StrictAwsProxy(String moto) throws IOException {
        this.moto = new StrictAwsMoto(moto);
        callers = new StrictAwsCallers(this.moto);
        apiGateway = new StrictAwsApiGateway(this.moto, limits);
        cognito = new StrictAwsCognito(this.moto);
        defaults();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "strict-aws");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The defaults: no latency, no faults, zero counters, every access key's account forgotten. */
    void defaults() {
        apiGateway.defaults();
        limits.defaults();
        latencyMillis = 0;
        targets.clear();
        callers.forget();
        faults.clear();
        callTimes.clear();
    }

    /** Every call waits this long before anything else happens to it. */
    void latencyMillis(long millis) {
        latencyMillis = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_twin/")) {
                control.handle(exchange, path);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = StrictAwsOperations.of(exchange, path, body);
            StrictAwsCaller caller;
            try {
                caller = callers.of(exchange, operation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            StrictAwsTargets.Target target = targets.begin(caller.target(), operation);
            if (!operation.equals("moto-api")) {
                targets.service(target, caller.service());
            }
            try {
                if (latencyMillis > 0) {
                    Thread.sleep(latencyMillis);
                }
                StrictAwsAnswer answer = limits.throttle(operation, caller, target, body);
                if (answer == null && !operation.equals("moto-api")) {
                    callTimes.record(caller.target(), caller.service(), System.nanoTime());
                }
                if (answer == null) {
                    answer = faults.injected(exchange, operation, caller);
                }
                if (answer == null) {
                    answer = apply(exchange, operation, path, body, caller, target);
                }
                if (operation.equals("AssumeRole")) {
                    assumedRoles.record(exchange, body, caller, answer);
                }
                answer.send(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                new StrictAwsAnswer(500, Map.of(), new byte[0]).send(exchange);
            } finally {
                targets.end(target, operation);
            }
        } catch (RuntimeException | IOException e) {
            // the client sees a broken connection, as with a real network failure
        }
    }

    /** The call answered by the rules of its operation, else by moto. */
    private StrictAwsAnswer apply(HttpExchange exchange, String operation, String path, byte[] body,
                                  StrictAwsCaller caller, StrictAwsTargets.Target target)
            throws IOException, InterruptedException {
        return switch (operation) {
            case "CreateApiKey", "DeleteApiKey" -> apiGateway.writeKey(exchange, operation, body, target);
            case "GetApiKeys" -> apiGateway.getApiKeys(exchange, body, target);
            case "CreateUsagePlanKey" -> apiGateway.createUsagePlanKey(exchange, path, body, caller, target);
            case "CreateUserPoolClient", "UpdateUserPoolClient" -> cognito.writeClient(exchange, operation, body, caller);
            default -> moto.forward(exchange, exchange.getRequestMethod(), body);
        };
    }
}
