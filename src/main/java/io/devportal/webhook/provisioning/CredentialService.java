package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Create, update and revoke: each one journaled operation under the credential's lease, through
 * {@link OperationRunner}. Revokes of what the ledger no longer accounts for are in {@link Retirement}.
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

    @Inject
    OperationRunner runner;

    @Inject
    RequestTakeover takeover;

    @Inject
    Retirement retirement;

    @Inject
    Operations operations;

    /**
     * Issues the app's credential, or returns the one it already has (the portal retrying after a
     * timeout). A create racing another for the same app gets CONFLICT.
     */
    public IssuedCredential create(CreateCommand command) {
        return runner.withinDeadline(() -> createNow(command));
    }

    private IssuedCredential createNow(CreateCommand command) {
        CredentialProvider provider = providers.provider();
        String appId = command.appId();
        CredentialTypeResolver.Decision decision;
        List<ApiAccess> apis;
        CredentialRecord pending;
        Optional<Lease> lease;
        try {
            decision = resolver.decide(command.apis());
            usagePlanQuota.check(decision.kind() == CredentialKind.API_KEY || decision.withApiKey(), command.apis());
            apis = resolver.access(command.apis());
            // what the create saw first decides whether a revoke of its app is in its way: a live
            // credential then, that a revoke takes or took, is a 409; none then (a revoke completed
            // before this create looked), a new one is issued, as the portal may approve the app again
            Optional<CredentialRecord> seen = ledger.findLive(appId);
            Optional<IssuedCredential> existing = existing(seen, provider);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = clock.instant();
            pending = new CredentialRecord(Ids.uuid(), decision.kind(),
                    decision.withApiKey(), provider.name(), appId, command.appName(), command.developer(), null, null,
                    apis, List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
            lease = ledger.beginCreate(pending, runner.leaseFor(), now);
            if (lease.isEmpty()) {
                // another create won the app meanwhile
                return existing(ledger.findLive(appId), provider).orElseThrow(() -> inProgress(null));
            }
        } catch (RuntimeException refused) {
            audit.refused(command, refused);
            throw refused;
        }
        CredentialSpec spec = new CredentialSpec(decision.kind(), decision.withApiKey(), appId, command.appName(),
                command.developer(), apis, lease.get().operationId(), pending.id());
        return runner.run(lease.get(), List.of(), operations.create(provider, pending, spec));
    }

    /** Converges the credential to the app's desired APIs, usage plans and name. */
    public void update(UpdateCommand command) {
        runner.withinDeadline(() -> {
            updateNow(command);
            return null;
        });
    }

    private void updateNow(UpdateCommand command) {
        CredentialProvider provider = providers.provider();
        CredentialRecord found = ledger.findByExternalId(command.kind(), command.externalId())
                .filter(r -> r.status() == CredentialRecord.Status.ACTIVE)
                .orElseThrow(() -> noActive(command));
        if (command.apis() != null) {
            resolver.requireParts(command.apis(), found.kind(), found.hybrid());
        }
        usagePlanQuota.check(found.kind() == CredentialKind.API_KEY || found.hybrid(), command.apis());
        List<ApiAccess> apis = command.apis() != null ? resolver.access(command.apis()) : null;
        Lease lease;
        try {
            lease = runner.begin(() -> ledger.beginOperation(Operation.Kind.UPDATE, found.id(),
                    CredentialRecord.Status.ACTIVE, runner.leaseFor(), clock.instant()));
        } catch (LeaseRefused gone) {
            throw noActive(command);
        }
        // under the lease: the credential as the last confirmed change left it
        CredentialRecord record = ledger.find(found.id()).orElseThrow();
        String appName = command.appName() != null ? command.appName() : record.appName();
        String developer = command.developer() != null ? command.developer() : record.developer();
        List<ApiAccess> desired = apis != null ? apis : record.apis();
        CredentialSpec spec = new CredentialSpec(record.kind(), record.hybrid(), record.appId(), appName, developer,
                desired, lease.operationId(), record.id());
        Convergence done = runner.run(lease, record.resources(),
                operations.update(AuditTrail.UPDATE, provider, record, spec));
        retirement.deleteRetiredKeys(provider, record.id(), done.retired());
    }

    /** Revokes for good. Unknown or already revoked credentials are done already. */
    public void revoke(RevokeCommand command) {
        runner.withinDeadline(() -> {
            revokeNow(command);
            return null;
        });
    }

    private void revokeNow(RevokeCommand command) {
        CredentialProvider provider = providers.provider();
        Optional<CredentialRecord> found = ledger.findByExternalId(command.kind(), command.externalId());
        if (found.isEmpty()) {
            List<ResourceRef> managed = provider.findManaged(command.kind(), command.externalId());
            Optional<CredentialRecord> issuedUnder = issuedUnder(provider, managed);
            found = issuedUnder.filter(r -> holds(r, command.externalId()));
            if (found.isEmpty()) {
                // what a live credential still holds is its own: only the rest is this revoke's
                List<ResourceRef> loose = issuedUnder.filter(r -> r.status() == CredentialRecord.Status.ACTIVE
                                || r.status() == CredentialRecord.Status.PENDING)
                        .map(r -> managed.stream().filter(m -> !holds(r, m.id())).toList()).orElse(managed);
                retirement.revokeUnknown(provider, command.kind(), command.externalId(), loose);
                return;
            }
        }
        Optional<CredentialRecord> revoked = found.get().status() == CredentialRecord.Status.ACTIVE
                ? retirement.retire(provider, found.get(), Operation.Kind.REVOKE) : Optional.empty();
        if (revoked.isPresent()) {
            audit.done(AuditTrail.REVOKE, revoked.get()); // as the lease found it: what was revoked
            LOG.infof("revoked %s credential %s", found.get().kind(), command.externalId());
            return;
        }
        // revoked before, or by a revoke that finished while this one waited: gone for good
        LOG.infof("revoke of %s %s: already revoked, nothing to do", command.kind(), command.externalId());
        audit.nothingToRevoke(command.kind(), command.externalId(), ledger.find(found.get().id()).orElseThrow());
    }

    /**
     * The credential that managed resources were issued under (the ledger id their tags carry), when
     * the ledger has it: one that holds an id the ledger does not index (another target's key of a
     * key that lives in several, from customCredentials.apiKeys), or one that no longer holds it (a
     * key an update took out of it).
     */
    private Optional<CredentialRecord> issuedUnder(CredentialProvider provider, List<ResourceRef> managed) {
        if (managed.isEmpty()) {
            return Optional.empty();
        }
        return provider.marks(managed).map(CredentialProvider.Marks::credentialId).flatMap(ledger::find);
    }

    private static boolean holds(CredentialRecord record, String id) {
        return record.resources().stream().anyMatch(ref -> id.equals(ref.id()));
    }

    public ProviderHealth health() {
        return providers.provider().health();
    }

    /**
     * The app's live credential again, for an idempotent create. One that was deleted outside the
     * webhook is retired (under its lease, after a second look) so that a new one is issued; one
     * that a revoke took away while this request ran is a 409, never a new credential.
     */
    private Optional<IssuedCredential> existing(Optional<CredentialRecord> live, CredentialProvider provider) {
        if (live.isEmpty()) {
            return Optional.empty();
        }
        CredentialRecord record = live.get();
        if (record.status() == CredentialRecord.Status.PENDING) {
            // an abandoned create of this app is undone first, within this request's deadline (or
            // handed back, and this request answers at once); then this one issues a new credential
            Optional<LeaseState> abandoned = ledger.lease(record.id()).filter(LeaseState::expired);
            if (abandoned.isPresent() && takeover.finish(abandoned.get())) {
                takeover.requireTimeLeft(abandoned.get().kind());
                return Optional.empty();
            }
            throw inProgress(record.id());
        }
        refuseIfBeingRevoked(record);
        try {
            IssuedCredential again = provider.fetch(record.kind(), record.resources());
            // a revoke may have begun (or ended: a disabled key can still be fetched) since the read:
            // the answer stands only if the credential is still active and no revoke holds it now
            refuseIfBeingRevoked(record);
            audit.idempotent(record);
            return Optional.of(again);
        } catch (WebhookException e) {
            if (e.kind() != WebhookException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        Optional<IssuedCredential> still = retirement.retireVanished(provider, record);
        if (still.isEmpty()) {
            return Optional.empty();
        }
        audit.idempotent(record);
        return still;
    }

    /**
     * 409 when the credential is no longer active, or a revoke or retirement holds it. The lease is
     * read first: a revoke that began before that read is seen either holding the lease or, when it
     * has finished since, in the status read after (status first, a revoke that began and finished
     * between the two reads would be missed).
     */
    private void refuseIfBeingRevoked(CredentialRecord record) {
        boolean revoking = ledger.lease(record.id())
                .filter(l -> l.kind() == Operation.Kind.REVOKE || l.kind() == Operation.Kind.RETIRE).isPresent();
        boolean active = ledger.find(record.id()).map(r -> r.status() == CredentialRecord.Status.ACTIVE).orElse(false);
        if (!active || revoking) {
            throw revokedMeanwhile();
        }
    }

    private WebhookException noActive(UpdateCommand command) {
        return audit.unknown(AuditTrail.UPDATE, command.kind(), command.externalId(),
                new WebhookException(WebhookException.Kind.NOT_FOUND,
                        idField(command.kind()) + ": no active credential " + command.externalId()));
    }

    static WebhookException revokedMeanwhile() {
        return new WebhookException(WebhookException.Kind.CONFLICT, "appName: the credential of this app was "
                + "revoked while this request ran; retry to issue a new one", Duration.ofSeconds(2), null);
    }

    /** 409: another request is creating the app's credential; come back when it is done at the latest. */
    private WebhookException inProgress(String pendingId) {
        Duration retryAfter = pendingId == null ? BusyRetryAfter.UNKNOWN : runner.retryAfterBusy(pendingId);
        return new WebhookException(WebhookException.Kind.CONFLICT, "appName: the credential of this app is being "
                + "created by another request; retry in " + retryAfter.toSeconds() + " s", retryAfter, null);
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
