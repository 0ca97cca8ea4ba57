package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.provisioning.IncidentRevoke;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Revokes one credential now, for incident response (a key leaked in a public repository): "
                + "the same journaled revoke as the portal's, audited with the reason (the audit record's account "
                + "is 'cli: <reason>'). A later revoke from the portal answers 204.",
                "A live credential of this webhook that the ledger does not know is recorded and deleted."})
public class RevokeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "the ledger's credential id, an apiKeyId or a clientId")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "why (recorded in the audit trail; at most 251 characters are kept)")
    String reason;

    @CommandLine.Mixin
    Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    IncidentRevoke revoke;

    /** The JSON form of {@code revoke}. */
    public record Json(String credentialId, String type, String apiKeyId, String clientId, String status,
                       boolean alreadyRevoked, String reason) {
    }

    @Override
    public Integer call() {
        if (reason.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reason: say why the credential is revoked");
        }
        IncidentRevoke.Outcome outcome = revoke.revoke(id, reason).orElseThrow(() -> new CliException("not_found",
                "no credential has the id, apiKeyId or clientId " + JsonOutput.text(id)
                        + ", and no live credential of this webhook has it"));
        CredentialRecord r = outcome.credential();
        output.print(new Json(r.id(), r.kind().name() + (r.hybrid() ? "+API_KEY" : ""), r.apiKeyId(), r.clientId(),
                r.status().name(), !outcome.wasActive(), reason), out -> out.println(
                (outcome.wasActive() ? "revoked" : "already revoked:") + " credential " + JsonOutput.text(r.id())
                        + " (" + r.kind() + (r.hybrid() ? "+API_KEY" : "") + " apiKeyId=" + JsonOutput.text(r.apiKeyId())
                        + " clientId=" + JsonOutput.text(r.clientId()) + "), status " + r.status()));
        return r.status() == CredentialRecord.Status.REVOKED ? Cli.OK : Cli.ERROR;
    }
}
