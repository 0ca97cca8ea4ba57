package io.devportal.webhook.cli;

import io.devportal.webhook.provisioning.Sweeper;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Runs the sweeper once, now: finishes operations in progress "
                + "whose lease has expired (creates undone, revokes completed, updates closed).")
public class SweepCommand implements Callable<Integer> {

    @CommandLine.Mixin
    Output output;

    @Inject
    Sweeper sweeper;

    @Override
    public Integer call() {
        int finished = sweeper.sweep();
        output.print(Map.of("finished", finished),
                out -> out.println("sweeper finished " + finished + " abandoned operation(s)"));
        return Cli.OK;
    }
}
