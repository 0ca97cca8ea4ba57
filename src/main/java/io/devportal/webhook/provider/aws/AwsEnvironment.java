package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the AWS SDK needs before any call: a Region and credentials, from its own default chains
 * (environment, system properties, the AWS_PROFILE's profile, instance/task/Lambda roles). With
 * the AWS provider a missing one stops the service at start-up with a message that names the
 * variables, instead of a service that starts "ready" and fails every request. The CLI does not
 * stop: {@code check-config} reports the same messages.
 */
@ApplicationScoped
public class AwsEnvironment {
    public static final String NO_REGION = "no Region configured: set AWS_REGION (or a region in the profile "
            + "AWS_PROFILE names)";
    public static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance, task or Lambda role";

    static void atStart(@Observes @Priority(1) StartupEvent started, WebhookConfig config) {
        if (!"aws".equals(config.provider().toLowerCase(Locale.ROOT)) || RunMode.current() == RunMode.CLI) {
            return;
        }
        List<String> problems = new ArrayList<>();
        regionProblem().ifPresent(problems::add);
        credentialsProblem().ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("webhook.provider=aws cannot start: " + String.join("; ", problems));
        }
    }

    /** {@link #NO_REGION} when the SDK finds no Region. */
    public static Optional<String> regionProblem() {
        try {
            new DefaultAwsRegionProviderChain().getRegion();
            return Optional.empty();
        } catch (SdkClientException e) {
            return Optional.of(NO_REGION);
        }
    }

    /** {@link #NO_CREDENTIALS} when the default chain resolves none. */
    public static Optional<String> credentialsProblem() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            return Optional.empty();
        } catch (SdkClientException e) {
            return Optional.of(NO_CREDENTIALS);
        }
    }

    /** The operator's form of the SDK's "Unable to load region / credentials" failures; empty for others. */
    public static Optional<String> explain(SdkClientException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Unable to load region")) {
            return Optional.of(NO_REGION);
        }
        if (message.startsWith("Unable to load credentials")) {
            return Optional.of(NO_CREDENTIALS);
        }
        return Optional.empty();
    }
}
