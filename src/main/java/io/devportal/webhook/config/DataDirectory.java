package io.devportal.webhook.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory ({@code webhook.data-dir}) holds the H2 ledger (app names, e-mails) and the
 * local encryption key: it is the owner's only. The directory is made {@code rwx------} and every
 * file directly in it {@code rw-------}, which also covers files H2 creates later (they are
 * unreachable through the directory). On a file system without POSIX permissions nothing is
 * changed.
 */
public final class DataDirectory {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    public static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the directory (and its parents) if needed, and makes it owner-only. */
    public static Path ensurePrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (posix()) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it: the permissions are set below
                }
            } else {
                Files.createDirectories(dir);
            }
        }
        if (posix()) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
        return dir;
    }

    /** Makes the directory owner-only and every regular file directly in it owner read/write only. */
    public static void restrict(Path dir) throws IOException {
        ensurePrivate(dir);
        if (!posix()) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                restrictFile(f);
            }
        }
    }

    /**
     * Writes {@code file} (directly in an owner-only directory, made if needed) readable and writable
     * by its owner only, replacing it whole: the text goes into an owner-only temporary file first,
     * which is then moved over the name in one step.
     */
    public static Path writePrivate(Path file, String text) throws IOException {
        Path dir = ensurePrivate(file.toAbsolutePath().getParent());
        Path temporary = posix()
                ? Files.createTempFile(dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(dir, ".tmp-", "");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return file;
    }

    /** One file owner read/write only, if it exists. */
    public static void restrictFile(Path file) throws IOException {
        if (posix() && Files.isRegularFile(file)) {
            try {
                Files.setPosixFilePermissions(file, FILE);
            } catch (java.nio.file.NoSuchFileException gone) {
                // a temporary file that H2 removed meanwhile
            }
        }
    }
}
