package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.WebhookException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The admin CLI's {@code revoke <id> --reason TEXT}, for incident response (a key leaked in a public
 * repository): the same journaled revoke as the portal's ({@link CredentialService#revoke}), audited
 * with the operator's reason in the audit record's {@code account} field as {@code cli: <reason>}
 * (the field the portal's account label fills; 256 characters at most), so that no ledger store
 * changes. A later portal revoke of the same credential finds it revoked: a 204.
 */
@ApplicationScoped
public class IncidentRevoke {
    /** The prefix of the audit record's account for a CLI revoke; the reason follows. */
    public static final String ACCOUNT_PREFIX = "cli: ";
    static final int MAX_ACCOUNT = 256;

    @Inject
    Ledger ledger;

    @Inject
    CredentialService service;

    @Inject
    ProviderSelection providers;

    @Inject
    Caller caller;

    /** The credential as the revoke left it, and whether it was live before. */
    public record Outcome(CredentialRecord credential, boolean wasActive) {
    }

    /**
     * Resolves {@code id} (a ledger credential id, else an apiKeyId, else a clientId; else a live
     * managed credential the ledger does not know, which is adopted and retired) and revokes it.
     * Empty when nothing has that id.
     */
    public Optional<Outcome> revoke(String id, String reason) {
        Optional<CredentialRecord> known = ledger.find(id)
                .or(() -> ledger.findByExternalId(CredentialKind.API_KEY, id))
                .or(() -> ledger.findByExternalId(CredentialKind.CLIENT_CREDENTIALS, id));
        CredentialKind kind;
        String externalId;
        if (known.isPresent()) {
            kind = known.get().kind();
            externalId = kind == CredentialKind.API_KEY ? known.get().apiKeyId() : known.get().clientId();
        } else {
            CredentialProvider provider = providers.provider();
            kind = managed(provider, CredentialKind.API_KEY, id) ? CredentialKind.API_KEY
                    : managed(provider, CredentialKind.CLIENT_CREDENTIALS, id) ? CredentialKind.CLIENT_CREDENTIALS : null;
            if (kind == null) {
                return Optional.empty();
            }
            externalId = id;
        }
        boolean wasActive = known.map(r -> r.status() == CredentialRecord.Status.ACTIVE).orElse(true);
        ManagedContext requests = Arc.container().requestContext();
        boolean activated = !requests.isActive();
        if (activated) {
            requests.activate();
        }
        try {
            String account = ACCOUNT_PREFIX + reason.strip();
            caller.set(account.length() <= MAX_ACCOUNT ? account : account.substring(0, MAX_ACCOUNT), null,
                    "cli-" + Ids.uuid());
            service.revoke(new RevokeCommand(kind, externalId));
        } finally {
            if (activated) {
                requests.terminate();
            }
        }
        return ledger.findByExternalId(kind, externalId).map(r -> new Outcome(r, wasActive));
    }

    private static boolean managed(CredentialProvider provider, CredentialKind kind, String id) {
        try {
            return !provider.findManaged(kind, id).isEmpty();
        } catch (WebhookException e) {
            if (e.kind().status >= 500) {
                throw e;
            }
            return false; // not an id this kind of resource can have
        }
    }
}
