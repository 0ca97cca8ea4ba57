package io.devportal.webhook.config;

import io.devportal.webhook.cli.Cli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The entry point: the service when given no arguments; otherwise one admin command of the
 * {@link Cli} (list, show, audit, reconcile, sweep, check-config), which runs with the service's
 * configuration but opens no HTTP port and logs to stderr, so that stdout holds only its output.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        if (args.length > 0) {
            System.setProperty("quarkus.http.host-enabled", "false");
            // the management interface cannot be switched off at run time: an ephemeral loopback port,
            // so that a command runs beside the service (which holds port 9000)
            System.setProperty("quarkus.management.host", "127.0.0.1");
            System.setProperty("quarkus.management.port", "0");
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("webhook.sweeper.every", "off");
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return Cli.execute(factory, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }
}
