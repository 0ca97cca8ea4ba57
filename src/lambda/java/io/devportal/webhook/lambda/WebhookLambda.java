package io.devportal.webhook.lambda;

import io.devportal.webhook.api.TargetValidation;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.provider.aws.OwnAccount;
import io.devportal.webhook.provisioning.Sweeper;
import io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda function's handler ({@code io.devportal.webhook.lambda.WebhookLambda::handleRequest}).
 * <p>
 * Every HTTP event (a function URL or an API Gateway HTTP API, payload 2.0) goes to Quarkus'
 * {@code quarkus-amazon-lambda-http} handler unchanged, so the function serves exactly the REST
 * resources the server does, Basic auth included. An EventBridge scheduled event runs the sweeper
 * once instead. That event can only come from a direct {@code lambda:Invoke}, which needs IAM: an
 * HTTP caller controls the body and headers nested inside an HTTP event, never its top-level
 * {@code source}/{@code detail-type}, so no HTTP request, authenticated or not, can trigger a sweep.
 * Any other event is refused.
 * <p>
 * Before the first event is handled, the invoked function's ARN tells the webhook its own account
 * ({@link OwnAccount}), where a target without a role acts: no STS call for it in Lambda, and none
 * in the priming (which never comes through here).
 * <p>
 * It implements no Lambda interface on purpose: Quarkus allows one handler class beside the HTTP
 * extension's, and the Lambda Java runtime calls any public {@code (InputStream, OutputStream,
 * Context)} method named in the function's handler setting.
 */
public class WebhookLambda {
    private static final Logger LOG = Logger.getLogger(WebhookLambda.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // before Quarkus boots: a malformed request target is answered in the contract's shape (api.HttpEdge)
        TargetValidation.takeOver();
    }

    /** Where an HTTP event goes: Quarkus' stream handler in Lambda. */
    @FunctionalInterface
    public interface HttpEntry {
        void handle(InputStream input, OutputStream output, Context context) throws IOException;
    }

    private final HttpEntry http;
    private final Runnable start;
    private volatile boolean accountTold;

    /** The Lambda runtime's constructor: boots Quarkus in the init phase (which SnapStart snapshots). */
    public WebhookLambda() {
        QuarkusStreamHandler quarkus = new QuarkusStreamHandler();
        this.http = quarkus::handleRequest;
        this.start = Quarkus::manualStart;
    }

    /** For tests, where Quarkus is already running: the HTTP entry and how to make sure it started. */
    public WebhookLambda(HttpEntry http, Runnable start) {
        this.http = http;
        this.start = start;
    }

    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        JsonNode root;
        try {
            root = JSON.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event is not JSON");
        }
        Kind kind = kindOf(root);
        if (kind != Kind.OTHER) {
            tellAccount(context);
        }
        switch (kind) {
            case HTTP -> http.handle(new ByteArrayInputStream(event), output, context);
            case SCHEDULE -> {
                start.run();
                int finished = Arc.container().instance(Sweeper.class).get().sweep();
                LOG.infof("scheduled sweep finished %d abandoned operation(s)", finished);
                output.write(("{\"swept\":" + finished + "}").getBytes(StandardCharsets.UTF_8));
            }
            case OTHER -> throw new IllegalArgumentException(
                    "unsupported event: expected an HTTP event (payload 2.0) or an EventBridge \"Scheduled Event\"");
        }
    }

    /** The function's account, from the ARN the event was invoked by, to {@link OwnAccount}: once per process. */
    private void tellAccount(Context context) {
        if (accountTold || context == null || context.getInvokedFunctionArn() == null) {
            return;
        }
        start.run();
        InstanceHandle<OwnAccount> own = Arc.container().instance(OwnAccount.class);
        if (own.isAvailable()) { // a build without the AWS provider has no such bean
            own.get().learnFromFunctionArn(context.getInvokedFunctionArn());
        }
        accountTold = true;
    }

    enum Kind { HTTP, SCHEDULE, OTHER }

    /** Decided on the event's top-level fields only, which an HTTP caller cannot set. */
    static Kind kindOf(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Kind.OTHER;
        }
        JsonNode requestContext = root.get("requestContext");
        if (requestContext != null && requestContext.isObject() && requestContext.path("http").isObject()) {
            return Kind.HTTP;
        }
        if (requestContext == null
                && "aws.events".equals(root.path("source").asText(null))
                && "Scheduled Event".equals(root.path("detail-type").asText(null))) {
            return Kind.SCHEDULE;
        }
        return Kind.OTHER;
    }
}
