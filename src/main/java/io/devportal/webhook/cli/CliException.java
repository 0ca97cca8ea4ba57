package io.devportal.webhook.cli;

/**
 * A command's failure as the operator sees it: {@code error: <code>: <message>} on stderr, exit
 * code 1. The message never holds a secret.
 */
public class CliException extends RuntimeException {
    private final String code;

    public CliException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
