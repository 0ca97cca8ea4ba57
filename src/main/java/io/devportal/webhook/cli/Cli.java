package io.devportal.webhook.cli;

import io.devportal.webhook.provider.WebhookException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The admin CLI: {@code java -jar quarkus-run.jar <command>}, with the service's configuration.
 * Every command takes {@code --json}; {@code --help} lists them all. Exit codes: 0 when all is
 * well, 1 on an error (a bad option included), 2 when {@code reconcile} found differences it did
 * not fix.
 */
@Command(name = "java -jar quarkus-run.jar", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        exitCodeOnExecutionException = 1, version = "devportal-webhook admin CLI",
        description = "Runs the webhook service when given no command; otherwise one admin command, "
                + "with the service's configuration (database, provider, AWS).",
        subcommands = {ListCommand.class, ShowCommand.class, AuditCommand.class, ReconcileCommand.class,
                SweepCommand.class, CheckConfigCommand.class},
        footer = {"", "Exit codes: 0 ok (reconcile: clean, or every difference fixed), 1 error, "
                + "2 reconcile found differences and did not fix them."})
public class Cli implements Runnable {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int DIFFERENCES = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs one command line; output and errors go to the given writers. */
    public static int execute(CommandLine.IFactory factory, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(Cli.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("error: " + describe(e));
                    command.getErr().flush();
                    return ERROR;
                });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** No command: the usage, which lists every command. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What went wrong, as safe to show as the service's own log lines (messages never hold secrets). */
    static String describe(Throwable e) {
        if (e instanceof WebhookException w) {
            return w.kind().code + ": " + w.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
