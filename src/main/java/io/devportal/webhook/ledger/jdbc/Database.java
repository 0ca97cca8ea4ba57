package io.devportal.webhook.ledger.jdbc;

import io.agroal.api.AgroalDataSource;
import io.devportal.webhook.config.DatabaseSelection;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** The active datasource: H2 by default, PostgreSQL when the JDBC URL says so. */
@ApplicationScoped
public class Database {

    private final javax.sql.DataSource dataSource;

    @Inject
    Database(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
             Instance<AgroalDataSource> embedded,
             @DataSource(DatabaseSelection.POSTGRESQL) Instance<AgroalDataSource> postgres) {
        this.dataSource = DatabaseSelection.isPostgres(url.orElse(null)) ? postgres.get() : embedded.get();
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }
}
