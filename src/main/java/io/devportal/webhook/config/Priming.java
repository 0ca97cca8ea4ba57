package io.devportal.webhook.config;

/**
 * Whether the process is priming (the Lambda build's SnapStart hook, before the snapshot): while
 * it is, AWS calls are answered in the process ({@code provider.aws.AwsTransport}) and the HTTP
 * layer records no metric and no request log line for the priming request.
 */
public final class Priming {
    private static volatile boolean active;

    private Priming() {
    }

    public static boolean active() {
        return active;
    }

    /** Runs the work as priming; one at a time. */
    public static synchronized void run(Runnable work) {
        active = true;
        try {
            work.run();
        } finally {
            active = false;
        }
    }
}
