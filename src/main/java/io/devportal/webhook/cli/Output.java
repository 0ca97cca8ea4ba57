package io.devportal.webhook.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The output options every command mixes in ({@code @Mixin Output output}): {@code --json}, the
 * writer (stdout: only the command's result goes there) and the choice between JSON and text.
 * {@link Limited} adds {@code --limit} for the commands that list.
 */
public class Output {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Where the result goes. */
    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    boolean json() {
        return json;
    }

    /** Prints {@code value} as one JSON document with {@code --json}, else what {@code text} writes. */
    void print(Object value, Consumer<PrintWriter> text) {
        if (json) {
            JsonOutput.print(out(), value);
        } else {
            text.accept(out());
        }
    }

    /** {@link Output} with {@code --limit}, for the commands that list. */
    public static class Limited extends Output {
        @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
                description = "at most this many (default ${DEFAULT-VALUE}; 0: all)")
        int limit;

        int limit() {
            return limit;
        }
    }
}
