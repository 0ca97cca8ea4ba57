package io.devportal.webhook.api;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The request target check that Quarkus's HTTP root handler makes before any route ({@code new URI(uri)}):
 * it answers a target such as {@code /v1/health?x=%zz} with an empty 400 that no handler of the
 * application can reach. {@link #takeOver} switches that check off ({@code vertx.disableURIValidation},
 * which Quarkus reads once, when its HTTP recorder class initialises) so that {@link HttpEdge} makes the same
 * check first of all routes and answers in the contract's shape. It must run before Quarkus boots: the
 * entry points call it (cli.Main, the Lambda handler), and the test run sets the property in the pom.
 * If it ran too late, Quarkus's empty 400 would remain (HttpEdge's answer is never worse than that).
 */
public final class TargetValidation {
    static final String PROPERTY = "vertx.disableURIValidation";

    private TargetValidation() {
    }

    /** Before Quarkus starts: leave the target check to the application. */
    public static void takeOver() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    /** Quarkus's rule: the raw target parses as a URI (which includes every percent-escape being two hex digits). */
    static boolean valid(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
