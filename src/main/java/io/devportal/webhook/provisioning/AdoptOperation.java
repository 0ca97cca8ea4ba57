package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.model.ResourceRef;

import java.util.List;

/**
 * Adoption: records in the ledger a live credential of this webhook that the ledger lacks (a
 * restored backup, a lost row), by the resources it already has. Nothing is made in the provider,
 * so nothing is journaled: the row is a CREATE whose journal names nothing, and its undo (on the
 * request's failure path, or the sweeper's create undo of that empty journal) only rolls the
 * record back. The adopted resources are never in the journal, so no undo can delete them.
 */
final class AdoptOperation implements JournaledOperation<Void> {
    private final Operations ops;
    private final CredentialRecord pending;
    private final String apiKeyId;
    private final String clientId;
    private final List<String> scopes;
    private final List<ResourceRef> managed;

    AdoptOperation(Operations ops, CredentialRecord pending, String apiKeyId, String clientId, List<String> scopes,
                   List<ResourceRef> managed) {
        this.ops = ops;
        this.pending = pending;
        this.apiKeyId = apiKeyId;
        this.clientId = clientId;
        this.scopes = List.copyOf(scopes);
        this.managed = List.copyOf(managed);
    }

    /** What the runner starts the journal with: nothing (see the class). */
    static List<ResourceRef> journal() {
        return List.of();
    }

    @Override
    public Void act(OperationJournal journal) {
        return null;
    }

    @Override
    public void complete(Lease held, Void nothing) {
        ops.ledger().completeCreate(held, apiKeyId, clientId, scopes, managed, ops.clock().instant());
    }

    @Override
    public Recovery recovery() {
        return Recovery.UNDO;
    }

    /** Rolls the record back; the provider is not called, whatever {@code journaled} holds. */
    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        ops.ledger().rollBackCreate(lease, reason, ops.clock().instant());
    }

    @Override
    public void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
        OperationRunner.LOG.warnf("adoption of %s as credential %s failed%s: %s", managed.isEmpty() ? "?"
                : managed.get(0).id(), pending.id(), undoFailure == null ? " and was rolled back"
                : " (the sweeper rolls it back, leaving its resources as they are)", CredentialService.describe(failure));
    }
}
