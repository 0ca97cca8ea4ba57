package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * schemathesis generates valid and invalid requests for every operation of the OpenAPI file the
 * service serves, and checks that none gets a 5xx and every response matches the contract: status,
 * Content-Type, headers and body.
 */
@QuarkusTest
class FuzzContractTest {

    @Test
    void noGeneratedRequestGetsA5xxOrALeavesTheContract() throws Exception {
        String st = System.getProperty("schemathesis.bin");
        assertTrue(st != null && new File(st).canExecute(),
                "schemathesis is not installed at " + st + ": run the tests through ./mvnw verify");
        Path output = Files.createTempFile("schemathesis-", ".log");
        Process run = new ProcessBuilder(st, "--no-color", "run", "http://localhost:" + RestAssured.port + "/q/openapi?format=json",
                "--auth", Api.USER + ":" + Api.PASSWORD,
                "--max-examples", "40", "--seed", "20261128", "--generation-deterministic",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        + "response_schema_conformance,response_headers_conformance",
                "--request-timeout", "10")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = run.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            run.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(finished, "schemathesis did not finish within 5 minutes");
        assertEquals(0, run.exitValue(), "schemathesis found problems:\n" + log);
        assertTrue(log.matches("(?s).*\\d+ generated, \\d+ passed.*"), "schemathesis ran no case:\n" + log);
    }
}
