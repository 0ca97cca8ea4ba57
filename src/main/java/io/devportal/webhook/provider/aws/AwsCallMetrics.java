package io.devportal.webhook.provider.aws;

import io.devportal.webhook.metrics.Metrics;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;

/**
 * Times every AWS SDK call (its retries included) by service, operation and outcome: {@code ok},
 * the AWS error code, {@code timeout} or {@code client_error}. {@link AwsClients} adds every
 * {@link ExecutionInterceptor} bean to its clients.
 */
@ApplicationScoped
public class AwsCallMetrics implements ExecutionInterceptor {
    /**
     * The SDK keeps attribute names unique per JVM; the class's identity in the name keeps a second
     * copy of the application (a test run restarting it in a new class loader) from colliding.
     */
    private static final ExecutionAttribute<Long> STARTED =
            new ExecutionAttribute<>("webhook.metrics.started@" + System.identityHashCode(AwsCallMetrics.class));

    /** The target a client belongs to ({@link AwsClients} sets it on every client). */
    static final ExecutionAttribute<String> TARGET =
            new ExecutionAttribute<>("webhook.metrics.target@" + System.identityHashCode(AwsCallMetrics.class));

    @Inject
    Metrics metrics;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        String outcome;
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            outcome = aws.awsErrorDetails().errorCode();
        } else if (timedOut(failure)) {
            outcome = "timeout";
        } else {
            outcome = "client_error";
        }
        record(attributes, outcome);
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        // a priming call (SnapStart init, answered in the process) is not counted: Metrics skips it
        metrics.awsCall(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), outcome,
                Duration.ofNanos(System.nanoTime() - started), attributes.getAttribute(TARGET));
    }
}
