package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.WebhookException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place where AWS failures become contract errors. Each call names its IAM permission,
 * so that access denied can say which one is missing, and says what "not found" means for it.
 */
final class AwsErrors {
    static final Duration THROTTLE_RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(10);
    private static final Set<String> DENIED = Set.of("AccessDeniedException", "AccessDenied",
            "UnauthorizedException", "UnrecognizedClientException", "InvalidSignatureException",
            "ExpiredTokenException", "NotAuthorizedException", "InvalidClientTokenId", "MissingAuthenticationTokenException");
    private static final Set<String> NOT_FOUND = Set.of("NotFoundException", "ResourceNotFoundException");
    /** Cognito's ConcurrentModificationException, and any service's ServiceUnavailableException: retry shortly. */
    private static final Set<String> RETRYABLE = Set.of("ConcurrentModificationException", "ServiceUnavailableException",
            "ServiceUnavailable");
    private static final Set<String> THROTTLED = Set.of("TooManyRequestsException", "ThrottlingException",
            "Throttling", "RequestLimitExceeded");

    /** What a "not found" from this call means for the caller. */
    enum Missing {
        /** Something the request named (a usage plan, a resource server): 422. */
        REQUESTED(WebhookException.Kind.UNPROCESSABLE),
        /** The credential itself: 404. */
        CREDENTIAL(WebhookException.Kind.NOT_FOUND),
        /** Something the webhook's configuration names (the user pool): 503. */
        CONFIGURED(WebhookException.Kind.UNAVAILABLE);

        final WebhookException.Kind kind;

        Missing(WebhookException.Kind kind) {
            this.kind = kind;
        }
    }

    private AwsErrors() {
    }

    /**
     * Runs one AWS call.
     *
     * @param permission the IAM action it needs, such as {@code cognito-idp:CreateUserPoolClient}
     * @param what       what the call is about, for messages: "usage plan abc123"
     */
    static <T> T call(String permission, String what, Missing missing, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            if (Deadline.isExceeded(e)) {
                throw Deadline.exceeded("calling " + permission);
            }
            throw map(e, permission, what, missing);
        }
    }

    static void run(String permission, String what, Missing missing, Runnable call) {
        call(permission, what, missing, () -> {
            call.run();
            return null;
        });
    }

    static boolean isNotFound(Throwable e) {
        return e instanceof AwsServiceException s && (NOT_FOUND.contains(code(s)) || s.statusCode() == 404);
    }

    /** AWS said slow down: 429, or a throttling error code (API Gateway's and Cognito's). */
    static boolean isThrottled(SdkException e) {
        return e instanceof AwsServiceException s
                && (s.statusCode() == 429 || THROTTLED.contains(code(s)) || s.isThrottlingException());
    }

    static WebhookException map(SdkException e, String permission, String what, Missing missing) {
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            int status = s.statusCode();
            if (isThrottled(s)) {
                return new WebhookException(WebhookException.Kind.THROTTLED,
                        "AWS is throttling the webhook (" + permission + "); retry later", THROTTLE_RETRY_AFTER, e);
            }
            if (s instanceof software.amazon.awssdk.services.sts.model.StsException && (DENIED.contains(code)
                    || status == 403)) {
                // the call never left: its target's role could not be assumed
                return new WebhookException(WebhookException.Kind.UPSTREAM_DENIED, "AWS STS refused to let the "
                        + "webhook assume a target's role (" + code + ", for " + permission + " on " + what + "): the "
                        + "role must trust the webhook's role with the configured external id, as "
                        + "deploy/target-account-role.yaml does", null, e);
            }
            Optional<String> inTarget = TargetDenials.of(s);
            if (inTarget.isPresent() && (DENIED.contains(code) || status == 403)) {
                return new WebhookException(WebhookException.Kind.UPSTREAM_DENIED, "AWS denied the permission "
                        + permission + " (on " + what + ") in " + inTarget.get(), null, e);
            }
            if (DENIED.contains(code) || status == 403) {
                return new WebhookException(WebhookException.Kind.UPSTREAM_DENIED,
                        "AWS denied the webhook's role the permission " + permission + " (on " + what
                                + "); grant it as in deploy/iam-policy.json", null, e);
            }
            if (NOT_FOUND.contains(code) || status == 404) {
                return new WebhookException(missing.kind, what + " does not exist", missing == Missing.CONFIGURED
                        ? UNAVAILABLE_RETRY_AFTER : null, e);
            }
            if ("LimitExceededException".equals(code)) {
                // Cognito's is a quota. API Gateway answers both its rate limits and its hard caps
                // with this code: a cap named by the message is a 422, anything else a rate limit.
                String cap = permission.startsWith("cognito-idp:") ? "a Cognito quota" : hardCap(message(s));
                return cap != null
                        ? new WebhookException(WebhookException.Kind.UNPROCESSABLE, "an AWS quota was reached while "
                                + "acting on " + what + ": " + cap + " (" + message(s) + ")", null, e)
                        : new WebhookException(WebhookException.Kind.THROTTLED,
                                "AWS is throttling the webhook (" + permission + "); retry later", THROTTLE_RETRY_AFTER, e);
            }
            if (RETRYABLE.contains(code) || status == 503) {
                return new WebhookException(WebhookException.Kind.UNAVAILABLE, "AWS is busy or unavailable ("
                        + permission + " on " + what + "); retry shortly", UNAVAILABLE_RETRY_AFTER, e);
            }
            if ("BadRequestException".equals(code) || "InvalidParameterException".equals(code)
                    || "InvalidOAuthFlowException".equals(code) || "ScopeDoesNotExistException".equals(code)) {
                return new WebhookException(WebhookException.Kind.UNPROCESSABLE,
                        "AWS rejected " + what + ": " + s.awsErrorDetails().errorMessage(), null, e);
            }
            return new WebhookException(WebhookException.Kind.UPSTREAM_FAILED,
                    "AWS failed " + permission + " on " + what + " with " + status + " " + code, null, e);
        }
        if (e instanceof SdkClientException) {
            return new WebhookException(WebhookException.Kind.UNAVAILABLE,
                    "AWS could not be reached in time; retry shortly", UNAVAILABLE_RETRY_AFTER, e);
        }
        return new WebhookException(WebhookException.Kind.INTERNAL, "AWS call " + permission + " failed", null, e);
    }

    /** The AWS error code, or "" when there is none. */
    /** An access-denied error code (403 aside). */
    static boolean isDenied(AwsServiceException e) {
        return DENIED.contains(code(e));
    }

    static String code(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && s.awsErrorDetails().errorCode() != null ? s.awsErrorDetails().errorCode() : "";
    }

    /** AWS's error message, or "". */
    static String message(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && s.awsErrorDetails().errorMessage() != null ? s.awsErrorDetails().errorMessage() : "";
    }

    /**
     * The hard cap a LimitExceededException message names, or null for a rate limit: 10,000 API
     * keys per Region, 10 usage plans per API key.
     */
    static String hardCap(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        boolean quota = m.contains("quota") || m.contains("maximum") || m.contains("max ") || m.contains("cannot exceed")
                || m.matches(".*\\b10,?000\\b.*");
        if (!quota || m.contains("rate")) {
            return null;
        }
        if (m.contains("usage plan")) {
            return "at most 10 usage plans per API key";
        }
        if (m.contains("api key") || m.contains("apikey") || m.contains("10000") || m.contains("10,000")) {
            return "at most 10,000 API keys per Region";
        }
        return "an account quota";
    }
}
