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
                "With --apply: records where each resource found lives when its row predates places, retires "
                        + "stale records and re-converges drift, each journaled and audited. "
                        + "Orphans are never deleted by --apply: after a restore of the ledger every credential "
                        + "issued since the backup is one. --adopt re-imports them as active credentials, rebuilt "
                        + "from AWS; --delete-orphans deletes them.",
                "With --apply --settle-gone: a resource recorded before places that is found in no configured "
                        + "place (deleted by hand) is settled: once it is absent from every configured target that "
                        + "could hold it, its target's configured place is recorded as where it lived, so its stale "
                        + "record is retired (and a revoke it left unfinished is finished). Only the places "
                        + "configured now are searched: run it with the configuration the rows were written under.",
                "Exit code: 0 clean (or everything fixed), 2 differences found and not applied, 1 on an error."})
public class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--apply", description = "record the place of resources found, retire stale records and "
            + "re-converge drift (never deletes an orphan)")
    boolean apply;

    @Option(names = "--adopt", description = "re-import orphans (live managed credentials the ledger lacks, "
            + "after a restore) as active credentials, journaled and audited")
    boolean adopt;

    @Option(names = "--settle-gone", description = "with --apply: record its target's configured place for each "
            + "resource recorded before places that is absent from every configured target (the operator's "
            + "word that it lived there and was deleted by hand; only the places configured now are searched), so that it counts as gone; what cannot be proved "
            + "(a target unreachable, access denied, throttled) is left as it is and reported")
    boolean settleGone;

    @Option(names = "--delete-orphans", description = "delete orphans, journaled and audited (never after a restore: "
            + "use --adopt)")
    boolean deleteOrphans;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Output output;

    @Inject
    Reconciler reconciler;

    @Override
    public Integer call() {
        if (adopt && deleteOrphans) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--adopt and --delete-orphans exclude each other");
        }
        if (settleGone && !apply) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--settle-gone needs --apply");
        }
        Reconciler.Report report = reconciler.reconcile(apply, adopt ? Reconciler.Orphans.ADOPT
                : deleteOrphans ? Reconciler.Orphans.DELETE : Reconciler.Orphans.REPORT, settleGone);
        int exit = report.clean() ? Cli.OK : report.failed() ? Cli.ERROR
                : report.unresolved() ? Cli.DIFFERENCES : Cli.OK;
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
        long unplaced = count(report, Reconciler.Kind.UNPLACED);
        out.println(report.clean() ? "clean: the ledger and the provider agree"
                : orphans + " orphan(s), " + stale + " stale record(s), " + drift + " drift(s)"
                + (unplaced == 0 ? "" : ", " + unplaced + " resource(s) without a recorded place")
                + (report.failed() ? "; some fixes FAILED" : !report.unresolved() ? "; fixed"
                : orphans > 0 && report.findings().stream().allMatch(f -> f.action() != null
                || f.kind() == Reconciler.Kind.ORPHAN)
                ? "; orphans are left as they are: --adopt re-imports them (after a restore), --delete-orphans "
                + "deletes them" : "; run with --apply to fix stale records and drift, --adopt to re-import "
                + "orphans (after a restore) or --delete-orphans to delete them"));
    }

    private static long count(Reconciler.Report report, Reconciler.Kind kind) {
        return report.findings().stream().filter(f -> f.kind() == kind).count();
    }

    /** The JSON form of {@code reconcile}. */
    public record Json(boolean clean, boolean applied, int exitCode, java.util.List<Reconciler.Finding> findings) {
    }
}
