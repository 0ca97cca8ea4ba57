package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.Removal;
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
 * Revokes as journaled operations under the credential's lease: the portal's revoke (REVOKE, as
 * {@code revoke-mode} says), and the retirement of what the webhook no longer accounts for
 * (RETIRE, always deleted): a credential deleted outside the webhook, a forgotten one, an orphan.
 * There is no undo of a revoke: one that fails is left to the sweeper, which completes it
 * ({@link RevokeOperation}).
 */
@ApplicationScoped
public class Retirement {
    private static final Logger LOG = Logger.getLogger(Retirement.class);

    @Inject
    Ledger ledger;

    @Inject
    Clock clock;

    @Inject
    AuditTrail audit;

    @Inject
    OperationRunner runner;

    @Inject
    Operations operations;

    @Inject
    Adoption adoption;

    /**
     * Revokes an active credential under its lease. Returns the credential as the lease found it
     * (what was revoked: the one to audit), or empty when it is no longer active (a concurrent revoke
     * finished first): gone already. {@code record} may have been read before the lease (and changed
     * while this waited for it): the revoke journals and removes the credential as the lease finds it
     * ({@link Ledger#beginOperation}).
     *
     * @throws WebhookException BUSY when another operation holds it past the wait
     */
    Optional<CredentialRecord> retire(CredentialProvider provider, CredentialRecord record, Operation.Kind kind) {
        Lease lease;
        try {
            // journaled as the credential is when the lease is granted, not as it was read before
            lease = runner.begin(() -> ledger.beginOperation(kind, record.id(), CredentialRecord.Status.ACTIVE,
                    runner.leaseFor(), clock.instant()));
        } catch (LeaseRefused notActive) {
            return Optional.empty();
        }
        CredentialRecord current = ledger.find(record.id()).orElseThrow();
        runner.run(lease, current.resources(), operations.revoke(kind, provider, current));
        return Optional.of(current);
    }

    /**
     * Deletes the keys a confirmed update took out of the credential (in no usage plan since:
     * {@link io.devportal.webhook.provider.Convergence#retired}), under the credential's lease again
     * and only those it does not list by then ({@link RetiredKeysOperation}). Never fails the update,
     * which is confirmed: a key left (busy past the wait, AWS refusing, a crash) is in no plan; an update
     * that takes its target back reuses it, and reconcile --delete-orphans removes it.
     */
    void deleteRetiredKeys(CredentialProvider provider, String credentialId, List<ResourceRef> retired) {
        if (retired.isEmpty()) {
            return;
        }
        try {
            Lease lease = runner.begin(() -> ledger.beginOperation(Operation.Kind.UPDATE, credentialId,
                    CredentialRecord.Status.ACTIVE, runner.leaseFor(), clock.instant()));
            CredentialRecord current = ledger.find(credentialId).orElseThrow();
            runner.run(lease, current.resources(), operations.retiredKeys(provider, current, retired));
        } catch (LeaseRefused notActive) {
            // revoked meanwhile for good: no update can take these keys back any more. Those the revoke
            // found listed (a later update took them back) were its own to revoke, in its mode: left to it
            if (notActive.status().orElse(null) == CredentialRecord.Status.REVOKED) {
                deleteQuietly(provider, credentialId, RetiredKeysOperation.unlisted(retired,
                        ledger.find(credentialId).map(CredentialRecord::resources).orElse(List.of())));
            }
        } catch (RuntimeException e) {
            LOG.warnf("credential %s: the API keys of targets it no longer uses were not deleted (they are in no "
                    + "usage plan; reconcile --delete-orphans lists what is left): %s", credentialId,
                    CredentialService.describe(e));
        }
    }

    private static void deleteQuietly(CredentialProvider provider, String credentialId, List<ResourceRef> retired) {
        if (retired.isEmpty()) {
            return;
        }
        try {
            provider.remove(retired, Removal.DELETE);
        } catch (RuntimeException e) {
            LOG.warnf("credential %s was revoked; deleting the API keys of targets it no longer used failed (they are "
                    + "in no usage plan; reconcile --delete-orphans removes them): %s", credentialId,
                    CredentialService.describe(e));
        }
    }

    /**
     * A revoke of an id the ledger does not know (a restored backup, a lost row) must not leave a
     * live credential behind. The provider says whether it exists and was made by this webhook; if
     * so it is adopted into the ledger and retired like any other, journaled before it is deleted.
     * A credential the webhook did not make is never touched.
     */
    void revokeUnknown(CredentialProvider provider, CredentialKind kind, String externalId, List<ResourceRef> managed) {
        if (managed.isEmpty()) {
            LOG.infof("revoke of %s %s: unknown to the ledger and not a live credential of this webhook, nothing to do",
                    kind, externalId);
            audit.nothingToRevoke(kind, externalId, null);
            return;
        }
        CredentialRecord record = adopt(provider, kind, externalId, managed).orElseThrow(() -> {
            // another revoke of the same id is deleting it right now: a 204 here could precede
            // that deletion, so the portal is asked to retry and then finds it revoked
            LOG.infof("revoke of %s %s: another revoke is adopting it", kind, externalId);
            return new WebhookException(WebhookException.Kind.CONFLICT, CredentialService.idField(kind)
                    + ": this credential is being revoked by another request; retry in a few seconds",
                    Duration.ofSeconds(2), null);
        });
        LOG.warnf("revoke of %s %s: unknown to the ledger but a live credential of this webhook; recorded as "
                + "credential %s and deleted", kind, externalId, record.id());
        CredentialRecord retired = retire(provider, record, Operation.Kind.RETIRE).orElseThrow(() ->
                new WebhookException(WebhookException.Kind.BUSY, CredentialService.idField(kind)
                        + ": this credential is being revoked by another request; retry in a few seconds",
                        Duration.ofSeconds(2), null));
        audit.done(AuditTrail.REVOKE, retired);
        LOG.infof("revoked %s credential %s", kind, externalId);
    }

    /**
     * Records in the ledger a live credential of this webhook that the ledger does not know (a
     * credential row with its CREATE operation, so that the journal shows it). Empty when another
     * request is adopting the same credential right now.
     */
    Optional<CredentialRecord> adopt(CredentialProvider provider, CredentialKind kind, String externalId,
                                     List<ResourceRef> managed) {
        Instant now = clock.instant();
        boolean key = kind == CredentialKind.API_KEY;
        String keyId = managed.stream().filter(r -> r.type().endsWith("api-key")).map(ResourceRef::id).findFirst()
                .orElse(null);
        CredentialRecord adopted = new CredentialRecord(Ids.uuid(), kind, !key && keyId != null,
                provider.name(), "unknown-to-ledger:" + kind + ":" + externalId,
                "(unknown to the ledger)", "(unknown to the ledger)", null, null, List.of(), List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        return adoption.record(adopted, key ? externalId : keyId, key ? null : externalId, List.of(), managed);
    }

    /**
     * The app's active credential could not be fetched ("not found"). Under its lease, it is looked
     * at again: still there (the first look raced something), it is returned; gone, it is retired
     * (deleted outside the webhook) and empty is returned, so that a new one is issued. One that a
     * revoke took while this request waited is a 409: a new credential is not issued in its place.
     */
    Optional<IssuedCredential> retireVanished(CredentialProvider provider, CredentialRecord record) {
        Lease lease;
        try {
            // begun with an empty journal: it names the resources only once they are found gone
            lease = runner.begin(() -> ledger.beginOperation(Operation.Kind.RETIRE, record.id(),
                    CredentialRecord.Status.ACTIVE, List.of(), runner.leaseFor(), clock.instant()));
        } catch (LeaseRefused notActive) {
            throw CredentialService.revokedMeanwhile();
        }
        CredentialRecord current = ledger.find(record.id()).orElseThrow();
        Optional<IssuedCredential> still = runner.run(lease, List.of(), operations.recheck(provider, current));
        if (still.isEmpty()) {
            audit.done(AuditTrail.RETIRE, current);
        }
        return still;
    }
}
