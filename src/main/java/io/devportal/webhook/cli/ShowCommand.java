package io.devportal.webhook.cli;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provisioning.AuditTrail;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

@Command(name = "show", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Shows one credential: its resources, usage plans, scopes, journal and audit history.")
public class ShowCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "the ledger's credential id, an apiKeyId or a clientId")
    String id;

    @CommandLine.Mixin
    Output output;

    @Inject
    Ledger ledger;

    /** The JSON form of {@code show}. */
    public record Shown(CredentialRecord credential, List<String> usagePlans, List<String> scopes,
                        List<ResourceRef> resources, List<Operation> operations, List<AuditRecord> audit) {
    }

    @Override
    public Integer call() {
        Optional<CredentialRecord> found = ledger.find(id)
                .or(() -> ledger.findByExternalId(CredentialKind.API_KEY, id))
                .or(() -> ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, id));
        if (found.isEmpty()) {
            throw new CliException("not_found", "no credential has the id, apiKeyId or clientId " + JsonOutput.text(id));
        }
        CredentialRecord r = found.get();
        Shown shown = new Shown(r, ApiAccess.usagePlansOf(r.apis()), r.scopes(), r.resources(),
                ledger.operationsOf(r.id()), ledger.audit(new AuditRecord.Query(null, null, r.id(), 0)));
        output.print(shown, out -> text(out, r, shown));
        return Cli.OK;
    }

    private static void text(PrintWriter out, CredentialRecord r, Shown shown) {
        out.println("credential  " + JsonOutput.text(r.id()));
        out.println("status      " + r.status() + (r.revokedAt() == null ? "" : " (revoked " + r.revokedAt() + ")"));
        out.println("type        " + r.kind() + (r.hybrid() ? " with an API key (hybrid)" : ""));
        out.println("provider    " + JsonOutput.text(r.provider()));
        out.println("app         " + JsonOutput.text(r.appId()));
        out.println("app name    " + JsonOutput.text(r.appName()));
        out.println("developer   " + JsonOutput.text(r.developer()));
        out.println("apiKeyId    " + JsonOutput.text(r.apiKeyId()));
        out.println("clientId    " + JsonOutput.text(r.clientId()));
        out.println("created     " + r.createdAt());
        out.println("updated     " + r.updatedAt());
        out.println("apis        " + JsonOutput.text(String.join(" ", r.apis().stream().map(ApiAccess::apiId).toList())));
        out.println("usagePlans  " + JsonOutput.text(String.join(" ", shown.usagePlans())));
        out.println("scopes      " + JsonOutput.text(String.join(" ", r.scopes())));
        out.println("resources:");
        for (ResourceRef ref : r.resources()) {
            out.println("  " + JsonOutput.text(ref.type()) + " " + JsonOutput.text(ref.id()) + " \""
                    + JsonOutput.text(ref.name()) + "\"");
        }
        out.println("journal:");
        for (Operation op : shown.operations()) {
            out.println("  " + op.startedAt() + " " + op.kind() + " " + op.status() + " " + op.id());
        }
        out.println("audit:");
        for (AuditRecord a : shown.audit()) {
            out.println("  " + AuditTrail.line(a));
        }
    }
}
