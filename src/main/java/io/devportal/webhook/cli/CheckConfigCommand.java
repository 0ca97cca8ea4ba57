package io.devportal.webhook.cli;

import io.devportal.webhook.provider.aws.AwsConfigCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check-config", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Checks the AWS configuration against AWS: one line per check; exit code 1 if anything is wrong.")
public class CheckConfigCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    Instance<AwsConfigCheck> check;

    /** The JSON form of {@code check-config}. */
    public record Json(boolean ok, List<AwsConfigCheck.Finding> findings) {
    }

    @Override
    public Integer call() {
        List<AwsConfigCheck.Finding> findings = check.get().run();
        boolean ok = findings.stream().allMatch(AwsConfigCheck.Finding::ok);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, new Json(ok, findings));
        } else {
            findings.forEach(out::println);
            out.println(ok ? "configuration OK" : "configuration has errors");
        }
        return ok ? Cli.OK : Cli.ERROR;
    }
}
