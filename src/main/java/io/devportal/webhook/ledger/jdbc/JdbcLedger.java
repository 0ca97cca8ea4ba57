package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.jdbc.Database;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseLost;
import io.devportal.webhook.ledger.LeaseRefused;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.devportal.webhook.ledger.jdbc.JdbcReads.CREDENTIAL_COLUMNS;
import static io.devportal.webhook.ledger.jdbc.JdbcReads.OPERATION_COLUMNS;

/**
 * The ledger on a relational database (H2 file by default, PostgreSQL by JDBC URL). Each method
 * is one short transaction, committed durably before it returns; none takes or returns a secret.
 * Leases expire in database time ({@code CURRENT_TIMESTAMP}), so instances whose clocks disagree
 * still agree on who holds a credential. Every write is a conditional UPDATE whose row count is
 * checked: a lease is taken only from nobody, or from an expired holder by {@link #takeOver}.
 */
@ApplicationScoped
@Typed(JdbcLedger.class)
public class JdbcLedger implements Ledger {

    private static final String SQLSTATE_UNIQUE = "23505";
    /** {@code CURRENT_TIMESTAMP} plus a number of milliseconds: the same SQL on H2 and PostgreSQL. */
    private static final String DB_NOW_PLUS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    @Inject
    Database database;

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
        String operationId = Ids.uuid();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential (id, credential_type, hybrid, "
                        + "provider, app_id, live_app_hash, app_name, developer, apis, usage_plans, scopes, resources, "
                        + "status, created_at, updated_at, lease_holder, lease_kind, fence, lease_until) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 'PENDING', ?, ?, ?, 'CREATE', 1, " + DB_NOW_PLUS + ")")) {
                    JdbcReads.bind(ps, java.util.Arrays.asList(pending.id(), pending.kind().name(), pending.hybrid(), pending.provider(),
                            pending.appId(), Ledger.appHash(pending.appId()), pending.appName(), pending.developer(),
                            Json.write(pending.apis()), Json.write(ApiAccess.usagePlansOf(pending.apis())),
                            Json.write(pending.scopes()), Timestamp.from(now), Timestamp.from(now), operationId,
                            leaseFor.toMillis()));
                    ps.executeUpdate();
                }
                insertOperation(c, operationId, Operation.Kind.CREATE, pending.id(), List.of(), 1, now);
                c.commit();
                return Optional.of(new Lease(operationId, pending.id(), 1));
            } catch (SQLException e) {
                c.rollback();
                if (SQLSTATE_UNIQUE.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("begin create", e);
        }
    }

    @Override
    public Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                                List<ResourceRef> resources, Duration leaseFor, Instant now) {
        String operationId = Ids.uuid();
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = attempt < 5;
            Optional<Lease> lease = transaction("begin operation", c -> {
                int granted = update(c, "UPDATE credential SET lease_holder = ?, lease_kind = ?, fence = fence + 1, "
                                + "lease_until = " + DB_NOW_PLUS + " WHERE id = ? AND status = ? AND lease_holder IS NULL",
                        operationId, kind.name(), leaseFor.toMillis(), credentialId, expected.name());
                if (granted != 1) {
                    LeaseRefused refused = refusal(c, credentialId);
                    // H2 evaluates a row that another transaction was releasing against the version it
                    // read before waiting for it: the lease may be free by now, so ask again
                    boolean releasedMeanwhile = !refused.busy() && refused.status().orElse(null) == expected;
                    if (releasedMeanwhile && mayRetry) {
                        return Optional.empty();
                    }
                    throw refused;
                }
                long fence = fence(c, credentialId);
                insertOperation(c, operationId, kind, credentialId, resources, fence, now);
                return Optional.of(new Lease(operationId, credentialId, fence));
            });
            if (lease.isPresent()) {
                return lease.get();
            }
        }
    }

    @Override
    public Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now) {
        return transaction("take over operation", c -> {
            // the holder's expired lease, or (rows of a version before leases) a credential never leased
            // (fence 0) whose operation was left in progress. Re-checked on the locked row: a lease
            // released by a completion leaves fence > 0, so this never wins against a finished one.
            int taken = update(c, "UPDATE credential SET lease_holder = ?, lease_kind = (SELECT kind FROM operation "
                    + "WHERE id = ?), fence = fence + 1, lease_until = " + DB_NOW_PLUS + " WHERE id = (SELECT "
                    + "credential_id FROM operation WHERE id = ? AND status = 'IN_PROGRESS') AND ((lease_holder = ? "
                    + "AND lease_until < CURRENT_TIMESTAMP) OR (lease_holder IS NULL AND fence = 0))",
                    operationId, operationId, leaseFor.toMillis(), operationId, operationId);
            if (taken != 1) {
                return Optional.empty();
            }
            String credentialId;
            try (PreparedStatement ps = c.prepareStatement("SELECT credential_id FROM operation WHERE id = ?")) {
                ps.setString(1, operationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    credentialId = rs.getString(1);
                }
            }
            long fence = fence(c, credentialId);
            update(c, "UPDATE operation SET fence = ? WHERE id = ?", fence, operationId);
            return Optional.of(new Lease(operationId, credentialId, fence));
        });
    }

    @Override
    public void abandon(Lease lease) {
        transaction("abandon operation", c -> update(c, "UPDATE credential SET lease_until = ? WHERE id = ? AND "
                + "lease_holder = ? AND fence = ?", Timestamp.from(Instant.EPOCH), lease.credentialId(),
                lease.operationId(), lease.fence()));
    }

    @Override
    public Optional<LeaseState> lease(String credentialId) {
        try (Connection c = database.connection()) {
            return leaseState(c, credentialId);
        } catch (SQLException e) {
            throw new LedgerException("read lease", e);
        }
    }

    @Override
    public void journalResources(Lease lease, List<ResourceRef> resources, Instant now) {
        // one conditional UPDATE of the journal row, which carries its holder's fence: a takeover
        // raises it in the same transaction as the credential's, so a zombie's write matches no row
        try (Connection c = database.connection()) {
            if (update(c, "UPDATE operation SET resources = ?, updated_at = ? WHERE id = ? AND status = 'IN_PROGRESS' "
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
        transaction("erase personal data", c -> {
            update(c, "UPDATE credential SET app_id = ?, app_name = ?, developer = ? WHERE id = ? AND status IN "
                    + "('REVOKED', 'ROLLED_BACK')", erased, Ledger.ERASED, Ledger.ERASED, ended.id());
            return update(c, "UPDATE audit_record SET app_id = ?, app_name = ?, developer = ? WHERE credential_id = ? "
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
        transaction(transition.step(), c -> {
            // a failed operation leaves the credential as it was: only its lease is released
            StringBuilder sql = new StringBuilder("UPDATE credential SET lease_holder = NULL, lease_kind = NULL, "
                    + "lease_until = NULL");
            List<Object> args = new java.util.ArrayList<>();
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
                args.addAll(java.util.Arrays.asList(values));
            }
            sql.append(" WHERE id = ? AND lease_holder = ? AND fence = ?");
            args.addAll(List.of(lease.credentialId(), lease.operationId(), lease.fence()));
            if (transition.from() != null) {
                sql.append(" AND status = ?");
                args.add(transition.from().name());
            }
            if (update(c, sql.toString(), args.toArray()) != 1) {
                throw new LeaseLost(transition.step(), lease);
            }
            int rows = update(c, "UPDATE operation SET status = ?, error = ?, updated_at = ?, finished_at = ? "
                            + "WHERE id = ? AND status = 'IN_PROGRESS' AND fence = ?", transition.operation().name(),
                    Transition.error(error), Timestamp.from(now), Timestamp.from(now), lease.operationId(), lease.fence());
            if (rows != 1) {
                throw new LeaseLost(transition.step(), lease);
            }
            return null;
        });
    }

    private static LeaseRefused refusal(Connection c, String credentialId) throws SQLException {
        CredentialRecord.Status status = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM credential WHERE id = ?")) {
            ps.setString(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    status = CredentialRecord.Status.valueOf(rs.getString(1));
                }
            }
        }
        return new LeaseRefused(credentialId, status, leaseState(c, credentialId).orElse(null));
    }

    private static Optional<LeaseState> leaseState(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lease_holder, lease_kind, fence, CASE WHEN lease_until "
                + "< CURRENT_TIMESTAMP THEN 1 ELSE 0 END FROM credential WHERE id = ? AND lease_holder IS NOT NULL")) {
            ps.setString(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LeaseState(rs.getString(1), Operation.Kind.valueOf(rs.getString(2)),
                        rs.getLong(3), rs.getInt(4) == 1)) : Optional.empty();
            }
        }
    }

    private static long fence(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fence FROM credential WHERE id = ?")) {
            ps.setString(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void insertOperation(Connection c, String id, Operation.Kind kind, String credentialId,
                                        List<ResourceRef> resources, long fence, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operation (id, kind, credential_id, status, "
                + "resources, started_at, updated_at, fence) VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?)")) {
            JdbcReads.bind(ps, java.util.Arrays.asList(id, kind.name(), credentialId, Json.write(resources), Timestamp.from(now),
                    Timestamp.from(now), fence));
            ps.executeUpdate();
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            JdbcReads.bind(ps, java.util.Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T transaction(String step, SqlWork<T> work) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException(step, e);
        }
    }
}
