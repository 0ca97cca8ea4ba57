package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Runs the CLI in-process, as Main does, capturing what it prints. */
final class CliRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nout:\n" + out + "\nerr:\n" + err;
        }
    }

    private CliRunner() {
    }

    static Result run(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.execute(factory, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }
}
