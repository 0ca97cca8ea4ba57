package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code reconcile --apply} on a credential whose resources were recorded before places were: under
 * the credential's lease (an UPDATE operation that changes nothing in the provider), each resource
 * the provider found gets the place it was found in. A resource changed meanwhile (another id, or
 * already placed) is left as it is.
 */
@ApplicationScoped
class PlaceRecording {

    @Inject
    Ledger ledger;

    @Inject
    OperationRunner runner;

    @Inject
    ReconcileRepairs repairs;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /**
     * @param placed the credential's resources as listed, those found with their place
     * @return the reconcile action: {@code done}, {@code changed} (no longer active) or an error code
     */
    String record(CredentialRecord listed, List<ResourceRef> placed) {
        ReconcileRepairs.Begun begun = repairs.beginUpdate(listed);
        if (begun.refused() != null) {
            return begun.refused();
        }
        Lease lease = begun.lease();
        CredentialRecord current = ledger.find(listed.id()).orElseThrow();
        List<ResourceRef> resources = new ArrayList<>();
        for (ResourceRef ref : current.resources()) {
            resources.add(ref.placeRecorded() ? ref : placed.stream()
                    .filter(p -> p.placeRecorded() && same(p, ref)).findFirst().orElse(ref));
        }
        try {
            runner.run(lease, current.resources(), new Record(current, resources));
            return AuditTrail.DONE;
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        }
    }

    /** The UPDATE that records the places: nothing to do in the provider, so its undo closes it FAILED. */
    private final class Record implements JournaledOperation<Void> {
        private final CredentialRecord current;
        private final List<ResourceRef> resources;

        Record(CredentialRecord current, List<ResourceRef> resources) {
            this.current = current;
            this.resources = resources;
        }

        @Override
        public Void act(OperationJournal journal) {
            return null;
        }

        @Override
        public void complete(Lease held, Void nothing) {
            ledger.completeUpdate(held, current.appName(), current.developer(), current.apis(), current.scopes(),
                    resources, clock.instant());
            audit.done(AuditTrail.RECONCILE, current, resources);
        }

        @Override
        public Recovery recovery() {
            return Recovery.UNDO;
        }

        @Override
        public void undo(Lease held, List<ResourceRef> journaled, String reason) {
            // the sweeper's undo of an UPDATE row is UpdateOperation's: a restore that finds nothing to put back
            ledger.failOperation(held, reason, clock.instant());
        }
    }

    private static boolean same(ResourceRef a, ResourceRef b) {
        return a.type().equals(b.type()) && Objects.equals(a.id(), b.id()) && a.target().equals(b.target())
                && Objects.equals(a.operationId(), b.operationId());
    }
}
