package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.priming.SideEffect;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.metrics.Metrics;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

/**
 * The audit trail: one append-only record per create, update, revoke, rollback, retire, sweep
 * and reconcile action, written to the ledger and logged as one {@code key="value"} line under
 * the log category {@code audit} (none while priming: the write is a {@link SideEffect}). Records hold ids only, never a secret: nothing here reads a
 * key value or a client secret.
 *
 * <p>Writing the record never fails the operation it describes: when the ledger refuses it, the
 * log line is still written and an error says the record was not stored.</p>
 */
@ApplicationScoped
public class AuditTrail {
    static final Logger LOG = Logger.getLogger("audit");

    public static final String CREATE = "CREATE";
    public static final String UPDATE = "UPDATE";
    public static final String REVOKE = "REVOKE";
    public static final String ROLLBACK = "ROLLBACK";
    public static final String RETIRE = "RETIRE";
    public static final String SWEEP = "SWEEP";
    public static final String RECONCILE = "RECONCILE";
    /** {@code reconcile --apply --settle-gone}: places recorded for resources found in no configured place. */
    public static final String SETTLE = "SETTLE";

    public static final String ISSUED = "issued";
    public static final String IDEMPOTENT = "idempotent";
    public static final String DONE = "done";

    @Inject
    Ledger ledger;

    @Inject
    Clock clock;

    @Inject
    Metrics metrics;

    @Inject
    Instance<Caller> caller;

    /** A create that issued a new credential. */
    public void issued(CredentialRecord pending, IssuedCredential issued) {
        metrics.operation("create", Metrics.type(pending.kind(), pending.hybrid()), "issued");
        write(CREATE, ISSUED, pending.id(), issued.apiKeyId(), issued.clientId(), pending.appId(), pending.appName(),
                pending.developer(), issued.resources());
    }

    /** A create that returned the app's existing credential. */
    public void idempotent(CredentialRecord record) {
        metrics.operation("create", Metrics.type(record.kind(), record.hybrid()), "idempotent");
        record(CREATE, IDEMPOTENT, record, record.resources());
    }

    /** An operation on a credential that ended well; the resources are the credential's. */
    public void done(String operation, CredentialRecord record) {
        done(operation, record, record.resources());
    }

    /** An operation on a credential that ended well, touching these resources. */
    public void done(String operation, CredentialRecord record, List<ResourceRef> resources) {
        String type = Metrics.type(record.kind(), record.hybrid());
        switch (operation) {
            case UPDATE -> metrics.operation("update", type, "updated");
            case REVOKE -> metrics.operation("revoke", type, "revoked");
            case ROLLBACK -> metrics.rollback("rolled_back");
            default -> { }
        }
        record(operation, DONE, record, resources);
    }

    /** An operation on a credential that failed: the outcome is the failure's error code. */
    public void failed(String operation, CredentialRecord record, List<ResourceRef> resources, Throwable failure) {
        if (operation.equals(ROLLBACK)) {
            metrics.rollback("failed");
        }
        record(operation, outcome(failure), record, resources);
    }

    /** An operation on a credential that failed, touching the credential's resources. */
    public void failed(String operation, CredentialRecord record, Throwable failure) {
        record(operation, outcome(failure), record, record.resources());
    }

    /** A create that failed before or without a ledger record of its own (a 409, a 422...). */
    public void refused(CreateCommand command, Throwable failure) {
        write(CREATE, outcome(failure), null, null, null, command.appId(), command.appName(), command.developer(),
                List.of());
    }

    /**
     * An update or revoke refused because the ledger has no such credential; returns the failure
     * so that the caller can throw it in the same expression.
     */
    public WebhookException unknown(String operation, CredentialKind kind, String externalId,
                                    WebhookException failure) {
        write(operation, outcome(failure), null, kind == CredentialKind.API_KEY ? externalId : null,
                kind == CredentialKind.API_KEY ? null : externalId, null, null, null, List.of());
        return failure;
    }

    /** A revoke of a credential the ledger does not hold live: nothing to do, answered as done. */
    public void nothingToRevoke(CredentialKind kind, String externalId, CredentialRecord known) {
        metrics.operation("revoke", known == null ? kind.name() : Metrics.type(known.kind(), known.hybrid()),
                known == null ? "unknown" : "already_revoked");
        if (known != null) {
            record(REVOKE, IDEMPOTENT, known, List.of());
        } else {
            write(REVOKE, IDEMPOTENT, null, kind == CredentialKind.API_KEY ? externalId : null,
                    kind == CredentialKind.API_KEY ? null : externalId, null, null, null, List.of());
        }
    }

    /** A reconcile action on a resource no credential holds (an orphan). */
    public void orphan(ResourceRef resource, Throwable failure) {
        write(RECONCILE, failure == null ? DONE : outcome(failure), null, null, null, null, null, null,
                List.of(resource));
    }

    private void record(String operation, String outcome, CredentialRecord r, List<ResourceRef> resources) {
        write(operation, outcome, r.id(), r.apiKeyId(), r.clientId(), r.appId(), r.appName(), r.developer(), resources);
    }

    /** One record, in the ledger and the audit log; a primed operation (ServicePriming) is nobody's: none. */
    @SideEffect
    void write(String operation, String outcome, String credentialId, String apiKeyId, String clientId,
               String appId, String appName, String developer, List<ResourceRef> resources) {
        String account = Caller.SYSTEM;
        String address = null;
        String requestId = null;
        ManagedContext requests = Arc.container().requestContext();
        if (requests.isActive() && caller.isResolvable()) {
            Caller c = caller.get();
            account = c.account();
            address = c.address();
            requestId = c.requestId();
        }
        // a resource of another target than the default is recorded as id@target: the record says where it lives
        List<String> ids = resources.stream().filter(ResourceRef::hasId)
                .map(r -> r.target().equals(ResourceRef.DEFAULT_TARGET) ? r.id() : r.id() + "@" + r.target())
                .distinct().toList();
        AuditRecord record = new AuditRecord(Ids.uuid(), clock.instant(), operation, outcome,
                credentialId, apiKeyId, clientId, appId, appName, developer, ids, account, address, requestId);
        LOG.info(line(record));
        try {
            ledger.appendAudit(record);
        } catch (RuntimeException e) {
            LOG.errorf("audit record %s was not stored in the ledger: %s", record.id(),
                    CredentialService.describe(e));
        }
    }

    /** The outcome of a failure: its contract error code. */
    static String outcome(Throwable failure) {
        if (failure instanceof WebhookException w) {
            return w.kind().code;
        }
        if (failure instanceof LedgerException) {
            return "unavailable";
        }
        return WebhookException.Kind.INTERNAL.code;
    }

    /** The record as one log line of {@code key="value"} pairs, every value escaped. */
    public static String line(AuditRecord r) {
        StringBuilder out = new StringBuilder("audit");
        pair(out, "at", r.at().toString());
        pair(out, "operation", r.operation());
        pair(out, "outcome", r.outcome());
        pair(out, "credentialId", r.credentialId());
        pair(out, "apiKeyId", r.apiKeyId());
        pair(out, "clientId", r.clientId());
        pair(out, "appId", r.appId());
        pair(out, "appName", r.appName());
        pair(out, "developer", r.developer());
        pair(out, "resources", String.join(",", r.resources()));
        pair(out, "targets", String.join(",", targetsOf(r.resources())));
        pair(out, "account", r.account());
        pair(out, "address", r.clientAddress());
        pair(out, "requestId", r.requestId());
        pair(out, "auditId", r.id());
        return out.toString();
    }

    /** The targets the record's resources live in (id@target; a bare id is the default target's). */
    static List<String> targetsOf(List<String> resources) {
        return resources.stream().map(id -> id.contains("@") ? id.substring(id.lastIndexOf('@') + 1)
                : ResourceRef.DEFAULT_TARGET).distinct().sorted().toList();
    }

    private static void pair(StringBuilder out, String key, String value) {
        out.append(' ').append(key).append('=');
        if (value == null) {
            out.append('-');
        } else {
            out.append('"').append(escape(value)).append('"');
        }
    }

    /**
     * A value that cannot break out of its quotes or forge a line: backslash and quote are
     * escaped; control characters (C0, DEL, C1 with U+0085), the line and paragraph separators
     * the bidirectional controls and unpaired surrogates become {@code \\uXXXX}.
     */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (paired) {
                out.append(c).append(value.charAt(++i));
            } else if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (unsafe(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c)
                || c == '\u2028' || c == '\u2029'
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
