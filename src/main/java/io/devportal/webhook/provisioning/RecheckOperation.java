package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.WebhookException;

import java.util.List;
import java.util.Optional;

/**
 * The retirement of an app's credential that could not be fetched ("not found"), as a RETIRE under
 * its lease that looks again first: still there (the first look raced something), the operation
 * closes FAILED and the credential is returned; gone, the rest of it is deleted and it is revoked,
 * so that a new one is issued. When the second look itself fails (AWS busy, throttled), nothing is
 * decided and nothing was deleted: the undo closes the operation FAILED and the credential stays.
 * Once it is found gone and its deletion has begun, it recovers forward like every RETIRE: the sweeper
 * finishes it ({@link RevokeOperation#finish}), on the request's failure path as for a row it takes over.
 * Its journal row begins empty and names the credential's resources only once they were found gone,
 * so the decision is durable, not only in this process: a row left undecided (a failed completion,
 * a crash) names nothing, and its undo in the sweeper closes it FAILED.
 */
final class RecheckOperation implements JournaledOperation<Optional<IssuedCredential>> {
    private final Operations ops;
    private final CredentialProvider provider;
    private final CredentialRecord current;
    private volatile boolean decided;

    RecheckOperation(Operations ops, CredentialProvider provider, CredentialRecord current) {
        this.ops = ops;
        this.provider = provider;
        this.current = current;
    }

    @Override
    public Optional<IssuedCredential> act(OperationJournal journal) {
        try {
            return Optional.of(provider.fetch(current.kind(), current.resources()));
        } catch (WebhookException e) {
            if (e.kind() != WebhookException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        OperationRunner.LOG.warnf("credential %s of the app no longer exists; it is retired and a new one issued",
                current.id());
        decided = true;
        // the decision is journaled before anything is deleted: a RETIRE row that names no resource
        // was never decided, and the sweeper closes it FAILED instead of deleting a live credential
        current.resources().forEach(journal::intend);
        provider.remove(current.resources(), Removal.DELETE);
        return Optional.empty();
    }

    @Override
    public void complete(Lease held, Optional<IssuedCredential> found) {
        if (found.isPresent()) {
            ops.ledger().failOperation(held, "not retired: the credential exists", ops.clock().instant());
        } else {
            ops.ledger().completeRevoke(held, ops.clock().instant());
        }
    }

    @Override
    public Recovery recovery() {
        // once found gone and being deleted, it is a retire like any other: finished forward
        return decided ? Recovery.FORWARD : Recovery.UNDO;
    }

    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        if (decided) {
            RevokeOperation.finish(ops, Operation.Kind.RETIRE, provider, lease, journaled);
        } else {
            ops.ledger().failOperation(lease, reason, ops.clock().instant());
        }
    }
}
