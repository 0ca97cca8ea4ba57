package io.devportal.webhook.support;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * What the emulators the tests start as child processes (moto, ministack) have in common: a free
 * port, a launcher installed by src/test/scripts/ensure-test-tools.sh, a process whose output goes
 * to a log file and that is stopped when the JVM exits, and a wait until an HTTP URL answers.
 */
final class ChildServer {
    private ChildServer() {
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The executable named by a system property that Maven sets, or why the tests cannot run. */
    static String installed(String property, String name) {
        String path = System.getProperty(property);
        if (path == null || !new File(path).canExecute()) {
            throw new IllegalStateException(name + " is not installed at " + path
                    + ": run the tests through Maven (./mvnw verify), which installs it");
        }
        return path;
    }

    /** Starts the process with its output (and errors) in the log; destroyed when the JVM exits. */
    static Process start(ProcessBuilder builder, Path log) throws IOException {
        Process started = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        return started;
    }

    /**
     * Polls the URL every 200 ms until its status is {@code up}, the process exits or the timeout
     * passes; whether it came up.
     *
     * @param readTimeoutMillis how long one answer may take; 0 waits for ever
     */
    static boolean awaitHttp(Process process, String url, Duration timeout, int readTimeoutMillis, IntPredicate up) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(readTimeoutMillis);
                if (up.test(c.getResponseCode())) {
                    return true;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return false;
    }
}
