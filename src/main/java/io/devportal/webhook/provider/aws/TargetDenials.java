package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.Targets;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sts.model.StsException;

import java.util.Optional;

/**
 * A denial (403) in a configured target names the target and the role it was made with, so that
 * the message sends the operator to that account's role ({@code deploy/target-account-role.yaml})
 * and not to the webhook's own policy. Every client of a configured target carries the
 * {@link Interceptor}, which marks the exception's message (the SDK demands the same exception
 * type back); {@link AwsErrors#map} reads the mark.
 */
final class TargetDenials {
    private static final String OPEN = "[devportal-webhook ";
    private static final String CLOSE = "] ";

    private TargetDenials() {
    }

    /** "target partner (sa-east-1) through role arn:...; grant it to that role as ... does", when marked. */
    static Optional<String> of(AwsServiceException e) {
        String message = e.getMessage();
        int open = message == null ? -1 : message.indexOf(OPEN);
        int close = open < 0 ? -1 : message.indexOf(CLOSE, open);
        return close < 0 ? Optional.empty() : Optional.of(message.substring(open + OPEN.length(), close));
    }

    static final class Interceptor implements ExecutionInterceptor {
        private final String mark;

        Interceptor(Targets.Target target) {
            String region = target.region().orElse("(unset)");
            this.mark = OPEN + "target " + target.name() + " (" + region + ")" + target.roleArn()
                    .map(r -> " through role " + r + "; grant it to that role as deploy/target-account-role.yaml does")
                    .orElse(" with the webhook's own credentials; grant the webhook's role deploy/iam-policy.json's "
                            + "statements for Region " + region) + CLOSE;
        }

        @Override
        public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
            Throwable failure = context.exception();
            if (failure instanceof AwsServiceException s && !(s instanceof StsException)
                    && (s.statusCode() == 403 || AwsErrors.isDenied(s)) && of(s).isEmpty()) {
                String original = s.getMessage();
                return s.toBuilder().message(mark + original).build();
            }
            return failure;
        }
    }
}
