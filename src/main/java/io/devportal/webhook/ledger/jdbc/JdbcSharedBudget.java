package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.model.SharedBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** The shared budget in table {@code shared_budget} (V8): one conditional UPDATE, or a short transaction holding the row's lock. */
@ApplicationScoped
@Typed(JdbcSharedBudget.class)
public class JdbcSharedBudget implements SharedBudget {
    private static final String SQLSTATE_UNIQUE = "23505";

    @Inject
    Database database;

    /**
     * An idle budget (its stored time not after now: the common case of a single create) is
     * reserved by one conditional UPDATE in its own commit; a busy one, or a key never written, in a
     * short transaction that holds the row's lock.
     */
    @Override
    public Grant reserve(String key, int calls, Rate rate, Instant now, Duration maxWait) {
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Grant idle = SharedBudget.decide(t, calls, rate, now, maxWait);
        if (idle.granted()) {
            try (Connection c = database.connection();
                 PreparedStatement ps = c.prepareStatement("UPDATE shared_budget SET tat = ? WHERE budget_key = ? AND tat <= ?")) {
                c.setAutoCommit(true);
                ps.setLong(1, idle.tat());
                ps.setString(2, key);
                ps.setLong(3, t);
                if (ps.executeUpdate() == 1) {
                    return idle;
                }
            } catch (SQLException e) {
                throw new LedgerException("reserve AWS calls in the shared budget", e);
            }
        }
        for (int attempt = 0; ; attempt++) {
            try (Connection c = database.connection()) {
                c.setAutoCommit(false);
                try {
                    Grant grant = reserve(c, key, calls, rate, now, maxWait);
                    c.commit();
                    return grant;
                } catch (SQLException e) {
                    c.rollback();
                    if (!SQLSTATE_UNIQUE.equals(e.getSQLState()) || attempt >= 3) {
                        throw e;
                    }
                    // another instance made the row first: take it as they left it
                }
            } catch (SQLException e) {
                throw new LedgerException("reserve AWS calls in the shared budget", e);
            }
        }
    }

    /** One conditional UPDATE (or, for a key never written, an INSERT); never moves the row back. */
    @Override
    public void pushBack(String key, long tat) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(true);
            if (pushBack(c, key, tat) > 0) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shared_budget (tat, budget_key) VALUES (?, ?)")) {
                ps.setLong(1, tat);
                ps.setString(2, key);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!SQLSTATE_UNIQUE.equals(e.getSQLState())) {
                    throw e;
                }
                pushBack(c, key, tat);  // another instance made the row first
            }
        } catch (SQLException e) {
            throw new LedgerException("push back the shared budget", e);
        }
    }

    private static int pushBack(Connection c, String key, long tat) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE shared_budget SET tat = ? WHERE budget_key = ? AND tat < ?")) {
            ps.setLong(1, tat);
            ps.setString(2, key);
            ps.setLong(3, tat);
            int updated = ps.executeUpdate();
            if (updated > 0) {
                return updated;
            }
        }
        // not updated: the row is already later (nothing to do) or there is no row yet
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM shared_budget WHERE budget_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? 1 : 0;
            }
        }
    }

    private static Grant reserve(Connection c, String key, int calls, Rate rate, Instant now, Duration maxWait)
            throws SQLException {
        Long stored = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT tat FROM shared_budget WHERE budget_key = ? FOR UPDATE")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    stored = rs.getLong(1);
                }
            }
        }
        Grant grant = SharedBudget.decide(stored == null ? 0 : stored, calls, rate, now, maxWait);
        if (!grant.granted()) {
            return grant;
        }
        String sql = stored == null ? "INSERT INTO shared_budget (tat, budget_key) VALUES (?, ?)"
                : "UPDATE shared_budget SET tat = ? WHERE budget_key = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, grant.tat());
            ps.setString(2, key);
            ps.executeUpdate();
        }
        return grant;
    }
}
