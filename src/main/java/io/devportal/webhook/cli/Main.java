package io.devportal.webhook.cli;

import io.devportal.webhook.api.TargetValidation;
import io.devportal.webhook.config.RunMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The entry point: the service when given no arguments; otherwise one admin command of the
 * {@link Cli} (list, show, audit, reconcile, sweep, check-config), in the {@value RunMode#CLI_PROFILE}
 * profile ({@link CliOverrides}, application.properties): the service's configuration, but no listener, no portal
 * account, logs on stderr at WARN and above ({@code --verbose}: INFO), so that stdout holds only
 * the command's result. A failure to start (the H2 file held by the service...) is one line.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        TargetValidation.takeOver();
        if (args.length == 0) {
            Quarkus.run(Main.class, args);
            return;
        }
        if (HashPasswordCommand.NAME.equals(args[0])) {
            // needs no configuration, database or AWS: answered without starting the service
            System.exit(Cli.execute(CommandLine.defaultFactory(), new PrintWriter(System.out, true),
                    new PrintWriter(System.err, true), args));
        }
        String profiles = System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"));
        System.setProperty("quarkus.profile", profiles + "," + RunMode.CLI_PROFILE);
        boolean verbose = Arrays.asList(args).contains(Cli.VERBOSE);
        if (verbose) {
            System.setProperty("quarkus.log.level", "INFO");
            System.setProperty("quarkus.log.category.\"io.quarkus.runtime.Application\".level", "INFO");
        }
        Quarkus.run(Main.class, (exitCode, failure) -> {
            if (failure != null) {
                CliErrors.startupLine(failure).ifPresent(System.err::println);
            }
            System.err.flush();
            System.exit(failure == null ? exitCode : Cli.ERROR);
        }, args);
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
