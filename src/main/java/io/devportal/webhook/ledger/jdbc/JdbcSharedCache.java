package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;
import io.devportal.webhook.ledger.LedgerException;
import io.devportal.webhook.model.SharedCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The shared cache in table {@code shared_cache} (V7): one row per key, replaced in place. */
@ApplicationScoped
@Typed(JdbcSharedCache.class)
public class JdbcSharedCache implements SharedCache {
    private static final String SQLSTATE_UNIQUE = "23505";

    @Inject
    Database database;

    @Override
    public Optional<Entry> get(String key) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT cache_value, stored_at FROM shared_cache WHERE cache_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Entry(rs.getString(1), rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("read the shared cache", e);
        }
    }

    @Override
    public void put(String key, String value, Instant storedAt) {
        try (Connection c = database.connection()) {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE shared_cache SET cache_value = ?, stored_at = ? WHERE cache_key = ?")) {
                update.setString(1, value);
                update.setTimestamp(2, Timestamp.from(storedAt));
                update.setString(3, key);
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO shared_cache (cache_key, cache_value, stored_at) VALUES (?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, value);
                insert.setTimestamp(3, Timestamp.from(storedAt));
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!SQLSTATE_UNIQUE.equals(e.getSQLState())) {
                    throw e;
                }
                // another instance stored the same answer at the same moment: theirs is as good
            }
        } catch (SQLException e) {
            throw new LedgerException("write the shared cache", e);
        }
    }

    @Override
    public void remove(String key) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM shared_cache WHERE cache_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("forget a shared cache entry", e);
        }
    }
}
