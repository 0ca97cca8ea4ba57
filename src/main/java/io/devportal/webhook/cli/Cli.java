package io.devportal.webhook.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The admin CLI: {@code java -jar quarkus-run.jar <command>}, with the service's configuration.
 * Stdout carries only the command's result (text, or JSON with {@code --json}); logs go to stderr,
 * WARN and above unless {@code --verbose}; every failure is one line {@code error: <code>: <message>}
 * ({@link CliErrors}). Exit codes: {@link #OK}, {@link #ERROR}, {@link #DIFFERENCES}.
 */
@Command(name = "java -jar quarkus-run.jar", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        exitCodeOnExecutionException = 1, versionProvider = Cli.Version.class,
        description = "Runs the webhook service when given no command; otherwise one admin command, "
                + "with the service's configuration (database, provider, AWS).",
        subcommands = {ListCommand.class, ShowCommand.class, AuditCommand.class, ReconcileCommand.class, RevokeCommand.class,
                BackupCommand.class,
                SweepCommand.class, CheckConfigCommand.class, HashPasswordCommand.class},
        footer = {"", "Exit codes: 0 ok (reconcile: clean, or every difference fixed), 1 error "
                + "(printed as 'error: <code>: <message>'), 2 reconcile found differences and did not fix them."})
public class Cli implements Runnable {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int DIFFERENCES = 2;

    /** Read by Main before Quarkus starts (it sets the log level); declared here for --help and parsing. */
    public static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "log INFO and above on stderr (default: WARN and above), with stack traces")
    boolean verbose;

    /** {@code --version}: the application's version, the pom's (quarkus.application.version). */
    public static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{name()};
        }

        /** "devportal-webhook 1.2.3", as the service's start-up line says it. */
        public static String name() {
            var config = ConfigProvider.getConfig();
            return config.getOptionalValue("quarkus.application.name", String.class).orElse("devportal-webhook") + " "
                    + config.getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
        }
    }

    /** Runs one command line; output and errors go to the given writers. */
    public static int execute(CommandLine.IFactory factory, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(Cli.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, arguments) -> {
                    CommandLine command = e.getCommandLine();
                    command.getErr().println("error: usage: " + e.getMessage() + " (see '"
                            + command.getCommandSpec().qualifiedName() + " --help')");
                    return ERROR;
                })
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println(CliErrors.line(e));
                    if (verbose(parsed)) {
                        e.printStackTrace(command.getErr());
                    }
                    return ERROR;
                });
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new Version()));
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** No command: the usage, which lists every command. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
