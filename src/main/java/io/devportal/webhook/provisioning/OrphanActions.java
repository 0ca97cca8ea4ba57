package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link Reconciler} does to an orphan when asked: re-import it ({@code --adopt}, through
 * {@link Adoption}) or delete it ({@code --delete-orphans}, adopted then retired). Each returns the
 * finding's action: {@code done}, or why not.
 */
@ApplicationScoped
class OrphanActions {
    private static final Logger LOG = Logger.getLogger(OrphanActions.class);

    @Inject
    Ledger ledger;

    @Inject
    AuditTrail audit;

    @Inject
    Retirement retirement;

    @Inject
    Adoption adoption;

    /** Re-imports an orphan (and a hybrid's key with its client) as an active credential. */
    String adopt(CredentialProvider provider, ObservedResource resource, Set<String> heldIds,
                               Set<String> adopted) {
        CredentialKind kind = Reconciler.isKey(resource.ref()) ? CredentialKind.API_KEY : CredentialKind.CLIENT_CREDENTIALS;
        try {
            List<ResourceRef> managed = provider.findManaged(kind, resource.id()).stream()
                    .filter(r -> r.id().equals(resource.id()) || !heldIds.contains(r.id())).toList();
            if (managed.isEmpty()) {
                return "gone";
            }
            Adoption.Result result = adoption.adopt(provider, kind, resource.id(), managed);
            if (AuditTrail.DONE.equals(result.action())) {
                managed.forEach(r -> adopted.add(r.id()));
                managed.forEach(r -> heldIds.add(r.id()));
            }
            return result.action();
        } catch (RuntimeException e) {
            LOG.errorf("reconcile could not adopt %s %s: %s", resource.type(), resource.id(),
                    CredentialService.describe(e));
            return AuditTrail.outcome(e);
        }
    }

    /**
     * Whether the credential still holds the resource: a create that just finished holds what it
     * made; a key an update took out of the credential (the key of a target it no longer uses) is
     * no longer held, though the create that made it is DONE.
     */
    private boolean holds(String credentialId, String resourceId) {
        return ledger.find(credentialId).filter(r -> r.status() == CredentialRecord.Status.ACTIVE
                        || r.status() == CredentialRecord.Status.PENDING)
                .map(r -> r.resources().stream().anyMatch(ref -> resourceId.equals(ref.id()))).orElse(false);
    }

    /**
     * Deletes a live resource the ledger does not account for, journaled like a revoke: it is first
     * adopted into the ledger (a credential row and its operations), so that a crash half-way is
     * finished by the sweeper.
     */
    String delete(CredentialProvider provider, ObservedResource resource) {
        CredentialKind kind = Reconciler.isKey(resource.ref()) ? CredentialKind.API_KEY : CredentialKind.CLIENT_CREDENTIALS;
        if (ledger.findByExternalId(kind, resource.id())
                .filter(r -> r.status() == CredentialRecord.Status.ACTIVE).isPresent()) {
            // a create that finished after the ledger was listed: not an orphan
            LOG.infof("reconcile left %s %s: its credential became active meanwhile", resource.type(), resource.id());
            return "held";
        }
        if (resource.operationId() != null && ledger.findOperation(resource.operationId())
                .filter(op -> op.status() == Operation.Status.IN_PROGRESS
                        || (op.status() == Operation.Status.DONE && holds(op.credentialId(), resource.id())))
                .isPresent()) {
            // the resource of a create in flight (or one that just finished), read strongly consistently
            LOG.infof("reconcile left %s %s: its create is in flight", resource.type(), resource.id());
            return "held";
        }
        try {
            Optional<CredentialRecord> adopted = retirement.adopt(provider, kind, resource.id(),
                    List.of(resource.ref()));
            if (adopted.isEmpty()) {
                LOG.warnf("reconcile left orphan %s %s: another request is adopting it", resource.type(),
                        resource.id());
                return WebhookException.Kind.CONFLICT.code;
            }
            if (retirement.retire(provider, adopted.get(), Operation.Kind.RETIRE).isEmpty()) {
                return WebhookException.Kind.CONFLICT.code;
            }
            audit.orphan(resource.ref(), null);
            LOG.warnf("reconcile deleted orphan %s %s (journaled as credential %s)", resource.type(), resource.id(),
                    adopted.get().id());
            return AuditTrail.DONE;
        } catch (RuntimeException e) {
            audit.orphan(resource.ref(), e);
            LOG.errorf("reconcile could not delete orphan %s %s: %s", resource.type(), resource.id(),
                    CredentialService.describe(e));
            return AuditTrail.outcome(e);
        }
    }
}
