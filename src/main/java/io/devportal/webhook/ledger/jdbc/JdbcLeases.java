package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.config.Ids;
import io.devportal.webhook.jdbc.Database;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.LeaseState;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.ResourceRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC ledger's leases: each taken in one transaction with the journal row of the operation that
 * holds it, by a conditional UPDATE whose row count is checked (from nobody, or from an expired holder
 * by {@link #takeOver}). Leases expire in database time ({@code CURRENT_TIMESTAMP}), so instances
 * whose clocks disagree still agree on who holds a credential.
 */
final class JdbcLeases {
    private static final String SQLSTATE_UNIQUE = "23505";
    /** How often a begin is tried whose compare lost only to a lease taken and released meanwhile. */
    private static final int MAX_BEGIN_ATTEMPTS = 5;

    private final Database database;

    JdbcLeases(Database database) {
        this.database = database;
    }

    Optional<Lease> beginCreate(CredentialRecord pending, Duration leaseFor, Instant now) {
        String operationId = Ids.uuid();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential (id, credential_type, hybrid, "
                        + "provider, app_id, live_app_hash, app_name, developer, apis, usage_plans, scopes, resources, "
                        + "status, created_at, updated_at, lease_holder, lease_kind, fence, lease_until, lease_since) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 'PENDING', ?, ?, ?, 'CREATE', 1, " + JdbcSql.DB_NOW_PLUS
                        + ", CURRENT_TIMESTAMP)")) {
                    JdbcReads.bind(ps, Arrays.asList(pending.id(), pending.kind().name(), pending.hybrid(), pending.provider(),
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

    /**
     * The compare-and-set of {@link Ledger#beginOperation}: the journal row starts with {@code resources},
     * or (null) with the credential's resources as read on the row this transaction has just locked.
     */
    Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                         List<ResourceRef> resources, Duration leaseFor, Instant now) {
        String operationId = Ids.uuid();
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry = attempt < MAX_BEGIN_ATTEMPTS;
            Optional<Lease> lease = JdbcSql.transaction(database, "begin operation", c -> {
                int granted = JdbcSql.update(c, "UPDATE credential SET lease_holder = ?, lease_kind = ?, fence = fence + 1, "
                                + "lease_until = " + JdbcSql.DB_NOW_PLUS + ", lease_since = CURRENT_TIMESTAMP WHERE id = ? AND status = ? "
                                + "AND lease_holder IS NULL",
                        operationId, kind.name(), leaseFor.toMillis(), credentialId, expected.name());
                if (granted != 1) {
                    LeaseRefused refused = refusal(c, credentialId);
                    // H2 evaluates a row that another transaction was releasing against the version it
                    // read before waiting for it: the lease may be free by now, so ask again
                    boolean releasedMeanwhile = !refused.busy() && refused.status().orElse(null) == expected;
                    if (releasedMeanwhile && mayRetry) {
                        return Optional.empty();
                    }
                    // still losing to leases taken and released meanwhile: busy, never "not in expected"
                    throw releasedMeanwhile ? LeaseRefused.contended(credentialId, expected) : refused;
                }
                Granted row = granted(c, credentialId);
                insertOperation(c, operationId, kind, credentialId, resources != null ? resources : row.resources(),
                        row.fence(), now);
                return Optional.of(new Lease(operationId, credentialId, row.fence()));
            });
            if (lease.isPresent()) {
                return lease.get();
            }
        }
    }

    /** The locked credential row's fence and resources, as the lease just granted finds them. */
    private record Granted(long fence, List<ResourceRef> resources) {
    }

    private static Granted granted(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fence, resources FROM credential WHERE id = ?")) {
            ps.setString(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Granted(rs.getLong(1), Json.read(rs.getString(2), JdbcReads.RESOURCES));
            }
        }
    }

    Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now) {
        return JdbcSql.transaction(database, "take over operation", c -> {
            // the holder's expired lease, or (rows of a version before leases) a credential never leased
            // (fence 0) whose operation was left in progress. Re-checked on the locked row: a lease
            // released by a completion leaves fence > 0, so this never wins against a finished one.
            int taken = JdbcSql.update(c, "UPDATE credential SET lease_holder = ?, lease_kind = (SELECT kind FROM operation "
                    + "WHERE id = ?), fence = fence + 1, lease_until = " + JdbcSql.DB_NOW_PLUS + ", lease_since = "
                    + "CURRENT_TIMESTAMP WHERE id = (SELECT credential_id FROM operation WHERE id = ? AND status = 'IN_PROGRESS') AND ((lease_holder = ? "
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
            JdbcSql.update(c, "UPDATE operation SET fence = ? WHERE id = ?", fence, operationId);
            return Optional.of(new Lease(operationId, credentialId, fence));
        });
    }

    void abandon(Lease lease) {
        JdbcSql.transaction(database, "abandon operation", c -> JdbcSql.update(c, "UPDATE credential SET lease_until = ? WHERE id = ? AND "
                + "lease_holder = ? AND fence = ?", Timestamp.from(Instant.EPOCH), lease.credentialId(),
                lease.operationId(), lease.fence()));
    }

    Optional<LeaseState> lease(String credentialId) {
        try (Connection c = database.connection()) {
            return leaseState(c, credentialId);
        } catch (SQLException e) {
            throw new LedgerException("read lease", e);
        }
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

    /** The holder, its times measured against the database's own clock in the same read. */
    private static Optional<LeaseState> leaseState(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lease_holder, lease_kind, fence, CASE WHEN lease_until "
                + "< CURRENT_TIMESTAMP THEN 1 ELSE 0 END, lease_since, lease_until, CURRENT_TIMESTAMP FROM credential "
                + "WHERE id = ? AND lease_holder IS NOT NULL")) {
            ps.setString(1, credentialId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant since = instant(rs, 5);
                Instant until = instant(rs, 6);
                Instant dbNow = instant(rs, 7);
                return Optional.of(new LeaseState(rs.getString(1), Operation.Kind.valueOf(rs.getString(2)),
                        rs.getLong(3), rs.getInt(4) == 1, since == null ? null : Duration.between(since, dbNow),
                        until == null ? Duration.ZERO : Duration.between(dbNow, until)));
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
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
            JdbcReads.bind(ps, Arrays.asList(id, kind.name(), credentialId, Json.write(resources), Timestamp.from(now),
                    Timestamp.from(now), fence));
            ps.executeUpdate();
        }
    }
}
