package io.devportal.webhook.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image as src/main/docker/Dockerfile.jvm and .dockerignore describe it (no Docker
 * engine here, so the files are read): the build context holds only target/quarkus-app, never
 * data/; the data directory is an absolute path, a volume, and owned by the uid the service runs as.
 */
class ContainerImageTest {
    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path DOCKERIGNORE = Path.of(".dockerignore");

    record Instruction(String keyword, String args) {
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    static List<Instruction> instructions() throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (line.strip().startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(line).toString().strip().replaceAll("\\s+", " ");
            pending.setLength(0);
            int space = whole.indexOf(' ');
            out.add(new Instruction(whole.substring(0, space), whole.substring(space + 1)));
        }
        return out;
    }

    static List<Instruction> all(String keyword) throws IOException {
        return instructions().stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    static String only(String keyword) throws IOException {
        List<Instruction> found = all(keyword);
        assertEquals(1, found.size(), keyword + ": " + found);
        return found.get(0).args();
    }

    /** Docker's .dockerignore rules: the last line that matches the path or a folder above it decides. */
    static boolean sentToTheBuild(String path) throws IOException {
        return sent(Files.readAllLines(DOCKERIGNORE), path);
    }

    static boolean sent(List<String> dockerignore, String path) {
        boolean sent = true;
        for (String line : dockerignore) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            pattern = (exception ? pattern.substring(1) : pattern).replaceAll("^/+|/+$", "");
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
                }
            }
            String[] parts = path.split("/");
            for (int n = 1; n <= parts.length; n++) {
                if (String.join("/", List.of(parts).subList(0, n)).matches(regex.toString())) {
                    sent = exception;
                    break;
                }
            }
        }
        return sent;
    }

    @Test
    void theBuildContextHoldsTheBuiltServiceAndNeitherDataNorSources() throws IOException {
        for (String kept : List.of("data", "data/webhook.mv.db", "data/local-encryption.key", "src/main/java/A.java",
                ".git/config", "target/function.zip", "target/lambda/function.zip", "target/test-data/webhook.mv.db",
                "README.md", "pom.xml")) {
            assertFalse(sentToTheBuild(kept), kept + " would be sent to the Docker build");
        }
        for (String sent : List.of("target/quarkus-app/quarkus-run.jar", "target/quarkus-app/lib/main/a.jar",
                "target/quarkus-app/app/devportal-webhook.jar", "target/quarkus-app/quarkus/quarkus-application.dat")) {
            assertTrue(sentToTheBuild(sent), sent + " would not be sent");
        }
        // every COPY source is in the context
        for (Instruction copy : all("COPY")) {
            String source = copy.args().split(" ")[0];
            assertTrue(source.startsWith("target/quarkus-app/"), copy.toString());
            assertTrue(sentToTheBuild(source.replace("*", "quarkus-run") + (source.endsWith("/") ? "x" : "")), copy.toString());
        }
    }

    @Test
    void theMatcherFollowsDockersRules() throws IOException {
        // the check above can fail: a path that no line excludes is sent; the last matching line wins
        List<String> ignore = List.of("target/", "!target/quarkus-app", "*.md", "docs/**/*.png", "!docs/keep.md");
        assertTrue(sent(ignore, "data/webhook.mv.db"));
        assertFalse(sent(ignore, "target/function.zip"));
        assertTrue(sent(ignore, "target/quarkus-app/lib/a.jar"));
        assertFalse(sent(ignore, "README.md"));
        assertTrue(sent(ignore, "docs/README.md"), "* does not cross a /");
        assertFalse(sent(ignore, "docs/a/b/c.png"));
        assertTrue(sent(ignore, "docs/keep.md"));
        assertTrue(sent(List.of(), "data/webhook.mv.db"), "without a .dockerignore everything is sent");
    }

    @Test
    void theDataDirectoryIsAnAbsoluteVolumeOwnedByTheUidTheServiceRunsAs() throws IOException {
        String env = all("ENV").stream().map(Instruction::args).filter(a -> a.startsWith("WEBHOOK_DATA_DIR="))
                .findFirst().orElseThrow();
        assertTrue(env.matches("WEBHOOK_DATA_DIR=/\\S+"), "an absolute data directory: " + env);
        String dataDir = env.substring("WEBHOOK_DATA_DIR=".length());
        assertEquals("[\"" + dataDir + "\"]", only("VOLUME"));
        assertEquals("10001:10001", only("USER"), "run as uid and gid 10001, by number");
        String run = only("RUN");
        assertTrue(run.contains("groupadd --system --gid 10001 webhook"), run);
        assertTrue(run.contains("useradd --system --uid 10001 --gid 10001"), run);
        assertTrue(run.contains("mkdir -p /app " + dataDir), run);
        assertTrue(run.contains("chown 10001:10001 " + dataDir), run);
        assertTrue(run.contains("chmod 700 " + dataDir), run);
        // a named volume copies the image folder's owner only if the folder was set up before VOLUME
        List<String> order = instructions().stream().map(Instruction::keyword).toList();
        assertTrue(order.indexOf("RUN") < order.indexOf("VOLUME") && order.indexOf("VOLUME") < order.indexOf("USER"), order.toString());
        assertTrue(only("WORKDIR").startsWith("/"));
    }

    @Test
    void theApplicationIsReadOnlyForTheServiceAndStartsFromWhereItIsCopied() throws IOException {
        for (Instruction copy : all("COPY")) {
            assertFalse(copy.args().contains("--chown"), "the service's user must not own its code: " + copy);
        }
        assertTrue(all("COPY").stream().anyMatch(c -> c.args().equals("target/quarkus-app/*.jar /app/")));
        assertEquals("[\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/quarkus-run.jar\"]", only("ENTRYPOINT"));
        assertEquals("8080 9000", only("EXPOSE"));
    }

    @Test
    void theImageOpensTheManagementInterfaceForItsOrchestratorWhereTheServiceDefaultsToLoopback()
            throws IOException {
        assertTrue(all("ENV").stream().anyMatch(e -> e.args().equals("QUARKUS_MANAGEMENT_HOST=0.0.0.0")),
                all("ENV").toString());
        assertTrue(Files.readString(Path.of("src/main/resources/application.properties"))
                .contains("\nquarkus.management.host=127.0.0.1\n"));
    }
}
