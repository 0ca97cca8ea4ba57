package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.WebhookException;
import io.devportal.webhook.provisioning.Reconciler.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One credential of the ledger against what the provider has ({@link Reconciler}'s per-credential
 * step): its stale, drifted, unplaced and unreachable resources, and with {@code apply} what is done
 * about them (places recorded first, then a retire or a re-converge; nothing of a credential with a
 * part that cannot be seen, or whose places could not be recorded).
 */
@ApplicationScoped
class CredentialComparison {

    @Inject
    Targets targets;

    @Inject
    PlaceRecording placeRecording;

    @Inject
    ReconcileRepairs repairs;

    @Inject
    GoneSettlement settlement;

    List<Finding> compare(CredentialProvider provider, CredentialRecord record, boolean apply, boolean settle) {
        List<Finding> stale = new ArrayList<>();
        List<Finding> drift = new ArrayList<>();
        List<Finding> unplaced = new ArrayList<>();
        List<ResourceRef> placed = new ArrayList<>();
        List<Finding> unreachable = new ArrayList<>();
        boolean settled = false;
        for (ResourceRef listed : record.resources()) {
            ResourceRef ref = listed;
            Optional<ObservedResource> seen;
            try {
                seen = provider.observe(ref);
            } catch (WebhookException e) {
                if (!ref.placeRecorded() || e.kind() != WebhookException.Kind.UNAVAILABLE) {
                    throw e;
                }
                unreachable.add(new Finding(Reconciler.Kind.UNREACHABLE, record.id(), ref.type(), ref.id(), ref.name(),
                        e.getMessage(), List.of(), List.of(), null));
                continue;
            }
            if (settle && !ref.placeRecorded() && seen.isEmpty()) {
                GoneSettlement.Look look = settlement.look(provider, record.id(), ref);
                if (look.unproved()) {
                    unreachable.add(look.finding()); // nothing of this credential is applied
                    continue;
                }
                if (look.settled() != null) {
                    settled = true;
                    unplaced.add(look.finding());
                    ref = look.settled(); // from here on placed: gone, retired as any stale record
                }
                seen = look.found();
            }
            if (!ref.placeRecorded() && seen.isPresent() && seen.get().place() != null) {
                placed.add(ref.withPlace(seen.get().place()));
                unplaced.add(GoneSettlement.found(record.id(), ref, seen.get().place()));
            } else {
                placed.add(ref);
            }
            if (seen.isEmpty() || !seen.get().live()) {
                stale.add(new Finding(Reconciler.Kind.STALE, record.id(), ref.type(), ref.id(), ref.name(),
                        seen.isEmpty() ? (ref.placeRecorded() ? "gone" : "gone from its target's configured place "
                                + "(its place was never recorded: a retire answers 503)") : "disabled",
                        List.of(), List.of(), null));
                continue;
            }
            ObservedResource now = seen.get();
            boolean client = !now.scopes().isEmpty() || !Reconciler.isKey(ref);
            // a key holds the plans of the APIs of its own target (one key per target it serves)
            List<String> expected = client ? sorted(record.scopes()) : sorted(ApiAccess.usagePlansOf(
                    record.apis().stream().filter(api -> targets.targetOf(api.apiId()).equals(listed.target())).toList()));
            List<String> actual = client ? sorted(now.scopes()) : sorted(now.usagePlans());
            if (!expected.equals(actual)) {
                drift.add(new Finding(Reconciler.Kind.DRIFT, record.id(), ref.type(), ref.id(), ref.name(),
                        client ? "scopes differ" : "usage plans differ", expected, actual, null));
            }
        }
        List<Finding> found = new ArrayList<>(unreachable);
        if (!unreachable.isEmpty()) {
            // a part that cannot be seen is not gone: nothing of this credential is retired or re-converged
            return unapplied(found, stale, drift);
        }
        if (!unplaced.isEmpty() && apply) {
            // first, so that a retire or a converge below acts where each found resource lives
            String action = placeRecording.record(record, placed, settled ? AuditTrail.SETTLE : AuditTrail.RECONCILE);
            unplaced.forEach(f -> found.add(f.withAction(action)));
            if (!AuditTrail.DONE.equals(action)) { // no place recorded: a retire or converge would act blind
                return unapplied(found, stale, drift);
            }
        } else {
            found.addAll(unplaced);
        }
        if (!stale.isEmpty()) {
            if (!apply) {
                found.addAll(stale);
                return found;
            }
            String action = repairs.retire(provider, record);
            stale.forEach(f -> found.add(f.withAction(action)));
            return found;
        }
        if (!drift.isEmpty() && apply) {
            String action = repairs.converge(provider, record);
            drift.forEach(f -> found.add(f.withAction(action)));
            return found;
        }
        found.addAll(drift);
        return found;
    }

    private static List<Finding> unapplied(List<Finding> found, List<Finding> stale, List<Finding> drift) {
        found.addAll(stale);
        found.addAll(drift);
        return found;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().distinct().sorted().toList();
    }
}
