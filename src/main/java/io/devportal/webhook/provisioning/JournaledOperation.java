package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.model.ResourceRef;

import java.util.List;

/**
 * One kind of journaled operation, in one class: how it acts, how it records success, and its one
 * undo. {@link OperationRunner} calls {@link #undo} on the request's failure path; the sweeper calls
 * the same undo ({@link Operations#undoOf}) on the journal row of an operation whose holder died,
 * lost its lease or could not record its outcome. There is no other copy of any undo.
 *
 * <p>The kinds: {@link CreateOperation} (CREATE), {@link UpdateOperation} (UPDATE: the portal's update
 * and reconcile's converge; {@link RetiredKeysOperation}, the deletion of the keys an update took out,
 * is an UPDATE with the same undo), {@link RevokeOperation} (REVOKE and RETIRE), {@link AdoptOperation}
 * (journaled as a CREATE that made nothing) and {@link RecheckOperation} (a RETIRE that decides
 * first).</p>
 */
interface JournaledOperation<T> {

    /** What {@link #undo} does. */
    enum Recovery {
        /** Puts back the state before the operation; the request's failure path runs it at once. */
        UNDO,
        /**
         * Finishes the operation forward (a revoke has no way back: a half-revoked credential must not
         * stay live). The request's failure path hands it to the sweeper at once, which runs it.
         */
        FORWARD
    }

    /** The provider's work under the deadline; it journals what it makes through {@code journal}. */
    T act(OperationJournal journal);

    /** Records success in the ledger under the lease (a fenced transition). */
    void complete(Lease lease, T result);

    Recovery recovery();

    /**
     * The one undo of this kind: from the journal ({@code journaled}: what the operation made and
     * the state before what it changed), puts things back (or, {@link Recovery#FORWARD}, finishes
     * them), then records it in the ledger under {@code lease} (fenced). May be repeated.
     */
    void undo(Lease lease, List<ResourceRef> journaled, String reason);

    /**
     * The lease was lost while acting (another process took the operation over, from the journal it
     * read then): removes, without a ledger write, what this request made itself and the new
     * holder's journal may lack: a create's resources, an update's keys in targets the app had not
     * used. Nothing is put back (an update must not restore: it could undo a later operation's change).
     */
    default void removeOwnAfterLoss(List<ResourceRef> journaled) {
    }

    /**
     * Reports (audit, log) the request's failure once its recovery is known: {@code undoFailure} is
     * null when {@link #undo} succeeded, or when it was handed to the sweeper ({@link Recovery#FORWARD}).
     */
    default void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
    }
}
