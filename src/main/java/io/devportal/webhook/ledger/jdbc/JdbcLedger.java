package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseLost;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.ledger.Transition;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.devportal.webhook.ledger.jdbc.JdbcReads.CREDENTIAL_COLUMNS;
import static io.devportal.webhook.ledger.jdbc.JdbcReads.OPERATION_COLUMNS;

/**
 * The ledger on a relational database (H2 file by default, PostgreSQL by JDBC URL). Each method
 * is one short transaction, committed durably before it returns; none takes or returns a secret.
 * Leases expire in database time ({@code CURRENT_TIMESTAMP}), so instances whose clocks disagree
 * still agree on who holds a credential. Every write is a conditional UPDATE whose row count is
 * checked: a lease is taken only from nobody, or from an expired holder by {@link #takeOver}
 * ({@link JdbcLeases}); the writes under it are here, the reads in {@link JdbcReads}.
 */
@ApplicationScoped
@Typed(JdbcLedger.class)
public class JdbcLedger implements Ledger {

    @Inject
    Database database;

    private JdbcLeases leases() {
        return new JdbcLeases(database);
    }

    @Override
    public Optional<CredentialRecord> findLive(String appId) {
        return JdbcReads.queryOne(database, "find live credential",
                "SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE live_app_hash = ?", Ledger.appHash(appId));
    }

    @Override
    public Optional<CredentialRecord> find(String credentialId) {
        return JdbcReads.queryOne(database, "find credential",
                "SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE id = ?", credentialId);
    }

    @Override
    public Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId) {
        String column = kind == CredentialKind.API_KEY ? "api_key_id" : "client_id";
        return JdbcReads.queryOne(database, "find credential by id", "SELECT " + CREDENTIAL_COLUMNS
                + " FROM credential WHERE " + column + " = ? AND status IN ('ACTIVE', 'REVOKED') ORDER BY created_at DESC",
                externalId);
    }

    @Override
    public Optional<Lease> beginCreate(CredentialRecord pending, Duration leaseFor, Instant now) {
        return leases().beginCreate(pending, leaseFor, now);
    }

    @Override
    public Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                                Duration leaseFor, Instant now) {
        return leases().beginOperation(kind, credentialId, expected, null, leaseFor, now);
    }

    @Override
    public Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                                List<ResourceRef> resources, Duration leaseFor, Instant now) {
        return leases().beginOperation(kind, credentialId, expected, resources, leaseFor, now);
    }

    @Override
    public Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now) {
        return leases().takeOver(operationId, leaseFor, now);
    }

    @Override
    public void abandon(Lease lease) {
        leases().abandon(lease);
    }

    @Override
    public Optional<LeaseState> lease(String credentialId) {
        return leases().lease(credentialId);
    }

    @Override
    public void journalResources(Lease lease, List<ResourceRef> resources, Instant now) {
        // one conditional UPDATE of the journal row, which carries its holder's fence: a takeover
        // raises it in the same transaction as the credential's, so a zombie's write matches no row
        try (Connection c = database.connection()) {
            if (JdbcSql.update(c, "UPDATE operation SET resources = ?, updated_at = ? WHERE id = ? AND status = 'IN_PROGRESS' "
                    + "AND fence = ?", Json.write(resources), Timestamp.from(now), lease.operationId(), lease.fence()) != 1) {
                throw new LeaseLost("journal resources", lease);
            }
        } catch (SQLException e) {
            throw new LedgerException("journal resources", e);
        }
    }

    @Override
    public void completeCreate(Lease lease, String apiKeyId, String clientId, List<String> scopes,
                               List<ResourceRef> resources, Instant now) {
        finish(lease, Transition.COMPLETE_CREATE, null, now, "api_key_id = ?, client_id = ?, scopes = ?, resources = ?",
                apiKeyId, clientId, Json.write(scopes), Json.write(resources));
    }

    @Override
    public void rollBackCreate(Lease lease, String error, Instant now) {
        finish(lease, Transition.ROLL_BACK_CREATE, error, now, null);
    }

    @Override
    public void completeUpdate(Lease lease, String appName, String developer, List<ApiAccess> apis,
                               List<String> scopes, List<ResourceRef> resources, Instant now) {
        finish(lease, Transition.COMPLETE_UPDATE, null, now, "app_name = ?, developer = ?, apis = ?, usage_plans = ?, "
                + "scopes = ?, resources = ?", appName, developer, Json.write(apis),
                Json.write(ApiAccess.usagePlansOf(apis)), Json.write(scopes), Json.write(resources));
    }

    @Override
    public void completeRevoke(Lease lease, Instant now) {
        finish(lease, Transition.COMPLETE_REVOKE, null, now, "revoked_at = ?", Timestamp.from(now));
    }

    @Override
    public void failOperation(Lease lease, String error, Instant now) {
        finish(lease, Transition.FAIL, error, now, null);
    }

    @Override
    public List<Operation> staleOperations(Instant now) {
        return JdbcReads.operations(database, "find stale operations", "SELECT " + OPERATION_COLUMNS
                + " FROM operation o JOIN credential c ON c.id = o.credential_id WHERE o.status = 'IN_PROGRESS' AND "
                + "((c.lease_holder = o.id AND c.lease_until < CURRENT_TIMESTAMP) OR (c.lease_holder IS NULL AND "
                + "c.fence = 0)) "
                + "ORDER BY o.started_at, o.id");
    }

    @Override
    public List<Operation> operationsInProgress() {
        return JdbcReads.operations(database, "list operations in progress", "SELECT " + OPERATION_COLUMNS
                + " FROM operation o WHERE o.status = 'IN_PROGRESS' ORDER BY o.started_at, o.id");
    }

    @Override
    public Optional<Operation> findOperation(String operationId) {
        return JdbcReads.operations(database, "find operation", "SELECT " + OPERATION_COLUMNS
                + " FROM operation o WHERE o.id = ?", operationId).stream().findFirst();
    }

    @Override
    public List<Operation> operationsOf(String credentialId) {
        return JdbcReads.operations(database, "list operations", "SELECT " + OPERATION_COLUMNS
                + " FROM operation o WHERE o.credential_id = ? ORDER BY o.started_at, o.id", credentialId);
    }

    @Override
    public List<CredentialRecord> list(CredentialQuery query) {
        return JdbcReads.list(database, query);
    }

    @Override
    public void erasePersonalData(CredentialRecord ended) {
        String erased = Ledger.erasedAppId(ended.appId());
        JdbcSql.transaction(database, "erase personal data", c -> {
            JdbcSql.update(c, "UPDATE credential SET app_id = ?, app_name = ?, developer = ? WHERE id = ? AND status IN "
                    + "('REVOKED', 'ROLLED_BACK')", erased, Ledger.ERASED, Ledger.ERASED, ended.id());
            return JdbcSql.update(c, "UPDATE audit_record SET app_id = ?, app_name = ?, developer = ? WHERE credential_id = ? "
                    + "OR (credential_id IS NULL AND app_id = ?)", erased, Ledger.ERASED, Ledger.ERASED, ended.id(),
                    ended.appId());
        });
    }

    @Override
    public void appendAudit(AuditRecord record) {
        JdbcReads.appendAudit(database, record);
    }

    @Override
    public List<AuditRecord> audit(AuditRecord.Query query) {
        return JdbcReads.audit(database, query);
    }

    /**
     * One transition under the lease: the credential row changes only if the lease and the expected
     * status still hold, and the journal row only from IN_PROGRESS; both in one transaction, or neither.
     */
    private void finish(Lease lease, Transition transition, String error, Instant now, String set, Object... values) {
        JdbcSql.transaction(database, transition.step(), c -> {
            // a failed operation leaves the credential as it was: only its lease is released
            StringBuilder sql = new StringBuilder("UPDATE credential SET lease_holder = NULL, lease_kind = NULL, "
                    + "lease_until = NULL, lease_since = NULL");
            List<Object> args = new ArrayList<>();
            if (transition.to() != null) {
                sql.append(", updated_at = ?, status = ?");
                args.add(Timestamp.from(now));
                args.add(transition.to().name());
            }
            if (transition.releasesApp()) {
                sql.append(", live_app_hash = NULL");
            }
            if (set != null) {
                sql.append(", ").append(set);
                args.addAll(Arrays.asList(values));
            }
            sql.append(" WHERE id = ? AND lease_holder = ? AND fence = ?");
            args.addAll(List.of(lease.credentialId(), lease.operationId(), lease.fence()));
            if (transition.from() != null) {
                sql.append(" AND status = ?");
                args.add(transition.from().name());
            }
            if (JdbcSql.update(c, sql.toString(), args.toArray()) != 1) {
                throw new LeaseLost(transition.step(), lease);
            }
            int rows = JdbcSql.update(c, "UPDATE operation SET status = ?, error = ?, updated_at = ?, finished_at = ? "
                            + "WHERE id = ? AND status = 'IN_PROGRESS' AND fence = ?", transition.operation().name(),
                    Transition.error(error), Timestamp.from(now), Timestamp.from(now), lease.operationId(), lease.fence());
            if (rows != 1) {
                throw new LeaseLost(transition.step(), lease);
            }
            return null;
        });
    }


}
