package io.devportal.webhook.cli;

import io.devportal.webhook.provisioning.Reconciler;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "reconcile", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Compares the ledger with the provider (AWS) and reports orphans (live managed keys and "
                + "clients no active credential holds), stale records (active credentials whose resource is gone) "
                + "and drift (usage plans or scopes that differ from the ledger's).",
                "With --apply: deletes orphans, retires stale records and re-converges drift, each journaled "
                        + "and audited.",
                "Exit code: 0 clean (or everything fixed), 2 differences found and not applied, 1 on an error."})
public class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--apply", description = "fix what is found")
    boolean apply;

    @CommandLine.Mixin
    Output output;

    @Inject
    Reconciler reconciler;

    @Override
    public Integer call() {
        Reconciler.Report report = reconciler.reconcile(apply);
        int exit = report.clean() ? Cli.OK : report.failed() ? Cli.ERROR : apply ? Cli.OK : Cli.DIFFERENCES;
        output.print(new Json(report.clean(), report.applied(), exit, report.findings()), out -> text(out, report));
        return exit;
    }

    private void text(PrintWriter out, Reconciler.Report report) {
        for (Reconciler.Finding f : report.findings()) {
            out.println(f.kind() + "\t" + JsonOutput.text(f.resourceType()) + "\t" + JsonOutput.text(f.resourceId())
                    + "\tcredential=" + JsonOutput.text(f.credentialId()) + "\tname=\"" + JsonOutput.text(f.resourceName())
                    + "\"\t" + JsonOutput.text(f.detail())
                    + (f.kind() == Reconciler.Kind.DRIFT ? "\tledger=" + JsonOutput.text(String.join(",", f.expected()))
                    + "\tactual=" + JsonOutput.text(String.join(",", f.actual())) : "")
                    + (f.action() == null ? "" : "\t-> " + JsonOutput.text(f.action())));
        }
        long orphans = count(report, Reconciler.Kind.ORPHAN);
        long stale = count(report, Reconciler.Kind.STALE);
        long drift = count(report, Reconciler.Kind.DRIFT);
        out.println(report.clean() ? "clean: the ledger and the provider agree"
                : orphans + " orphan(s), " + stale + " stale record(s), " + drift + " drift(s)"
                + (!apply ? "; run with --apply to fix them" : report.failed() ? "; some fixes FAILED" : "; fixed"));
    }

    private static long count(Reconciler.Report report, Reconciler.Kind kind) {
        return report.findings().stream().filter(f -> f.kind() == kind).count();
    }

    /** The JSON form of {@code reconcile}. */
    public record Json(boolean clean, boolean applied, int exitCode, java.util.List<Reconciler.Finding> findings) {
    }
}
