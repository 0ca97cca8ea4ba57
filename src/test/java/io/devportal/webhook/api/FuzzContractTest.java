package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * schemathesis generates valid and invalid requests for every operation of the OpenAPI document
 * the service serves, and runs every check it has on each answer: no 5xx; status, Content-Type,
 * headers and body as documented; schema-valid requests accepted and schema-invalid ones
 * refused (so the document states what the validator enforces); requests without or with wrong
 * credentials refused (ignored_auth); undeclared methods refused with a matching Allow. The
 * stateful phase follows the document's links from create to update and revoke.
 *
 * <p>Its settings are in src/test/schemathesis/schemathesis.toml; it runs in target/, and writes
 * no example database or cache, so a run leaves the working tree as it was. The fuzz is not
 * starved by the login throttle: the test profile allows many failed logins, and a schema-valid
 * request answered 429 (or 401) fails the run (positive_data_acceptance).
 */
@QuarkusTest
class FuzzContractTest {
    /** The run's size is in schemathesis.toml (per phase); this is what it must reach. */
    private static final int MIN_GENERATED = 5000;

    @Test
    void everyCheckPassesOnThousandsOfGeneratedRequestsAndLinkedSequences() throws Exception {
        String st = System.getProperty("schemathesis.bin");
        assertTrue(st != null && new File(st).canExecute(),
                "schemathesis is not installed at " + st + ": run the tests through ./mvnw verify");
        Path config = Path.of("src/test/schemathesis/schemathesis.toml").toAbsolutePath();
        assertTrue(Files.isReadable(config), "missing " + config);
        Path workDir = Files.createDirectories(Path.of("target/schemathesis").toAbsolutePath());
        Path output = workDir.resolve("run.log");
        List<String> command = List.of(st, "--config-file", config.toString(), "--no-color",
                "run", "http://localhost:" + RestAssured.port + "/q/openapi?format=json",
                "--auth", Api.USER + ":" + Api.PASSWORD,
                "--checks", "all",
                "--phases", "examples,coverage,fuzzing,stateful",
                "--seed", "20261128", "--generation-deterministic",
                "--request-timeout", "10");
        long started = System.nanoTime();
        Process run = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = run.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            run.destroyForcibly();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        System.out.println("schemathesis took " + seconds + " s");
        assertTrue(finished, "schemathesis did not finish within 15 minutes");
        assertEquals(0, run.exitValue(), "schemathesis found problems:\n" + log);
        Matcher generated = Pattern.compile("(\\d+) generated").matcher(log);
        assertTrue(generated.find(), "schemathesis ran no case:\n" + log);
        int cases = Integer.parseInt(generated.group(1));
        assertTrue(cases >= MIN_GENERATED, "only " + cases + " cases generated:\n" + log);
        assertTrue(log.matches("(?s).*Stateful \\(in .*Scenarios: +[1-9].*"), "the stateful phase did not run:\n" + log);
        Matcher links = Pattern.compile("API Links: +(\\d+) covered").matcher(log);
        assertTrue(links.find() && Integer.parseInt(links.group(1)) >= 2, "no link from create was followed:\n" + log);
    }
}
