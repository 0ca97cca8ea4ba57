package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.Removal;

import java.util.List;

/**
 * The deletion of the keys a confirmed update took out of the credential (its keys of targets the app
 * left, in no usage plan since): an UPDATE of its own, under the credential's lease, so that it can
 * never delete a key the credential lists again. A later update may have taken such a key back (a
 * "leftover" of that target, {@code KeyTargets}) between the first update's confirmation and this
 * operation's lease: the keys are checked against the credential as it is under the lease, and only
 * those it does not list are deleted.
 *
 * <p>Write-ahead: the keys to delete are journaled before the first delete (as the credential's keys
 * they were, not as this operation's own). The undo is that of the UPDATE kind ({@link
 * UpdateOperation#undo}), on the request's failure path and in the sweeper alike: there is nothing to
 * put back (a deleted key was in no plan and is listed nowhere), so it closes the row FAILED, and a key
 * whose delete failed stays as it was, in no usage plan: an update that takes its target back reuses it,
 * and {@code reconcile --delete-orphans} removes it. A refused delete therefore never holds up the
 * credential's next operation. Nothing else is changed.</p>
 */
final class RetiredKeysOperation implements JournaledOperation<Void> {
    private final Operations ops;
    private final CredentialProvider provider;
    private final CredentialRecord current;
    private final List<ResourceRef> retired;

    /**
     * @param current the credential as read under this operation's lease
     * @param retired the keys the update took out of it
     */
    RetiredKeysOperation(Operations ops, CredentialProvider provider, CredentialRecord current,
                         List<ResourceRef> retired) {
        this.ops = ops;
        this.provider = provider;
        this.current = current;
        this.retired = retired;
    }

    @Override
    public Void act(OperationJournal journal) {
        List<ResourceRef> unlisted = unlisted(retired, current.resources());
        if (unlisted.size() < retired.size()) {
            OperationRunner.LOG.infof("credential %s lists %d of the API keys an update took out of it again (a "
                    + "later update took them back); they are kept", current.id(), retired.size() - unlisted.size());
        }
        if (!unlisted.isEmpty()) {
            journal.add(unlisted);
            provider.remove(unlisted, Removal.DELETE);
        }
        return null;
    }

    /** The retired keys the credential does not list (again): the only ones ever deleted. */
    static List<ResourceRef> unlisted(List<ResourceRef> retired, List<ResourceRef> listed) {
        return retired.stream().filter(key -> listed.stream().noneMatch(held -> key.id().equals(held.id()))).toList();
    }

    @Override
    public void complete(Lease lease, Void nothing) {
        // the credential as it was under the lease: only the keys it no longer held are gone
        ops.ledger().completeUpdate(lease, current.appName(), current.developer(), current.apis(), current.scopes(),
                current.resources(), ops.clock().instant());
    }

    @Override
    public Recovery recovery() {
        return Recovery.UNDO;
    }

    @Override
    public void undo(Lease lease, List<ResourceRef> journaled, String reason) {
        UpdateOperation.undo(ops, provider, lease, journaled, reason);
    }

    @Override
    public void report(RuntimeException failure, List<ResourceRef> journaled, RuntimeException undoFailure) {
        OperationRunner.LOG.warnf("credential %s: deleting the API keys of targets it no longer uses failed; a key left "
                + "is in no usage plan (reconcile --delete-orphans removes it): %s", current.id(),
                CredentialService.describe(failure));
    }
}
