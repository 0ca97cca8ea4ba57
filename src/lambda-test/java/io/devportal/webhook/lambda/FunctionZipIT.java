package io.devportal.webhook.lambda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged Lambda function (target/function.zip, after {@code package -Plambda}): its size has
 * a limit and is the one the docs state (within {@link #STATED_TOLERANCE}), it carries none of the
 * JDBC stack, which the DynamoDB-only function never runs, of the login modules only sts (for
 * the targets' assumed roles), and no OpenAPI library or YAML parser.
 * Run by failsafe in the lambda profile ({@code ./mvnw -Plambda verify}, or the default build's
 * nested Lambda build).
 */
class FunctionZipIT {
    /**
     * 23 MiB (24.1 MB, under the 25 MB): the function is 20.5 MiB (21,536,644 bytes) with
     * the AWS SDK service jars shrunk to what it reaches (src/lambda-build/ShrinkFunction) and every
     * jar stored in a zip compressed at level 9 (RepackFunction); 28.2 MiB before the repack, 34.6 MiB
     * before the shrink (no OpenAPI extension), 36.0 MiB (37,776,623 bytes) with it, 36.6 MiB with
     * brotli4j's natives and vertx-codegen, which nothing in the function loads, and the untrimmed one
     * was 42.7 MiB (44.8 MB). sts is in it (a target's role is assumed through STS, issue 14); sso and
     * ssooidc stay out. Override with -Dfunction.zip.max-bytes.
     */
    static final long MAX_BYTES = Long.getLong("function.zip.max-bytes", 23L * 1024 * 1024);

    /**
     * How far the size that README.md and docs/deploy-aws.md state may be from this build's: small
     * code changes move the zip by a few kB and need no new measurement; a dependency added or
     * removed moves it by far more and does.
     */
    static final double STATED_TOLERANCE = 0.03;

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
    void theSizeTheDocsStateIsThisBuildsWithinThreePercent() throws IOException {
        long size = Files.size(zip());
        for (String doc : List.of("README.md", "docs/deploy-aws.md")) {
            long stated = io.devportal.webhook.deploy.ProjectFilesTest.statedZipBytes(Path.of(doc));
            double off = Math.abs(stated - size) / (double) size;
            assertTrue(off <= STATED_TOLERANCE, doc + " states " + stated + " bytes, this build's function.zip is " + size
                    + " (" + String.format("%.1f", off * 100) + " % off): measure it again and write the new figure");
        }
    }

    @Test
    void theFunctionZipCarriesStsForAssumedRolesButNotTheSsoLogins() throws IOException {
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            List<String> awssdk = zip.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("lib/software.amazon.awssdk.")).toList();
            assertTrue(awssdk.stream().anyMatch(n -> n.startsWith("lib/software.amazon.awssdk.sts-")), awssdk.toString());
            assertEquals(List.of(), awssdk.stream()
                    .filter(n -> n.startsWith("lib/software.amazon.awssdk.sso-") || n.startsWith("lib/software.amazon.awssdk.ssooidc-"))
                    .toList());
        }
    }

    /**
     * The service jars are shrunk (src/lambda-build/ShrinkFunction; that what is left runs is
     * {@link ShrunkFunctionIT}'s): each to fewer classes and the four to at most half of theirs, the classes the SDK loads by
     * name kept, the warm-up providers' service file (whose classes are gone) left out; every other
     * jar holds the unshrunk build's entries (stored, RepackFunction), every other entry is the same.
     */
    @Test
    void theSdkServiceJarsAreShrunkAndTheClassesLoadedByNameKept() throws IOException {
        Path unshrunk = zip().resolveSibling("function-unshrunk.zip");
        assertTrue(Files.isRegularFile(unshrunk), unshrunk + " is missing: the shrink keeps the unshrunk zip beside it");
        int classesBefore = 0;
        int classesAfter = 0;
        try (ZipFile after = new ZipFile(zip().toFile()); ZipFile before = new ZipFile(unshrunk.toFile())) {
            assertEquals(before.stream().map(ZipEntry::getName).toList(), after.stream().map(ZipEntry::getName).toList());
            for (ZipEntry e : before.stream().toList()) {
                String name = e.getName();
                boolean service = SHRUNK.stream().anyMatch(prefix -> name.startsWith("lib/" + prefix));
                if (!name.endsWith(".jar")) {
                    assertTrue(java.util.Arrays.equals(before.getInputStream(e).readAllBytes(),
                            after.getInputStream(after.getEntry(name)).readAllBytes()), name + " changed");
                    continue;
                }
                // RepackFunction: every jar's entries stored
                assertEquals(List.of(), storedNot(after, after.getEntry(name)), name + ": entries not stored");
                if (!service) {
                    assertEquals(contents(before, e), contents(after, after.getEntry(name)), name + " changed");
                    continue;
                }
                List<String> was = classes(before, e);
                List<String> is = classes(after, after.getEntry(name));
                assertTrue(is.size() < was.size(), name + ": " + is.size() + " of " + was.size() + " classes kept");
                classesBefore += was.size();
                classesAfter += is.size();
                assertTrue(was.containsAll(is), name);
                if (name.startsWith("lib/software.amazon.awssdk.sts-")) {
                    assertTrue(is.containsAll(List.of(
                            "software/amazon/awssdk/services/sts/internal/StsProfileCredentialsProviderFactory.class",
                            "software/amazon/awssdk/services/sts/internal/StsWebIdentityCredentialsProviderFactory.class")), name);
                }
                assertEquals(List.of(), entries(after, after.getEntry(name)).stream()
                        .filter(n -> n.equals("META-INF/services/software.amazon.awssdk.core.warmup.SdkWarmUpProvider")).toList());
            }
        }
        // 5,420 classes in the four jars, 1,897 kept at this revision
        assertTrue(classesAfter * 2 <= classesBefore, classesAfter + " of " + classesBefore + " classes kept");
    }

    static final List<String> SHRUNK = List.of("software.amazon.awssdk.apigateway-", "software.amazon.awssdk.cognitoidentityprovider-",
            "software.amazon.awssdk.dynamodb-", "software.amazon.awssdk.sts-");

    static List<String> classes(ZipFile zip, ZipEntry jar) throws IOException {
        return entries(zip, jar).stream().filter(n -> n.endsWith(".class")).toList();
    }

    /** A jar's entries, name to content. */
    static Map<String, String> contents(ZipFile zip, ZipEntry jar) throws IOException {
        Map<String, String> contents = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(zip.getInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                contents.put(e.getName(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return contents;
    }

    static List<String> storedNot(ZipFile zip, ZipEntry jar) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(zip.getInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getMethod() != ZipEntry.STORED) {
                    names.add(e.getName());
                }
            }
        }
        return names;
    }

    /**
     * Lambda's limit for the unpacked function (with its layers) is 250 MB; stored jars make the
     * unpacked function larger than the zip (RepackFunction): 100 MiB keeps well inside.
     */
    @Test
    void theUnpackedFunctionStaysFarBelowLambdasLimit() throws IOException {
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            long unpacked = zip.stream().mapToLong(ZipEntry::getSize).sum();
            assertTrue(unpacked <= 100L * 1024 * 1024, "the unpacked function is " + unpacked + " bytes");
        }
    }

    static List<String> entries(ZipFile zip, ZipEntry jar) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(zip.getInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /** The webhook serves its contract from the files (api.ContractDocument): no OpenAPI library, jandex or YAML parser. */
    @Test
    void theFunctionZipCarriesNoOpenApiLibraryOrYamlParser() throws IOException {
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            List<String> openapi = zip.stream().map(e -> e.getName())
                    .filter(name -> name.startsWith("lib/") && List.of("openapi", "open-api", "jandex", "snakeyaml", "dataformat-yaml", "swagger-ui")
                            .stream().anyMatch(name::contains))
                    .toList();
            assertEquals(List.of(), openapi);
        }
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
