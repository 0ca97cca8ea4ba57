package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.config.Ids;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code reconcile --adopt}: re-imports a live credential of this webhook that the ledger lacks
 * (issued after the backup that was restored) as an ACTIVE record, rebuilt from what its resources
 * carry ({@link CredentialProvider#marks}): the ledger id and the exact app id from the key's tags,
 * the app's name, the developer, the usage plans, the scopes and the type. Journaled by
 * {@link #record} (the one adoption, which the revoke of an unknown credential uses too: {@link
 * AdoptOperation}) and audited ({@link #ADOPT}). Nothing is created or deleted in the provider.
 */
@ApplicationScoped
public class Adoption {
    private static final Logger LOG = Logger.getLogger(Adoption.class);
    /** The audit operation of an adoption. */
    public static final String ADOPT = "ADOPT";
    /** The API id of the one {@link ApiAccess} an adopted record gets: the portal's API ids are not in AWS. */
    public static final String RESTORED_API = Targets.RESTORED_API;
    /** Placeholder for what the resources do not carry. */
    static final String UNKNOWN = "(not recoverable from AWS)";
    /** The action when the app already has a live credential in the ledger. */
    static final String APP_HELD = "app_has_live_credential";

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

    /** What became of one adoption: {@code done} with the record, or why not (an action code). */
    public record Result(String action, CredentialRecord record) {
    }

    /**
     * Adopts the credential whose resources are {@code managed} (as {@link CredentialProvider#findManaged}
     * returns them: a hybrid's client and its key). A credential whose tagged ledger id the ledger
     * knows (revoked, say) is never brought back: its action names the status.
     */
    public Result adopt(CredentialProvider provider, CredentialKind kind, String externalId, List<ResourceRef> managed) {
        CredentialProvider.Marks marks = provider.marks(managed)
                .orElse(new CredentialProvider.Marks(null, null, null, null, List.of(), List.of()));
        if (marks.credentialId() != null) {
            Optional<CredentialRecord> known = ledger.find(marks.credentialId());
            if (known.isPresent()) {
                return new Result("known_" + known.get().status().name().toLowerCase(Locale.ROOT), known.get());
            }
        }
        // a key in a plan the portal may not hand out stays an orphan (a 422 names the plan)
        provider.refuseAdoption(managed);
        boolean key = kind == CredentialKind.API_KEY;
        String keyId = managed.stream().filter(r -> r.type().endsWith("api-key")).map(ResourceRef::id).findFirst()
                .orElse(null);
        String appId = marks.appId() != null ? marks.appId() : "unknown-to-ledger:" + kind + ":" + externalId;
        CredentialKind apiKind = key ? kind : CredentialKind.CLIENT_CREDENTIALS;
        List<ApiAccess> apis = marks.usagePlans().isEmpty() && marks.scopes().isEmpty() ? List.of()
                : List.of(new ApiAccess(RESTORED_API, marks.usagePlans(), marks.scopes(), apiKind));
        if (marks.usagePlansByTarget().size() > 1) {
            // a key in several targets: one API per target, so that each key keeps its own target's plans
            List<ApiAccess> perTarget = new java.util.ArrayList<>();
            marks.usagePlansByTarget().forEach((target, plans) -> perTarget.add(new ApiAccess(
                    Targets.restoredApi(target), plans,
                    perTarget.isEmpty() ? marks.scopes() : List.of(), apiKind)));
            apis = List.copyOf(perTarget);
        }
        Instant now = clock.instant();
        CredentialRecord pending = new CredentialRecord(
                marks.credentialId() != null ? marks.credentialId() : Ids.uuid(), kind,
                !key && keyId != null, provider.name(), appId, orUnknown(marks.appName()), orUnknown(marks.developer()),
                null, null, apis, List.of(), List.of(), CredentialRecord.Status.PENDING, now, now, null);
        // a key of several targets: the portal's key is the one findManaged puts first
        Optional<CredentialRecord> recorded = record(pending, key && keyId == null ? externalId : keyId,
                key ? null : externalId, marks.scopes(), managed);
        if (recorded.isEmpty()) {
            LOG.warnf("reconcile did not adopt %s %s: its app already has a live credential in the ledger", kind,
                    externalId);
            return new Result(ledger.findLive(appId).isPresent() ? APP_HELD : WebhookException.Kind.CONFLICT.code,
                    null);
        }
        CredentialRecord adopted = ledger.find(pending.id()).orElseThrow();
        audit.done(ADOPT, adopted);
        LOG.warnf("reconcile adopted %s %s as credential %s (%s)", kind, externalId, adopted.id(),
                marks.appId() != null ? "with its app identity" : "without its app identity: not in its resources");
        return new Result(AuditTrail.DONE, adopted);
    }

    /**
     * The one journaled adoption ({@link AdoptOperation}): {@code pending} begun as a CREATE under
     * its lease, then completed as ACTIVE with {@code managed}, journaling nothing. Empty when its app
     * already has a live credential or another request is adopting it.
     */
    Optional<CredentialRecord> record(CredentialRecord pending, String apiKeyId, String clientId, List<String> scopes,
                                      List<ResourceRef> managed) {
        Optional<Lease> lease = ledger.beginCreate(pending, runner.leaseFor(), clock.instant());
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        runner.run(lease.get(), AdoptOperation.journal(), operations.adopt(pending, apiKeyId, clientId, scopes,
                managed));
        return ledger.find(pending.id());
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
