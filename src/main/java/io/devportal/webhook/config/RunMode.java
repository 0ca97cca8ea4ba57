package io.devportal.webhook.config;

import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * How this process runs: the HTTP service (a JVM or container), a Lambda function, or one admin
 * command ({@code cli.Main} with arguments activates the {@value #CLI_PROFILE} profile of
 * application.properties: no listener, logs on stderr). Start-up rules that differ by mode (the
 * portal account, the AWS environment) ask here.
 */
public enum RunMode {
    SERVICE, LAMBDA, CLI;

    /** The configuration profile of the admin CLI. */
    public static final String CLI_PROFILE = "cli";

    public static RunMode current() {
        if (ConfigUtils.isProfileActive(CLI_PROFILE)) {
            return CLI;
        }
        // set by the Lambda runtime in every function's environment
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null ? LAMBDA : SERVICE;
    }
}
