package io.devportal.webhook.cli;

import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RestoreContract} on the embedded H2: {@code backup FILE} (the CLI), then the restore of
 * docs/operate.md, H2's RUNSCRIPT of that file into an empty database (here the running service's,
 * emptied with DROP ALL OBJECTS, as a new database file would be).
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class RestoreH2Test extends RestoreContract {

    @Inject
    Db db;

    @Override
    void backup(Path file) {
        CliRunner.Result backup = cli("backup", file.toString());
        assertEquals(0, backup.exit(), backup.toString());
        assertTrue(backup.out().matches("backed up the H2 ledger to " + java.util.regex.Pattern.quote(file.toString())
                + " \\(\\d+ bytes\\); keep local-encryption.key with it\n"), backup.out());
        assertEquals("", backup.err());
    }

    @Override
    void restore(Path file) {
        db.update("DROP ALL OBJECTS");
        db.update("RUNSCRIPT FROM '" + file + "' COMPRESSION ZIP");
    }
}
