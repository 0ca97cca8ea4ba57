package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the ledger with what the provider really has (the admin CLI's {@code reconcile}):
 * <ul>
 *   <li><b>orphans:</b> live resources the provider manages that no active or pending credential
 *       and no operation in progress holds (a key made by hand with the managed tag, a key whose
 *       credential the ledger says is revoked);</li>
 *   <li><b>stale records:</b> active credentials with a resource that is gone (or disabled);</li>
 *   <li><b>drift:</b> an active credential whose key is on other usage plans, or whose client has
 *       other scopes, than the ledger's;</li>
 *   <li><b>unplaced:</b> a resource recorded before the ledger recorded where each resource lives,
 *       found where its target's configuration points now ({@link PlaceRecording});</li>
 *   <li><b>unreachable:</b> a resource whose recorded place the configuration no longer reaches: only
 *       reported, and nothing of its credential is applied (it is not gone).</li>
 * </ul>
 * With {@code apply}: the place of each unplaced resource found is recorded first (one not found is
 * reported as stale, and its retire answers 503 until it is found: "not found" is never "gone"
 * for it), then stale records are retired (a journaled revoke of what is left), drift
 * re-converged (a journaled update to the ledger's state). Orphans are only reported unless asked:
 * {@link Orphans#ADOPT} re-imports them as active credentials ({@link Adoption}: after a restore,
 * every credential issued since the backup is one), {@link Orphans#DELETE} deletes them. Each
 * action is audited. With {@code settleGone} too, an unplaced resource found nowhere is settled
 * ({@link GoneSettlement}): its target's configured place is recorded once it is absent from
 * every place configured now, and so is a revoke that such a resource left unfinished.
 * The provider's inventory is read before the ledger, so a create that finishes in between is
 * seen as held, never as an orphan.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** The action on a credential that another operation held past the wait: left for the next run. */
    static final String BUSY = "busy";

    public enum Kind { ORPHAN, STALE, DRIFT, UNPLACED, UNREACHABLE }

    /**
     * One difference.
     *
     * @param credentialId the ledger's credential, null for an orphan
     * @param expected     the ledger's usage plans or scopes (drift), else empty
     * @param actual       the provider's (drift), else empty
     * @param action       after {@code apply}: {@code done} or the error code of the failure; null when not applied
     */
    public record Finding(Kind kind, String credentialId, String resourceType, String resourceId, String resourceName,
                          String detail, List<String> expected, List<String> actual, String action) {
        Finding withAction(String done) {
            return new Finding(kind, credentialId, resourceType, resourceId, resourceName, detail, expected, actual,
                    done);
        }
    }

    /** What reconcile found and, when applied, did. */
    public record Report(List<Finding> findings, boolean applied) {
        public boolean clean() {
            return findings.isEmpty();
        }

        /** True when some difference was left as it was (not applied, or an orphan only reported). */
        public boolean unresolved() {
            return findings.stream().anyMatch(f -> f.action() == null);
        }

        /** True when some action was attempted and failed. */
        public boolean failed() {
            return findings.stream().anyMatch(f -> f.action() != null && !AuditTrail.DONE.equals(f.action()));
        }
    }

    @Inject
    Ledger ledger;

    @Inject
    ProviderSelection providers;

    @Inject
    OrphanActions orphanActions;

    @Inject
    CredentialComparison comparison;

    @Inject
    GoneSettlement settlement;

    /** What {@code apply} does to orphans: report them only (the default), re-import them, or delete them. */
    public enum Orphans { REPORT, ADOPT, DELETE }

    /** {@link #reconcile(boolean, Orphans)} that never touches an orphan. */
    public Report reconcile(boolean apply) {
        return reconcile(apply, Orphans.REPORT);
    }

    /**
     * @param apply   retire stale records and re-converge drift
     * @param orphans what to do with orphans; whatever {@code apply} says, only {@link Orphans#DELETE}
     *                deletes one (after a restore every credential issued since the backup is an orphan)
     */
    public Report reconcile(boolean apply, Orphans orphans) {
        return reconcile(apply, orphans, false);
    }

    /**
     * @param settleGone with {@code apply}: settle each resource recorded before places that is found
     *                   in no configured place ({@link GoneSettlement}); otherwise nothing more
     */
    public Report reconcile(boolean apply, Orphans orphans, boolean settleGone) {
        boolean settle = apply && settleGone;
        CredentialProvider provider = providers.provider();
        // the provider first, then the ledger: see the class comment
        List<ObservedResource> inventory = provider.inventory();
        List<CredentialRecord> records = ledger.list(CredentialQuery.all(0));
        List<Operation> inProgress = ledger.operationsInProgress();

        Set<String> heldIds = new HashSet<>();
        Set<String> heldNames = new HashSet<>();
        Set<String> heldOperations = new HashSet<>();
        for (CredentialRecord r : records) {
            if (r.status() == CredentialRecord.Status.ACTIVE || r.status() == CredentialRecord.Status.PENDING) {
                r.resources().stream().filter(ResourceRef::hasId).forEach(ref -> heldIds.add(ref.id()));
            }
        }
        for (Operation op : inProgress) {
            heldOperations.add(op.id());
            for (ResourceRef ref : op.resources()) {
                if (ref.hasId()) {
                    heldIds.add(ref.id());
                }
                if (ref.name() != null) {
                    heldNames.add(ref.name());
                }
            }
        }

        List<ObservedResource> unheld = new ArrayList<>();
        for (ObservedResource resource : inventory) {
            boolean held = heldIds.contains(resource.id())
                    || (resource.operationId() != null && heldOperations.contains(resource.operationId()))
                    || (resource.name() != null && heldNames.contains(resource.name()));
            if (resource.live() && !held) {
                unheld.add(resource);
            }
        }

        List<Finding> findings = new ArrayList<>();
        for (CredentialRecord listed : records) {
            // the listing may be old by now (and on DynamoDB it reads an eventually consistent index):
            // compare the credential as it is now, and leave alone one that an operation is changing
            Optional<CredentialRecord> current = listed.status() == CredentialRecord.Status.ACTIVE
                    ? ledger.find(listed.id()) : Optional.empty();
            if (current.isEmpty() || current.get().status() != CredentialRecord.Status.ACTIVE) {
                continue;
            }
            CredentialRecord record = current.get();
            List<Operation> pending = ledger.operationsOf(listed.id()).stream()
                    .filter(op -> op.status() == Operation.Status.IN_PROGRESS).toList();
            if (!pending.isEmpty()) {
                if (settle && record.provider().equals(provider.name())) {
                    // a revoke left unfinished by a resource recorded before places (its "not found")
                    findings.addAll(settlement.settlePending(provider, record, pending));
                }
                continue;
            }
            if (!record.provider().equals(provider.name())) {
                LOG.warnf("credential %s belongs to provider %s, not %s: not compared", record.id(),
                        record.provider(), provider.name());
                continue;
            }
            findings.addAll(comparison.compare(provider, record, apply, settle));
        }
        // orphans last, once stale records are retired: an adopted credential may claim an app that a
        // stale record held; clients before keys, so that a hybrid's key is adopted with its client
        unheld.sort(java.util.Comparator.comparing(r -> isKey(r.ref())));
        Set<String> adopted = new HashSet<>();
        List<Finding> orphanFindings = new ArrayList<>();
        for (ObservedResource resource : unheld) {
            boolean revoked = records.stream().anyMatch(r -> r.resources().stream()
                    .anyMatch(ref -> resource.id().equals(ref.id())));
            Finding orphan = new Finding(Kind.ORPHAN, null, resource.type(), resource.id(), resource.name(),
                    (revoked ? "live, but its credential is no longer active in the ledger" : "unknown to the ledger")
                            + (resource.target().equals(ResourceRef.DEFAULT_TARGET) ? ""
                            : " (in target " + resource.target() + ")"),
                    List.of(), List.of(), null);
            String action = switch (orphans) {
                case REPORT -> null;
                case DELETE -> orphanActions.delete(provider, resource);
                case ADOPT -> adopted.contains(resource.id()) ? AuditTrail.DONE
                        : revoked ? "revoked_in_ledger" : orphanActions.adopt(provider, resource, heldIds, adopted);
            };
            orphanFindings.add(action == null ? orphan : orphan.withAction(action));
        }
        orphanFindings.addAll(findings);
        return new Report(List.copyOf(orphanFindings), apply || orphans != Orphans.REPORT);
    }

    static boolean isKey(ResourceRef ref) {
        return ref.type().endsWith("api-key");
    }

}
