package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;

import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.ledger.AsciiCase;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialQuery;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The JDBC ledger's queries and its audit trail: reads, and the append-only audit insert. */
final class JdbcReads {
    static final TypeReference<List<ApiAccess>> APIS = new TypeReference<>() { };
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    static final TypeReference<List<ResourceRef>> RESOURCES = new TypeReference<>() { };
    static final String CREDENTIAL_COLUMNS = "id, credential_type, hybrid, provider, app_id, app_name, "
            + "developer, api_key_id, client_id, apis, scopes, resources, status, created_at, updated_at, revoked_at";
    static final String OPERATION_COLUMNS = "o.id, o.kind, o.credential_id, o.status, o.resources, o.started_at";

    private JdbcReads() {
    }

    static Optional<CredentialRecord> queryOne(Database database, String step, String sql, String arg) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(credential(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException(step, e);
        }
    }

    static List<Operation> operations(Database database, String step, String sql, Object... args) {
        List<Operation> result = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, java.util.Arrays.asList(args));
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
    static List<CredentialRecord> list(Database database, CredentialQuery query) {
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
                    CredentialRecord record = credential(rs);
                    if (query.developer() == null || AsciiCase.lower(query.developer()).equals(AsciiCase.lower(record.developer()))) {
                        result.add(record);
                    }
                }
            }
            return result;
        } catch (SQLException e) {
            throw new LedgerException("list credentials", e);
        }
    }

    static void appendAudit(Database database, AuditRecord record) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record (id, recorded_at, operation, outcome, "
                     + "credential_id, api_key_id, client_id, app_id, app_name, developer, resources, account, "
                     + "client_address, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, java.util.Arrays.asList(record.id(), Timestamp.from(record.at()), record.operation(), record.outcome()));
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
    static List<AuditRecord> audit(Database database, AuditRecord.Query query) {
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

    static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    static CredentialRecord credential(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp(16);
        return new CredentialRecord(rs.getString(1), CredentialKind.valueOf(rs.getString(2)), rs.getBoolean(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), Json.read(rs.getString(10), APIS), Json.read(rs.getString(11), STRINGS),
                Json.read(rs.getString(12), RESOURCES), CredentialRecord.Status.valueOf(rs.getString(13)),
                rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
