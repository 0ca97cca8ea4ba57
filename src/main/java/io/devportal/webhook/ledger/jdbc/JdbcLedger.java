package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Json;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;

import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger on a relational database (H2 file by default, PostgreSQL by JDBC URL). Each method
 * is one short transaction, committed durably before it returns; none takes or returns a secret.
 */
@ApplicationScoped
@Typed(JdbcLedger.class)
public class JdbcLedger implements Ledger {

    private static final TypeReference<List<ApiAccess>> APIS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<ResourceRef>> RESOURCES = new TypeReference<>() { };
    private static final String CREDENTIAL_COLUMNS = "id, credential_type, hybrid, provider, app_id, app_name, "
            + "developer, api_key_id, client_id, apis, scopes, resources, status, created_at, updated_at, revoked_at";
    private static final String SQLSTATE_UNIQUE = "23505";

    @Inject
    Database database;

    /** The pending or active credential of an app, if any. */
    @Override
    public Optional<CredentialRecord> findLive(String appId) {
        return queryOne("find live credential",
                "SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE live_app_hash = ?", Ledger.appHash(appId));
    }

    @Override
    public Optional<CredentialRecord> find(String credentialId) {
        return queryOne("find credential", "SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE id = ?",
                credentialId);
    }

    /**
     * The newest active or revoked credential that the portal knows by this id. Pending and
     * rolled-back ones are never returned: the portal cannot hold their ids.
     */
    @Override
    public Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId) {
        String column = kind == CredentialKind.API_KEY ? "api_key_id" : "client_id";
        return queryOne("find credential by id", "SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE "
                + column + " = ? AND status IN ('ACTIVE', 'REVOKED') ORDER BY created_at DESC", externalId);
    }

    /**
     * Writes the intent of a create: a pending credential that claims the app, and its journal
     * row. Returns the operation id, or empty when another credential of the app is live.
     */
    @Override
    public Optional<String> beginCreate(CredentialRecord pending, Instant now) {
        String operationId = UUID.randomUUID().toString();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential (id, credential_type, hybrid, "
                        + "provider, app_id, live_app_hash, app_name, developer, apis, usage_plans, scopes, resources, "
                        + "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)")) {
                    ps.setString(1, pending.id());
                    ps.setString(2, pending.kind().name());
                    ps.setBoolean(3, pending.hybrid());
                    ps.setString(4, pending.provider());
                    ps.setString(5, pending.appId());
                    ps.setString(6, Ledger.appHash(pending.appId()));
                    ps.setString(7, pending.appName());
                    ps.setString(8, pending.developer());
                    ps.setString(9, Json.write(pending.apis()));
                    ps.setString(10, Json.write(ApiAccess.usagePlansOf(pending.apis())));
                    ps.setString(11, Json.write(pending.scopes()));
                    ps.setString(12, "[]");
                    ps.setTimestamp(13, Timestamp.from(now));
                    ps.setTimestamp(14, Timestamp.from(now));
                    ps.executeUpdate();
                }
                insertOperation(c, operationId, Operation.Kind.CREATE, pending.id(), now);
                c.commit();
                return Optional.of(operationId);
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

    /** Writes the intent of an update or revoke of an existing credential. */
    @Override
    public String beginOperation(Operation.Kind kind, String credentialId, List<ResourceRef> resources, Instant now) {
        String operationId = UUID.randomUUID().toString();
        // one transaction, one durable commit: the row never exists without its resources
        transaction("begin operation", c -> {
            insertOperation(c, operationId, kind, credentialId, now);
            updateOperationResources(c, operationId, resources, now);
        });
        return operationId;
    }

    /** Journals the resources an operation has planned or made so far (the whole list each time). */
    @Override
    public void journalResources(String operationId, List<ResourceRef> resources, Instant now) {
        try (Connection c = database.connection()) {
            updateOperationResources(c, operationId, resources, now);
        } catch (SQLException e) {
            throw new LedgerException("journal resources", e);
        }
    }

    /** The create succeeded: the credential becomes active and its operation done. */
    @Override
    public void completeCreate(String operationId, String credentialId, String apiKeyId, String clientId,
                               List<String> scopes, List<ResourceRef> resources, Instant now) {
        transaction("complete create", c -> {
            update(c, "UPDATE credential SET status = 'ACTIVE', api_key_id = ?, client_id = ?, scopes = ?, "
                            + "resources = ?, updated_at = ? WHERE id = ?",
                    apiKeyId, clientId, Json.write(scopes), Json.write(resources), Timestamp.from(now), credentialId);
            finishOperation(c, operationId, Operation.Status.DONE, null, now);
        });
    }

    /** The create was undone: the credential releases its app and its operation is rolled back. */
    @Override
    public void rollBackCreate(String operationId, String credentialId, String error, Instant now) {
        transaction("roll back create", c -> {
            update(c, "UPDATE credential SET status = 'ROLLED_BACK', live_app_hash = NULL, updated_at = ? "
                    + "WHERE id = ?", Timestamp.from(now), credentialId);
            finishOperation(c, operationId, Operation.Status.ROLLED_BACK, error, now);
        });
    }

    /** The update succeeded: the ledger takes the new APIs, name, scopes and resources. */
    @Override
    public void completeUpdate(String operationId, String credentialId, String appName, String developer,
                               List<ApiAccess> apis, List<String> scopes, List<ResourceRef> resources, Instant now) {
        transaction("complete update", c -> {
            update(c, "UPDATE credential SET app_name = ?, developer = ?, apis = ?, usage_plans = ?, scopes = ?, "
                            + "resources = ?, updated_at = ? WHERE id = ?",
                    appName, developer, Json.write(apis), Json.write(ApiAccess.usagePlansOf(apis)), Json.write(scopes),
                    Json.write(resources), Timestamp.from(now), credentialId);
            finishOperation(c, operationId, Operation.Status.DONE, null, now);
        });
    }

    /** The revoke succeeded: the credential is revoked for good and releases its app. */
    @Override
    public void completeRevoke(String operationId, String credentialId, Instant now) {
        transaction("complete revoke", c -> {
            update(c, "UPDATE credential SET status = 'REVOKED', live_app_hash = NULL, revoked_at = ?, "
                    + "updated_at = ? WHERE id = ?", Timestamp.from(now), Timestamp.from(now), credentialId);
            finishOperation(c, operationId, Operation.Status.DONE, null, now);
        });
    }

    /** An update or revoke failed and left the credential as it was, or converging on retry. */
    @Override
    public void failOperation(String operationId, String error, Instant now) {
        transaction("fail operation", c -> finishOperation(c, operationId, Operation.Status.FAILED, error, now));
    }

    /** Operations still in progress that started before {@code startedBefore}: left by a crash. */
    @Override
    public List<Operation> staleOperations(Instant startedBefore) {
        return queryOperations("find stale operations", "status = 'IN_PROGRESS' AND started_at < ? ORDER BY started_at",
                Timestamp.from(startedBefore));
    }

    /** Journal rows of one credential, oldest first (for tests and audits). */
    @Override
    public List<Operation> operationsOf(String credentialId) {
        return queryOperations("list operations", "credential_id = ? ORDER BY started_at, id", credentialId);
    }

    private List<Operation> queryOperations(String step, String where, Object arg) {
        List<Operation> result = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, kind, credential_id, status, resources, started_at "
                     + "FROM operation WHERE " + where)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Operation(rs.getString(1), Operation.Kind.valueOf(rs.getString(2)),
                            rs.getString(3), Operation.Status.valueOf(rs.getString(4)),
                            Json.read(rs.getString(5), RESOURCES), rs.getTimestamp(6).toInstant()));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new LedgerException(step, e);
        }
    }

    /**
     * Credentials matching the query, oldest first. The developer is compared ignoring ASCII case
     * only (in Java: SQL's LOWER folds other letters too), so that filter runs after the query.
     */
    @Override
    public List<CredentialRecord> list(CredentialQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + CREDENTIAL_COLUMNS + " FROM credential WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.app() != null) {
            sql.append(" AND (app_id = ? OR app_name = ?)");
            args.add(query.app());
            args.add(query.app());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.kind() != null) {
            sql.append(" AND credential_type = ?");
            args.add(query.kind().name());
        }
        sql.append(" ORDER BY created_at, id");
        List<CredentialRecord> result = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && (query.limit() <= 0 || result.size() < query.limit())) {
                    CredentialRecord record = map(rs);
                    if (query.developer() == null || asciiLower(query.developer()).equals(asciiLower(record.developer()))) {
                        result.add(record);
                    }
                }
            }
            return result;
        } catch (SQLException e) {
            throw new LedgerException("list credentials", e);
        }
    }

    /** Appends one audit record in its own transaction; the table is never updated or deleted from. */
    @Override
    public void appendAudit(AuditRecord record) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record (id, recorded_at, operation, outcome, "
                     + "credential_id, api_key_id, client_id, app_id, app_name, developer, resources, account, "
                     + "client_address, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, List.of(record.id(), Timestamp.from(record.at()), record.operation(), record.outcome()));
            ps.setString(5, record.credentialId());
            ps.setString(6, record.apiKeyId());
            ps.setString(7, record.clientId());
            ps.setString(8, record.appId());
            ps.setString(9, record.appName());
            ps.setString(10, record.developer());
            ps.setString(11, Json.write(record.resources()));
            ps.setString(12, record.account());
            ps.setString(13, record.clientAddress());
            ps.setString(14, record.requestId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("append audit record", e);
        }
    }

    /**
     * Audit records matching the query, oldest first. With a limit, the newest {@code limit} of
     * them (the tail of the trail), still oldest first.
     */
    @Override
    public List<AuditRecord> audit(AuditRecord.Query query) {
        StringBuilder sql = new StringBuilder("SELECT id, recorded_at, operation, outcome, credential_id, api_key_id, "
                + "client_id, app_id, app_name, developer, resources, account, client_address, request_id "
                + "FROM audit_record WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.since() != null) {
            sql.append(" AND recorded_at >= ?");
            args.add(Timestamp.from(query.since()));
        }
        if (query.app() != null) {
            sql.append(" AND (app_id = ? OR app_name = ?)");
            args.add(query.app());
            args.add(query.app());
        }
        if (query.credentialId() != null) {
            sql.append(" AND credential_id = ?");
            args.add(query.credentialId());
        }
        sql.append(" ORDER BY recorded_at DESC, seq DESC");
        if (query.limit() > 0) {
            sql.append(" LIMIT ").append(query.limit());
        }
        List<AuditRecord> result = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new AuditRecord(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), Json.read(rs.getString(11), STRINGS),
                            rs.getString(12), rs.getString(13), rs.getString(14)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("read audit records", e);
        }
        Collections.reverse(result);
        return result;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    /** Lower case of ASCII letters only: the one folding an e-mail gets. */
    static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            out.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return out.toString();
    }

    private static void insertOperation(Connection c, String id, Operation.Kind kind, String credentialId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operation (id, kind, credential_id, status, "
                + "resources, started_at, updated_at) VALUES (?, ?, ?, 'IN_PROGRESS', '[]', ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, kind.name());
            ps.setString(3, credentialId);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    private static void updateOperationResources(Connection c, String operationId, List<ResourceRef> resources,
                                                 Instant now) throws SQLException {
        update(c, "UPDATE operation SET resources = ?, updated_at = ? WHERE id = ?",
                Json.write(resources), Timestamp.from(now), operationId);
    }

    private static void finishOperation(Connection c, String operationId, Operation.Status status, String error,
                                        Instant now) throws SQLException {
        update(c, "UPDATE operation SET status = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                status.name(), error == null ? null : truncate(error, 1000), Timestamp.from(now), Timestamp.from(now),
                operationId);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private void transaction(String step, SqlWork work) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException(step, e);
        }
    }

    private Optional<CredentialRecord> queryOne(String step, String sql, String arg) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException(step, e);
        }
    }

    private static CredentialRecord map(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp(16);
        return new CredentialRecord(rs.getString(1), CredentialKind.valueOf(rs.getString(2)), rs.getBoolean(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), Json.read(rs.getString(10), APIS), Json.read(rs.getString(11), STRINGS),
                Json.read(rs.getString(12), RESOURCES), CredentialRecord.Status.valueOf(rs.getString(13)),
                rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
