package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.provisioning.AuditTrail;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Prints the audit trail, oldest first (the newest --limit records; --limit 0: all).")
public class AuditCommand implements Callable<Integer> {

    @Option(names = "--since", paramLabel = "WHEN",
            description = "an instant (2026-11-28T00:00:00Z) or a duration back from now (PT24H, P7D)")
    String since;

    @Option(names = "--app", description = "an app id or an app name, exactly")
    String app;

    @Option(names = "--credential", description = "a ledger credential id")
    String credential;

    @CommandLine.Mixin
    Output.Limited output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    Ledger ledger;

    @Inject
    Clock clock;

    @Override
    public Integer call() {
        Instant from = since == null ? null : parseSince(since, clock.instant());
        List<AuditRecord> records = ledger.audit(new AuditRecord.Query(from, app, credential, output.limit()));
        output.print(records, out -> records.forEach(r -> out.println(AuditTrail.line(r))));
        return Cli.OK;
    }

    private Instant parseSince(String value, Instant now) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(Duration.parse(value.toUpperCase(java.util.Locale.ROOT).startsWith("P")
                        ? value : "PT" + value));
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--since: expected an instant such as "
                        + "2026-11-28T00:00:00Z or a duration such as PT24H, P7D or 90m");
            }
        }
    }
}
