package io.devportal.webhook.cli;

import io.devportal.webhook.config.DatabaseSelection;
import io.devportal.webhook.jdbc.Database;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Backs up the embedded H2 ledger to FILE: a zip-compressed SQL script of one consistent "
                + "snapshot (H2's SCRIPT), restored into an empty database with H2's RunScript (docs/operate.md). "
                + "Keep <data-dir>/local-encryption.key with it (the local provider's secrets need it).",
                "H2 allows one process per database file: stop the service first. PostgreSQL is backed up with "
                        + "pg_dump, DynamoDB with point-in-time recovery (docs/operate.md)."})
public class BackupCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the backup to write (it must not exist)")
    Path file;

    @CommandLine.Mixin
    Output output;

    @ConfigProperty(name = "webhook.ledger", defaultValue = "jdbc")
    String ledger;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;

    @Inject
    Instance<Database> database;

    @Override
    public Integer call() throws SQLException {
        if (!"jdbc".equalsIgnoreCase(ledger.strip())) {
            throw new CliException("unsupported", "the DynamoDB ledger is backed up by the table's point-in-time "
                    + "recovery, not by this command (docs/operate.md)");
        }
        if (DatabaseSelection.isPostgres(url.orElse(null))) {
            throw new CliException("unsupported", "a PostgreSQL ledger is backed up with pg_dump or the server's "
                    + "point-in-time recovery, not by this command (docs/operate.md)");
        }
        Path target = file.toAbsolutePath();
        if (Files.exists(target)) {
            throw new CliException("exists", JsonOutput.text(target) + " exists already: choose a new file");
        }
        try (Connection c = database.get().connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // one snapshot of every table, whatever commits meanwhile
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
            }
            try (PreparedStatement script = c.prepareStatement("SCRIPT TO ? COMPRESSION ZIP")) {
                script.setString(1, target.toString());
                script.execute();
            }
            c.rollback();
        }
        long bytes = new java.io.File(target.toString()).length();
        output.print(Map.of("file", target.toString(), "bytes", bytes), out -> out.println("backed up the H2 "
                + "ledger to " + JsonOutput.text(target) + " (" + bytes + " bytes); keep local-encryption.key with it"));
        return Cli.OK;
    }
}
