package io.devportal.webhook.provisioning;

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
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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

    /**
     * Issues the app's credential, or returns the one it already has (the portal retrying after a
     * timeout). A create racing another for the same app gets CONFLICT.
     */
    public IssuedCredential create(CreateCommand command) {
        CredentialProvider provider = providers.provider();
        String appId = command.appId();
        CredentialTypeResolver.Decision decision = resolver.decide(command.apis());
        usagePlanQuota.check(decision.kind() == CredentialKind.API_KEY || decision.withApiKey(), command.apis());
        List<ApiAccess> apis = resolver.access(command.apis());

        Optional<IssuedCredential> existing = existing(appId, provider);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = clock.instant();
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), decision.kind(),
                decision.withApiKey(), provider.name(), appId, command.appName(), command.developer(), null, null,
                apis, List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
        Optional<String> operationId = ledger.beginCreate(pending, now);
        if (operationId.isEmpty()) {
            return existing(appId, provider).orElseThrow(CredentialService::inProgress);
        }
        OperationJournal journal = new OperationJournal(ledger, clock, operationId.get(), List.of());
        CredentialSpec spec = new CredentialSpec(decision.kind(), decision.withApiKey(), appId, command.appName(),
                command.developer(), apis, operationId.get());
        try {
            IssuedCredential issued = provider.issue(spec, journal);
            ledger.completeCreate(operationId.get(), pending.id(), issued.apiKeyId(), issued.clientId(),
                    issued.scopes(), issued.resources(), clock.instant());
            LOG.infof("issued %s credential %s (ledger id %s)", issued.kind(), issued.externalId(), pending.id());
            return issued;
        } catch (RuntimeException failure) {
            rollBack(provider, journal, pending.id(), failure);
            throw failure;
        }
    }

    /** Converges the credential to the app's desired APIs, usage plans and name. */
    public void update(UpdateCommand command) {
        CredentialProvider provider = providers.provider();
        CredentialRecord record = ledger.findByExternalId(command.kind(), command.externalId())
                .filter(r -> r.status() == CredentialRecord.Status.ACTIVE)
                .orElseThrow(() -> new WebhookException(WebhookException.Kind.NOT_FOUND,
                        idField(command.kind()) + ": no active credential " + command.externalId()));
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
        } catch (RuntimeException failure) {
            ledger.failOperation(operationId, describe(failure), clock.instant());
            throw failure;
        }
    }

    /** Revokes for good. Unknown or already revoked credentials are done already. */
    public void revoke(RevokeCommand command) {
        CredentialProvider provider = providers.provider();
        Optional<CredentialRecord> found = ledger.findByExternalId(command.kind(), command.externalId());
        if (found.isEmpty() || found.get().status() != CredentialRecord.Status.ACTIVE) {
            LOG.infof("revoke of %s %s: %s, nothing to do", command.kind(), command.externalId(),
                    found.isEmpty() ? "unknown to the ledger" : "already revoked");
            return;
        }
        retire(provider, found.get());
        LOG.infof("revoked %s credential %s", found.get().kind(), command.externalId());
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
            return Optional.of(provider.fetch(record.kind(), record.resources()));
        } catch (WebhookException e) {
            if (e.kind() != WebhookException.Kind.NOT_FOUND) {
                throw e;
            }
            // Deleted outside the webhook: retire the ledger's entry so that a new credential is issued.
            LOG.warnf("credential %s of the app no longer exists (%s); it is retired and a new one issued",
                    record.id(), e.getMessage());
            retire(provider, record);
            return Optional.empty();
        }
    }

    /** Revokes what is left of a credential, journaled like any revoke. */
    private void retire(CredentialProvider provider, CredentialRecord record) {
        String operationId = ledger.beginOperation(Operation.Kind.REVOKE, record.id(), record.resources(),
                clock.instant());
        try {
            provider.revoke(record.resources());
            ledger.completeRevoke(operationId, record.id(), clock.instant());
        } catch (RuntimeException failure) {
            ledger.failOperation(operationId, describe(failure), clock.instant());
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
    private void rollBack(CredentialProvider provider, OperationJournal journal, String credentialId,
                          RuntimeException failure) {
        try {
            provider.teardown(journal.resources());
            ledger.rollBackCreate(journal.operationId(), credentialId, describe(failure), clock.instant());
            LOG.warnf("create of credential %s failed and was rolled back: %s", credentialId, describe(failure));
        } catch (RuntimeException undoFailure) {
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
