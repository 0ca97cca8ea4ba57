package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Ids;
import java.time.Duration;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The orchestration of create, update and revoke: write the intent to the journal, let the
 * provider act, record the outcome, and undo a half-done create at once.
 */
@ApplicationScoped
public class CredentialService {
    private static final Logger LOG = Logger.getLogger(CredentialService.class);

    @Inject
    Ledger ledger;

    @Inject
    ProviderSelection providers;

    @Inject
    CredentialTypeResolver resolver;

    @Inject
    UsagePlanQuota usagePlanQuota;

    @Inject
    Clock clock;

    @Inject
    AuditTrail audit;

    /**
     * Issues the app's credential, or returns the one it already has (the portal retrying after a
     * timeout). A create racing another for the same app gets CONFLICT.
     */
    public IssuedCredential create(CreateCommand command) {
        CredentialProvider provider = providers.provider();
        String appId = command.appId();
        CredentialTypeResolver.Decision decision;
        List<ApiAccess> apis;
        CredentialRecord pending;
        Optional<String> operationId;
        try {
            decision = resolver.decide(command.apis());
            usagePlanQuota.check(decision.kind() == CredentialKind.API_KEY || decision.withApiKey(), command.apis());
            apis = resolver.access(command.apis());
            Optional<IssuedCredential> existing = existing(appId, provider);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = clock.instant();
            pending = new CredentialRecord(Ids.uuid(), decision.kind(),
                    decision.withApiKey(), provider.name(), appId, command.appName(), command.developer(), null, null,
                    apis, List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
            operationId = ledger.beginCreate(pending, now);
            if (operationId.isEmpty()) {
                return existing(appId, provider).orElseThrow(CredentialService::inProgress);
            }
        } catch (RuntimeException refused) {
            audit.refused(command, refused);
            throw refused;
        }
        OperationJournal journal = new OperationJournal(ledger, clock, operationId.get(), List.of());
        CredentialSpec spec = new CredentialSpec(decision.kind(), decision.withApiKey(), appId, command.appName(),
                command.developer(), apis, operationId.get());
        try {
            IssuedCredential issued = provider.issue(spec, journal);
            ledger.completeCreate(operationId.get(), pending.id(), issued.apiKeyId(), issued.clientId(),
                    issued.scopes(), issued.resources(), clock.instant());
            audit.issued(pending, issued);
            LOG.infof("issued %s credential %s (ledger id %s)", issued.kind(), issued.externalId(), pending.id());
            return issued;
        } catch (RuntimeException failure) {
            audit.failed(AuditTrail.CREATE, pending, journal.resources(), failure);
            rollBack(provider, journal, pending, failure);
            throw failure;
        }
    }

    /** Converges the credential to the app's desired APIs, usage plans and name. */
    public void update(UpdateCommand command) {
        CredentialProvider provider = providers.provider();
        CredentialRecord record = ledger.findByExternalId(command.kind(), command.externalId())
                .filter(r -> r.status() == CredentialRecord.Status.ACTIVE)
                .orElseThrow(() -> audit.unknown(AuditTrail.UPDATE, command.kind(), command.externalId(),
                        new WebhookException(WebhookException.Kind.NOT_FOUND,
                        idField(command.kind()) + ": no active credential " + command.externalId())));
        usagePlanQuota.check(record.kind() == CredentialKind.API_KEY || record.hybrid(), command.apis());
        String appName = command.appName() != null ? command.appName() : record.appName();
        String developer = command.developer() != null ? command.developer() : record.developer();
        List<ApiAccess> apis = command.apis() != null ? resolver.access(command.apis()) : record.apis();
        String operationId = ledger.beginOperation(Operation.Kind.UPDATE, record.id(), record.resources(),
                clock.instant());
        OperationJournal journal = new OperationJournal(ledger, clock, operationId, record.resources());
        CredentialSpec spec = new CredentialSpec(record.kind(), record.hybrid(), record.appId(), appName, developer,
                apis, operationId);
        try {
            Convergence result = provider.converge(record.resources(), spec, journal);
            ledger.completeUpdate(operationId, record.id(), appName, developer, apis, result.scopes(),
                    result.resources(), clock.instant());
            audit.done(AuditTrail.UPDATE, record, result.resources());
        } catch (RuntimeException failure) {
            try {
                provider.restore(journal.resources());
            } catch (RuntimeException undoFailure) {
                // the journal row stays in progress: the sweeper restores the previous state
                LOG.errorf("update of credential %s failed and restoring its previous state failed too; the "
                        + "sweeper will retry: %s", record.id(), describe(undoFailure));
                audit.failed(AuditTrail.UPDATE, record, failure);
                throw failure;
            }
            ledger.failOperation(operationId, describe(failure), clock.instant());
            audit.failed(AuditTrail.UPDATE, record, failure);
            throw failure;
        }
    }

    /** Revokes for good. Unknown or already revoked credentials are done already. */
    public void revoke(RevokeCommand command) {
        CredentialProvider provider = providers.provider();
        Optional<CredentialRecord> found = ledger.findByExternalId(command.kind(), command.externalId());
        if (found.isEmpty()) {
            revokeUnknown(provider, command);
            return;
        }
        if (found.get().status() != CredentialRecord.Status.ACTIVE) {
            LOG.infof("revoke of %s %s: already revoked, nothing to do", command.kind(), command.externalId());
            audit.nothingToRevoke(command.kind(), command.externalId(), found.get());
            return;
        }
        retire(provider, found.get());
        audit.done(AuditTrail.REVOKE, found.get());
        LOG.infof("revoked %s credential %s", found.get().kind(), command.externalId());
    }

    /**
     * A revoke of an id the ledger does not know (a restored backup, a lost row) must not leave a
     * live credential behind. The provider says whether it exists and was made by this webhook; if
     * so it is adopted into the ledger (a credential row with its CREATE operation, so the journal
     * shows it) and revoked like any other, journaled before it is deleted. A credential the webhook
     * did not make is never touched.
     */
    private void revokeUnknown(CredentialProvider provider, RevokeCommand command) {
        Optional<ResourceRef> managed = provider.findManaged(command.kind(), command.externalId());
        if (managed.isEmpty()) {
            LOG.infof("revoke of %s %s: unknown to the ledger and not a live credential of this webhook, nothing to do",
                    command.kind(), command.externalId());
            audit.nothingToRevoke(command.kind(), command.externalId(), null);
            return;
        }
        String externalId = command.externalId();
        CredentialRecord record = adopt(provider, command.kind(), externalId, managed.get())
                .orElseThrow(() -> {
                    // another revoke of the same id is deleting it right now: a 204 here could precede
                    // that deletion, so the portal is asked to retry and then finds it revoked
                    LOG.infof("revoke of %s %s: another revoke is adopting it", command.kind(), externalId);
                    return new WebhookException(WebhookException.Kind.CONFLICT, idField(command.kind())
                            + ": this credential is being revoked by another request; retry in a few seconds",
                            Duration.ofSeconds(2), null);
                });
        LOG.warnf("revoke of %s %s: unknown to the ledger but a live credential of this webhook; recorded as "
                + "credential %s and deleted", command.kind(), externalId, record.id());
        retire(provider, record, false);
        audit.done(AuditTrail.REVOKE, record);
        LOG.infof("revoked %s credential %s", command.kind(), externalId);
    }

    /**
     * Records in the ledger a live credential of this webhook that the ledger does not know (a
     * credential row with its CREATE operation, so that the journal shows it), ready to be retired.
     * Empty when another request is adopting the same credential right now.
     */
    Optional<CredentialRecord> adopt(CredentialProvider provider, CredentialKind kind, String externalId,
                                     ResourceRef managed) {
        Instant now = clock.instant();
        boolean key = kind == CredentialKind.API_KEY;
        CredentialRecord adopted = new CredentialRecord(Ids.uuid(), kind, false,
                provider.name(), "unknown-to-ledger:" + kind + ":" + externalId,
                "(unknown to the ledger)", "(unknown to the ledger)", null, null, List.of(), List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        Optional<String> operationId = ledger.beginCreate(adopted, now);
        if (operationId.isEmpty()) {
            return Optional.empty();
        }
        ledger.completeCreate(operationId.get(), adopted.id(), key ? externalId : null, key ? null : externalId,
                List.of(), List.of(managed), clock.instant());
        return ledger.find(adopted.id());
    }

    public ProviderHealth health() {
        return providers.provider().health();
    }

    private Optional<IssuedCredential> existing(String appId, CredentialProvider provider) {
        Optional<CredentialRecord> live = ledger.findLive(appId);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        CredentialRecord record = live.get();
        if (record.status() == CredentialRecord.Status.PENDING) {
            throw inProgress();
        }
        try {
            IssuedCredential again = provider.fetch(record.kind(), record.resources());
            audit.idempotent(record);
            return Optional.of(again);
        } catch (WebhookException e) {
            if (e.kind() != WebhookException.Kind.NOT_FOUND) {
                throw e;
            }
            // Deleted outside the webhook: retire the ledger's entry so that a new credential is issued.
            LOG.warnf("credential %s of the app no longer exists (%s); it is retired and a new one issued",
                    record.id(), e.getMessage());
            retire(provider, record);
            audit.done(AuditTrail.RETIRE, record);
            return Optional.empty();
        }
    }

    /** Revokes what is left of a credential, journaled like any revoke. */
    private void retire(CredentialProvider provider, CredentialRecord record) {
        retire(provider, record, false);
    }

    /**
     * Revokes what is left of a credential, journaled like any revoke: as configured (a key may be
     * disabled), or deleted outright ({@code delete}, for what the webhook no longer accounts for).
     */
    void retire(CredentialProvider provider, CredentialRecord record, boolean delete) {
        String operationId = ledger.beginOperation(Operation.Kind.REVOKE, record.id(), record.resources(),
                clock.instant());
        try {
            if (delete) {
                provider.teardown(record.resources());
            } else {
                provider.revoke(record.resources());
            }
            ledger.completeRevoke(operationId, record.id(), clock.instant());
        } catch (RuntimeException failure) {
            // the journal row stays in progress: a revoke that failed half-way (a hybrid's client gone,
            // its key not) must not leave a live credential behind, so the sweeper completes it
            LOG.errorf("revoke of credential %s failed; the sweeper will complete it: %s", record.id(),
                    describe(failure));
            audit.failed(AuditTrail.REVOKE, record, failure);
            throw failure;
        }
    }

    private static WebhookException inProgress() {
        return new WebhookException(WebhookException.Kind.CONFLICT,
                "appName: the credential of this app is being created by another request; retry in a few seconds",
                Duration.ofSeconds(2), null);
    }

    /**
     * Undoes a half-done create at once. If the undo itself fails the journal row stays in
     * progress, and the sweeper finishes it later.
     */
    private void rollBack(CredentialProvider provider, OperationJournal journal, CredentialRecord pending,
                          RuntimeException failure) {
        String credentialId = pending.id();
        try {
            provider.teardown(journal.resources());
            ledger.rollBackCreate(journal.operationId(), credentialId, describe(failure), clock.instant());
            audit.done(AuditTrail.ROLLBACK, pending, journal.resources());
            LOG.warnf("create of credential %s failed and was rolled back: %s", credentialId, describe(failure));
        } catch (RuntimeException undoFailure) {
            audit.failed(AuditTrail.ROLLBACK, pending, journal.resources(), undoFailure);
            LOG.errorf("create of credential %s failed and its rollback failed too; the sweeper will retry: %s",
                    credentialId, describe(undoFailure));
        }
    }

    static String idField(CredentialKind kind) {
        return kind == CredentialKind.API_KEY ? "apiKeyId" : "clientId";
    }

    /** A log- and ledger-safe description: the exception's kind and message, which never hold secrets. */
    static String describe(Throwable failure) {
        if (failure instanceof WebhookException w) {
            return w.kind() + ": " + w.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
