package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Deadline;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Holds every AWS call to the current request's {@link Deadline}: a call is not started, and a
 * retry attempt is not sent (after its backoff), once the deadline has passed.
 */
@ApplicationScoped
public class DeadlineInterceptor implements ExecutionInterceptor {

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Deadline.checkCurrent("calling AWS " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Deadline.checkCurrent("sending AWS " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
