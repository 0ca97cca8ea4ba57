package io.devportal.webhook.lambda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged Lambda function (target/function.zip, after {@code package -Plambda}): its size has
 * a limit, and it carries none of the JDBC stack, which the DynamoDB-only function never runs.
 * Run by failsafe in the lambda profile ({@code ./mvnw -Plambda verify}, or the default build's
 * nested Lambda build).
 */
class FunctionZipIT {
    /**
     * 37 MiB: the trimmed function is 36.1 MiB (37.8 MB; sts, sso and ssooidc are left out too); the untrimmed one
     * was 42.7 MiB (44.8 MB).
     * The target is 25 MB, which the three AWS SDK service jars and Quarkus' HTTP stack do not
     * leave room for (docs/cold-start.md). Override with -Dfunction.zip.max-bytes.
     */
    static final long MAX_BYTES = Long.getLong("function.zip.max-bytes", 37L * 1024 * 1024);

    static final List<String> JDBC_STACK = List.of("h2database", "org.postgresql", "flyway", "agroal",
            "narayana", "quarkus-jdbc", "locationtech.jts");

    static Path zip() {
        Path zip = Path.of(System.getProperty("function.zip", "target/function.zip"));
        assertTrue(Files.isRegularFile(zip), zip + " is missing: build it with ./mvnw package -Plambda");
        return zip;
    }

    @Test
    void theFunctionZipStaysUnderItsSizeLimit() throws IOException {
        long size = Files.size(zip());
        assertTrue(size <= MAX_BYTES, "function.zip is " + size + " bytes, above its limit of " + MAX_BYTES);
    }

    @Test
    void theFunctionZipCarriesNoJdbcDriverFlywayOrTransactionManager() throws IOException {
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            List<String> jdbc = zip.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("lib/") && JDBC_STACK.stream().anyMatch(name::contains))
                    .toList();
            assertEquals(List.of(), jdbc);
        }
    }
}
