package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code reconcile --apply} on a credential whose resources were recorded before places were: under
 * the credential's lease (an UPDATE operation that changes nothing in the provider), each resource
 * the provider found gets the place it was found in, and with {@code --settle-gone} each one found
 * nowhere the place the operator says it lived ({@link GoneSettlement}). A resource changed meanwhile
 * (another id, or already placed) is left as it is. A revoke or retire that such a resource left
 * unfinished (its "not found" was no proof) gets the places in its journal instead, and is finished
 * there by the sweeper's one path ({@link #recordInJournal}).
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
    Sweeper sweeper;

    @Inject
    Clock clock;

    /**
     * @param placed    the credential's resources as listed, those found with their place
     * @param operation the audit record's: {@link AuditTrail#RECONCILE}, or {@link AuditTrail#SETTLE}
     *                  when some place is the operator's word ({@code --settle-gone})
     * @return the reconcile action: {@code done}, {@code changed} (no longer active) or an error code
     */
    String record(CredentialRecord listed, List<ResourceRef> placed, String operation) {
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
            runner.run(lease, current.resources(), new Record(current, resources, operation));
            return AuditTrail.DONE;
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        }
    }

    /**
     * A revoke or retire of the credential that was abandoned (its lease expired) because a resource
     * of its journal, recorded before places, was not found: taken over (the fence raised), its journal
     * rewritten with the places, handed back, and finished at once by the sweeper's path, which
     * deletes what is found and takes "not found" at a recorded place as gone.
     *
     * @param placed the operation's journal as read, with the places
     * @return {@code done}, {@code busy} (not abandoned, or taken by another process), {@code changed}
     * (its journal changed meanwhile) or the error code of the finish (handed back to the sweeper)
     */
    String recordInJournal(CredentialRecord record, Operation pending, List<ResourceRef> placed) {
        Optional<Lease> taken = ledger.takeOver(pending.id(), runner.leaseFor(), clock.instant());
        if (taken.isEmpty()) {
            return Reconciler.BUSY;
        }
        Lease lease = taken.get();
        try {
            // read again under the new fence: the journal the places were proved for, or nothing
            if (!ledger.findOperation(pending.id()).map(Operation::resources).equals(Optional.of(pending.resources()))) {
                return "changed";
            }
            ledger.journalResources(lease, placed, clock.instant());
            audit.done(AuditTrail.SETTLE, record, placed);
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        } finally {
            ledger.abandon(lease);
        }
        try {
            return sweeper.takeOverForRequest(pending.id()) ? AuditTrail.DONE : Reconciler.BUSY;
        } catch (RuntimeException e) {
            return AuditTrail.outcome(e);
        }
    }

    /** The UPDATE that records the places: nothing to do in the provider, so its undo closes it FAILED. */
    private final class Record implements JournaledOperation<Void> {
        private final CredentialRecord current;
        private final List<ResourceRef> resources;
        private final String operation;

        Record(CredentialRecord current, List<ResourceRef> resources, String operation) {
            this.current = current;
            this.resources = resources;
            this.operation = operation;
        }

        @Override
        public Void act(OperationJournal journal) {
            return null;
        }

        @Override
        public void complete(Lease held, Void nothing) {
            ledger.completeUpdate(held, current.appName(), current.developer(), current.apis(), current.scopes(),
                    resources, clock.instant());
            audit.done(operation, current, resources);
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
