package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Lists the ledger's credentials, oldest first.")
public class ListCommand implements Callable<Integer> {

    @Option(names = "--app", description = "an app id (slug:<slug> or app:<name>\\n<e-mail>) or an app name, exactly")
    String app;

    @Option(names = "--developer", description = "the developer's e-mail (ASCII case ignored)")
    String developer;

    @Option(names = "--status", description = "PENDING, ACTIVE, REVOKED or ROLLED_BACK")
    CredentialRecord.Status status;

    @Option(names = "--type", description = "API_KEY or CLIENT_CREDENTIALS")
    CredentialKind type;

    @CommandLine.Mixin
    Output.Limited output;

    @Inject
    Ledger ledger;

    @Override
    public Integer call() {
        List<CredentialRecord> found = ledger.list(new CredentialQuery(app, developer, status, type, output.limit()));
        output.print(found, out -> table(out, found));
        return Cli.OK;
    }

    private static void table(PrintWriter out, List<CredentialRecord> found) {
        out.println("ID\tSTATUS\tTYPE\tAPI_KEY_ID\tCLIENT_ID\tAPP_NAME\tDEVELOPER\tCREATED_AT");
        for (CredentialRecord r : found) {
            out.println(String.join("\t", JsonOutput.text(r.id()), r.status().name(),
                    r.kind().name() + (r.hybrid() ? "+API_KEY" : ""), JsonOutput.text(r.apiKeyId()),
                    JsonOutput.text(r.clientId()), JsonOutput.text(r.appName()), JsonOutput.text(r.developer()),
                    r.createdAt().toString()));
        }
        out.println(found.size() + " credential(s)");
    }
}
