package io.devportal.webhook.cli;

import io.agroal.api.AgroalDataSource;
import io.devportal.webhook.config.DatabaseSelection;
import io.devportal.webhook.support.MotoPostgresResource;
import io.devportal.webhook.support.PostgresResource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RestoreContract} on PostgreSQL, as docs/operate.md says: {@code pg_dump -Fc} while the
 * service runs, then {@code pg_restore --clean --if-exists} over the live database (the pool's
 * connections are flushed after it, as a restart would).
 */
@QuarkusTest
@QuarkusTestResource(value = MotoPostgresResource.class, restrictToAnnotatedClass = true)
class RestorePostgresTest extends RestoreContract {

    @Inject
    @DataSource(DatabaseSelection.POSTGRESQL)
    jakarta.enterprise.inject.Instance<AgroalDataSource> dataSource;

    @Override
    void backup(Path file) throws Exception {
        run("pg_dump", "-Fc", "-f", file.toString());
    }

    @Override
    void restore(Path file) throws Exception {
        run("pg_restore", "--clean", "--if-exists", "--single-transaction", file.toString());
        dataSource.get().flush(AgroalDataSource.FlushMode.GRACEFUL);
    }

    @org.junit.jupiter.api.Test
    void theBackupCommandRefusesPostgresqlAndNamesPgDump() {
        CliRunner.Result refused = cli("backup", "/tmp/never-written.zip");
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals("error: unsupported: a PostgreSQL ledger is backed up with pg_dump or the server's point-in-time "
                + "recovery, not by this command (docs/operate.md)\n", refused.err());
        assertEquals("", refused.out());
    }

    private static void run(String tool, String... args) throws Exception {
        URI uri = URI.create(MotoPostgresResource.url().substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of(PostgresResource.binaries().orElseThrow().resolve(tool)
                .toString(), "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", "postgres",
                "-d", uri.getPath().substring(1)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    }
}
