package io.devportal.webhook.cli;

import io.devportal.webhook.api.Accounts;
import io.devportal.webhook.config.TimingCheck;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.aws.AwsConfigCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "check-config", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Checks the AWS configuration against AWS (Region, credentials, API Gateway, the user pool, its "
                + "domain, the scopes): one line per check; exit code 1 if anything is wrong. With the local provider "
                + "nothing is checked in AWS.")
public class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Mixin
    Output output;

    @Inject
    Instance<AwsConfigCheck> check;

    @Inject
    WebhookConfig config;

    /** The JSON form of {@code check-config}. */
    public record Json(boolean ok, List<AwsConfigCheck.Finding> findings) {
    }

    @Override
    public Integer call() {
        // the local provider calls nothing in AWS: nothing to check there
        List<AwsConfigCheck.Finding> findings = new java.util.ArrayList<>();
        // the lease must outlive the deadline, the undo time and the clock-skew margin (docs/durability.md)
        java.util.Optional<String> timing = TimingCheck.problem(config);
        findings.add(new AwsConfigCheck.Finding(timing.isEmpty(), "timings", timing.orElse("webhook.lease.duration "
                + config.lease().duration() + " outlives webhook.request.deadline " + config.request().deadline()
                + " + undo-time " + config.request().undoTime() + " + 2 x attempt-timeout "
                + config.aws().attemptTimeout() + " + clock-skew " + config.lease().clockSkew())));
        // a weak bcrypt hash is a warning, not an error: the service starts with it and says the same
        Accounts.weakHashes(config).forEach(warning ->
                findings.add(new AwsConfigCheck.Finding(true, "password-hash", "WARNING " + warning)));
        findings.addAll("local".equals(config.provider().toLowerCase(Locale.ROOT))
                ? List.of(new AwsConfigCheck.Finding(true, "webhook.provider", "local (the embedded default): it "
                + "calls no AWS service, so nothing is checked in AWS; set WEBHOOK_PROVIDER=aws to issue real credentials"))
                : check.get().run());
        boolean ok = findings.stream().allMatch(AwsConfigCheck.Finding::ok);
        output.print(new Json(ok, findings), out -> {
            findings.forEach(out::println);
            out.println(ok ? "configuration OK" : "configuration has errors");
        });
        return ok ? Cli.OK : Cli.ERROR;
    }
}
