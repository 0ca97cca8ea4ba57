package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for the ledger's PostgreSQL tests: initdb into a temporary
 * directory and pg_ctl start on a free port, from the machine's PostgreSQL server binaries
 * (src/test/scripts/ensure-test-tools.sh installs them where they are missing and it may).
 * As root, the server runs as the postgres user, since PostgreSQL refuses to run as root.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private Path dataDir;
    private Path bin;

    /** The directory holding initdb and pg_ctl, if this machine has a PostgreSQL server. */
    public static Optional<Path> binaries() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions == null) {
            return Optional.empty();
        }
        return Arrays.stream(versions).map(v -> v.toPath().resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .max(Comparator.naturalOrder());
    }

    @Override
    public Map<String, String> start() {
        bin = binaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server under /usr/lib/postgresql: install the postgresql package"));
        int port = ChildServer.freePort();
        try {
            dataDir = Files.createTempDirectory("webhook-pg-");
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dataDir.toString()), false);
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync"), true);
            // synchronous_commit=off as the server's default: the service must turn it on for its sessions
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-l",
                    dataDir.resolve("server.log").toString(), "-o",
                    "-p " + port + " -h 127.0.0.1 -k " + dataDir + " -F -c synchronous_commit=off", "start"), true);
        } catch (IOException | RuntimeException e) {
            stop();
            throw new IllegalStateException("cannot start PostgreSQL", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres");
    }

    /** Stops the server and deletes its data directory (about 40 MB), whatever happened in the tests. */
    @Override
    public void stop() {
        if (dataDir == null) {
            return;
        }
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w",
                        "stop"), true);
            }
        } finally {
            deleteTree(dataDir);
            dataDir = null;
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean asPostgres) {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
