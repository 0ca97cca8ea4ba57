package io.devportal.webhook.support;

import io.devportal.webhook.jdbc.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** Direct reads of the service's database, for assertions. */
@ApplicationScoped
public class Db {
    @Inject
    Database database;

    /** The first column of the first row, as text; null when there is no row. */
    public String string(String sql, Object... args) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a write (to simulate a ledger that lost rows); returns the rows changed. */
    public int update(String sql, Object... args) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value of every row of a table, as one text, for "no secret stored" checks. */
    public String dump(String table) {
        StringBuilder out = new StringBuilder();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
