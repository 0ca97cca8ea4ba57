package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;

/**
 * Makes the {@link JournaledOperation} of each kind, and names, for a journal row the sweeper took
 * over, the undo of its kind. A journal row's kind is one of the ledger's four
 * ({@link Operation.Kind}); an adoption is journaled as a CREATE that made nothing, and reconcile's
 * converge as an UPDATE, so that an older version reading these rows (a rollback) knows every kind.
 */
@ApplicationScoped
public class Operations {

    @Inject
    Ledger ledger;

    @Inject
    Clock clock;

    @Inject
    AuditTrail audit;

    @Inject
    ProviderSelection providers;

    CreateOperation create(CredentialProvider provider, CredentialRecord pending, CredentialSpec spec) {
        return new CreateOperation(this, provider, pending, spec);
    }

    UpdateOperation update(String auditOperation, CredentialProvider provider, CredentialRecord record,
                           CredentialSpec spec) {
        return new UpdateOperation(this, auditOperation, provider, record, spec);
    }

    RevokeOperation revoke(Operation.Kind kind, CredentialProvider provider, CredentialRecord record) {
        return new RevokeOperation(this, kind, provider, record);
    }

    RetiredKeysOperation retiredKeys(CredentialProvider provider, CredentialRecord current, List<ResourceRef> retired) {
        return new RetiredKeysOperation(this, provider, current, retired);
    }

    AdoptOperation adopt(CredentialRecord pending, String apiKeyId, String clientId, List<String> scopes,
                         List<ResourceRef> managed) {
        return new AdoptOperation(this, pending, apiKeyId, clientId, scopes, managed);
    }

    RecheckOperation recheck(CredentialProvider provider, CredentialRecord record) {
        return new RecheckOperation(this, provider, record);
    }

    /**
     * The undo of the kind of {@code op} (the row as read under {@code lease}), for the sweeper: the
     * same code the request's failure path runs. A create is undone (an adoption's row names nothing
     * it made, so nothing is removed), an update restored, a revoke or retire finished.
     */
    Runnable undoOf(Operation op, Lease lease, String reason) {
        CredentialProvider provider = providers.provider();
        List<ResourceRef> journaled = op.resources();
        return switch (op.kind()) {
            case CREATE -> () -> CreateOperation.undo(this, provider, lease, journaled, reason);
            case UPDATE -> () -> UpdateOperation.undo(this, provider, lease, journaled, reason);
            case REVOKE, RETIRE -> () -> RevokeOperation.finish(this, op.kind(), provider, lease, journaled);
        };
    }

    Ledger ledger() {
        return ledger;
    }

    Clock clock() {
        return clock;
    }

    AuditTrail audit() {
        return audit;
    }
}
