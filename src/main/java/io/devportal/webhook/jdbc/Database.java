package io.devportal.webhook.jdbc;

import io.agroal.api.AgroalDataSource;
import io.devportal.webhook.config.DataDirectory;
import io.devportal.webhook.config.DatabaseSelection;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The active datasource: H2 by default, PostgreSQL when the JDBC URL says so. Every commit made
 * through it is durable when it returns, so that a 2xx is only sent for what survives a kill -9:
 * <ul>
 * <li>H2 writes a commit to its file lazily by default (WRITE_DELAY, 500 ms): here it is set to 0
 * at start-up, whatever the URL says, so each commit is written to the file before it returns.
 * Its trace file is switched off (TRACE_LEVEL_FILE 0): SQL errors reach the log through the
 * exceptions, and no second file holds app names. The data directory and the database files are
 * made owner-only.</li>
 * <li>PostgreSQL: each new connection turns {@code synchronous_commit} back on if the server, the
 * database or the role set it off ({@code quarkus.datasource."postgresql".jdbc.new-connection-sql});
 * checked here at start-up.</li>
 * </ul>
 * Created at start-up, before the first request.
 */
@ApplicationScoped
@Startup
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);

    private final javax.sql.DataSource dataSource;

    @Inject
    public Database(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
             @ConfigProperty(name = "webhook.data-dir", defaultValue = "./data") String dataDir,
             @ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc") String ledger,
             Instance<AgroalDataSource> embedded,
             @DataSource(DatabaseSelection.POSTGRESQL) Instance<AgroalDataSource> postgres) {
        if (!"jdbc".equalsIgnoreCase(ledger)) {
            // another ledger is chosen (DynamoDB): no datasource is active, and none is opened
            this.dataSource = null;
            return;
        }
        boolean pg = DatabaseSelection.isPostgres(url.orElse(null));
        this.dataSource = pg ? postgres.get() : embedded.get();
        if (pg) {
            checkPostgres();
        } else {
            makeH2Durable();
            h2File(url.orElse("")).ifPresent(file -> restrictFiles(file, Path.of(dataDir)));
        }
    }

    public Connection connection() throws SQLException {
        if (dataSource == null) {
            throw new IllegalStateException("the JDBC database is not in use: webhook.ledger is not jdbc");
        }
        return dataSource.getConnection();
    }

    private void makeH2Durable() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
            s.execute("SET TRACE_LEVEL_FILE 0");
            String delay = setting(s, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                    + "WHERE SETTING_NAME = 'WRITE_DELAY'");
            if (delay != null && !delay.equals("0")) {
                throw new IllegalStateException("H2 kept WRITE_DELAY=" + delay + "; commits would not be durable");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the H2 ledger write each commit at once (SET WRITE_DELAY 0 "
                    + "needs the database's admin user): " + e.getMessage(), e);
        }
    }

    private void checkPostgres() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String sync = setting(s, "SHOW synchronous_commit");
            if ("off".equals(sync)) {
                throw new IllegalStateException("synchronous_commit is off on the ledger's connections");
            }
            if ("off".equals(setting(s, "SHOW fsync"))) {
                LOG.warn("the PostgreSQL server runs with fsync=off: commits survive a crash of this service, "
                        + "not a crash of the database host");
            }
        } catch (SQLException e) {
            // the database may be down at start; health and every request report it
            LOG.warnf("could not check the PostgreSQL session settings at start-up: %s", e.getMessage());
        }
    }

    private static String setting(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The file an embedded H2 URL names (without .mv.db), if it names one. */
    static Optional<Path> h2File(String url) {
        String rest = url.startsWith("jdbc:h2:") ? url.substring("jdbc:h2:".length()) : null;
        if (rest == null || rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:")) {
            return Optional.empty();
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        int semicolon = rest.indexOf(';');
        String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /**
     * The data directory becomes owner-only, and so do the H2 files. The directory of the H2 file
     * is changed only when it is the data directory: a URL may point anywhere (/tmp...).
     */
    private static void restrictFiles(Path h2, Path dataDir) {
        try {
            Path dir = h2.toAbsolutePath().normalize().getParent();
            if (dir != null && dir.equals(dataDir.toAbsolutePath().normalize())) {
                DataDirectory.restrict(dir);
            }
            String name = h2.getFileName().toString();
            for (String suffix : new String[] {".mv.db", ".trace.db", ".lock.db"}) {
                DataDirectory.restrictFile(h2.resolveSibling(name + suffix));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + h2 + " and its directory owner-only: " + e.getMessage(), e);
        }
    }
}
