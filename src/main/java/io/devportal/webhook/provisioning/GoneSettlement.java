package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code reconcile --apply --settle-gone}: the operator's word that a resource recorded before
 * places, which its target's configured place does not hold, lived there. The provider first looks
 * for it by id in every configured place that could hold it ({@link CredentialProvider#whereabouts});
 * only when it is provably absent from each is that place recorded ({@link PlaceRecording}, audited
 * {@code SETTLE}), so that "not found" there is gone and the stale credential is retired like any
 * other. Found somewhere, its place is recorded as reconcile records every resource it finds.
 * Whatever cannot be proved leaves the credential as it is, reported with the failure's error code.
 */
@ApplicationScoped
class GoneSettlement {

    @Inject
    Ledger ledger;

    @Inject
    PlaceRecording placeRecording;

    /**
     * What became of one resource: {@code found} somewhere (its place recorded as reconcile records
     * any), or {@code settled} (the resource with the place it lived in) and its finding, or only a
     * finding whose action is the error code of what proved nothing. Nothing at all: the provider
     * records no places (there "not found" is gone already).
     */
    record Look(Optional<ObservedResource> found, ResourceRef settled, Reconciler.Finding finding) {
        boolean unproved() {
            return finding != null && settled == null;
        }
    }

    /** A resource recorded before places that its target's configured place does not hold. */
    Look look(CredentialProvider provider, String credentialId, ResourceRef ref) {
        try {
            Optional<CredentialProvider.Whereabouts> where = provider.whereabouts(ref);
            if (where.isEmpty() || where.get().found() != null) {
                return new Look(where.map(CredentialProvider.Whereabouts::found), null, null);
            }
            Place lived = where.get().lived();
            return new Look(Optional.empty(), ref.withPlace(lived), finding(Reconciler.Kind.UNPLACED, credentialId, ref,
                    "recorded before places; found in no configured place: settled as gone from " + lived.describe(),
                    null));
        } catch (WebhookException e) {
            return unproved(credentialId, ref, e);
        }
    }

    /** The finding of a resource found where it lives, recorded before places. */
    static Reconciler.Finding found(String credentialId, ResourceRef ref, Place place) {
        return finding(Reconciler.Kind.UNPLACED, credentialId, ref, "recorded before places; found in "
                + place.describe(), null);
    }

    /**
     * A credential whose one operation in progress is an abandoned revoke or retire (lease expired)
     * with resources recorded before places, left unfinished because one of them was not found: each
     * such resource is looked for where it is configured, then everywhere ({@link #look}); once every
     * one is found or settled, the places go into that operation's journal and the sweeper finishes
     * it there ({@link PlaceRecording#recordInJournal}). Empty for any other (left as it is).
     */
    List<Reconciler.Finding> settlePending(CredentialProvider provider, CredentialRecord record,
                                           List<Operation> pending) {
        if (pending.size() != 1 || (pending.get(0).kind() != Operation.Kind.REVOKE
                && pending.get(0).kind() != Operation.Kind.RETIRE)
                || pending.get(0).resources().stream().allMatch(r -> r.placeRecorded() || !r.hasId())
                || ledger.lease(record.id()).filter(LeaseState::expired).isEmpty()) {
            return List.of();
        }
        Operation op = pending.get(0);
        List<Reconciler.Finding> findings = new ArrayList<>();
        List<ResourceRef> placed = new ArrayList<>();
        boolean proved = true;
        for (ResourceRef ref : op.resources()) {
            if (ref.placeRecorded() || !ref.hasId()) {
                placed.add(ref);
                continue;
            }
            Look look;
            try {
                Optional<ObservedResource> seen = provider.observe(ref);
                look = seen.isPresent() ? new Look(seen, null, null) : look(provider, record.id(), ref);
            } catch (WebhookException e) {
                look = unproved(record.id(), ref, e);
            }
            Optional<Place> at = look.found().map(ObservedResource::place);
            if (at.isPresent()) {
                placed.add(ref.withPlace(at.get()));
                findings.add(found(record.id(), ref, at.get()));
            } else if (look.settled() != null) {
                placed.add(look.settled());
                findings.add(look.finding());
            } else if (look.unproved()) {
                findings.add(look.finding());
                proved = false;
            } else {
                return List.of(); // a provider without places: nothing to settle
            }
        }
        if (!proved) {
            return findings;
        }
        String action = placeRecording.recordInJournal(record, op, placed);
        String unfinished = "; its unfinished " + op.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " is finished there";
        return findings.stream().map(f -> new Reconciler.Finding(f.kind(), f.credentialId(), f.resourceType(),
                f.resourceId(), f.resourceName(), f.detail() + unfinished, f.expected(), f.actual(), action)).toList();
    }

    private static Look unproved(String credentialId, ResourceRef ref, WebhookException e) {
        return new Look(Optional.empty(), null, finding(Reconciler.Kind.STALE, credentialId, ref,
                "gone from its target's configured place, and not settled: " + e.getMessage(), AuditTrail.outcome(e)));
    }

    private static Reconciler.Finding finding(Reconciler.Kind kind, String credentialId, ResourceRef ref, String detail,
                                              String action) {
        return new Reconciler.Finding(kind, credentialId, ref.type(), ref.id(), ref.name(), detail, List.of(),
                List.of(), action);
    }
}
