package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;
import io.devportal.webhook.ledger.LedgerException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/** The JDBC ledger's statements: a checked UPDATE, and one short transaction committed before it returns. */
final class JdbcSql {
    /** {@code CURRENT_TIMESTAMP} plus a number of milliseconds: the same SQL on H2 and PostgreSQL. */
    static final String DB_NOW_PLUS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    private JdbcSql() {
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            JdbcReads.bind(ps, Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    static <T> T transaction(Database database, String step, SqlWork<T> work) {
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
