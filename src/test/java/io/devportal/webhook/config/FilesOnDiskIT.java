package io.devportal.webhook.config;

import io.devportal.webhook.support.BuiltService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built service's files on disk: the data directory (the H2 ledger with app names and e-mails,
 * the local encryption key) is its owner's only, and a damaged key file stops the start.
 */
class FilesOnDiskIT {
    private static final String CREATE = "{\"appName\":\"Files app\",\"developer\":\"files@example.com\","
            + "\"apis\":[{\"id\":\"api1\"}]}";

    @TempDir
    Path work;

    @Test
    void theDataDirectoryIsOwnerOnlyAndEveryFileInItOwnerReadWriteOnly() throws Exception {
        Path data = work.resolve("data");
        try (BuiltService service = new BuiltService(data, work)) {
            service.start();
            assertEquals(200, service.post("/v1/createCredentials", CREATE).status());
            assertEquals(Map.of("data", "rwx------", "local-encryption.key", "rw-------",
                    "webhook.mv.db", "rw-------"), modes(data));
        }
    }

    @Test
    void anExistingInstallWithOpenPermissionsIsTightenedAtStart() throws Exception {
        Path data = work.resolve("data");
        try (BuiltService service = new BuiltService(data, work)) {
            service.start();
            assertEquals(200, service.post("/v1/createCredentials", CREATE).status());
            service.kill();
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String f : List.of("webhook.mv.db", "local-encryption.key")) {
                Files.setPosixFilePermissions(data.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
            service.start();
            assertEquals(Map.of("data", "rwx------", "local-encryption.key", "rw-------",
                    "webhook.mv.db", "rw-------"), modes(data));
        }
    }

    @Test
    void anEmptyKeyFileStopsTheStartWithAMessageNamingIt() throws Exception {
        Path data = Files.createDirectory(work.resolve("data"));
        Path key = Files.createFile(data.resolve("local-encryption.key"));
        try (BuiltService service = new BuiltService(data, work)) {
            int exit = service.startExpectingExit();
            assertNotEquals(0, exit);
            assertTrue(service.log().contains("the local encryption key file " + key + " is empty. It encrypts the "
                    + "secrets of the local provider"), service.log());
        }
    }

    /** The directory's mode and that of every file in it, by name. */
    private static Map<String, String> modes(Path dir) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        modes.put(dir.getFileName().toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                modes.put(f.getFileName().toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        }
        return modes;
    }
}
