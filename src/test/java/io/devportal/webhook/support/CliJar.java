package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin CLI as operators run it: {@code java -jar target/quarkus-app/quarkus-run.jar <command>}
 * as a child process in {@code dir}, with the given environment (a {@code null} value removes a
 * variable this JVM has). AWS settings of the machine are kept out (no ~/.aws, no instance metadata).
 */
public final class CliJar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliJar() {
    }

    public record Run(int exit, String out, String err) {
        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + out, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nout:\n" + out + "\nerr:\n" + err;
        }
    }

    public static Run run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", BuiltService.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("WEBHOOK_")
                || name.startsWith("QUARKUS_"));
        environment.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        env.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 120 s: " + String.join(" ", args));
        }
        try {
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** The project's version, as pom.xml says it. */
    public static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>devportal-webhook</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no version in pom.xml");
        }
        return m.group(1);
    }
}
