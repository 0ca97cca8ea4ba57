package io.devportal.webhook.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS SAM CLI (pinned in pom.xml, installed by ensure-test-tools.sh) on {@code deploy/sam}, run
 * the way docs/deploy-aws.md runs it: in {@code deploy/sam}, offline, with a Region and dummy
 * credentials only (so that no real account is ever reached). {@code sam validate --lint} accepts
 * the template; {@code sam build} runs the Makefile in the repository root and fails loudly when the
 * Maven build leaves no zip. The build tests run a stand-in for {@code ./mvnw} ({@code MVNW}) in a copy
 * of deploy/sam, so that no Maven build runs inside the test.
 */
class SamCliTest {
    static final Path SAM_DIR = Path.of("deploy/sam");

    record Run(int exit, String output) {
    }

    static String sam() {
        String bin = System.getProperty("sam.bin");
        assertTrue(bin != null && Files.isExecutable(Path.of(bin)), "the SAM CLI is not installed at " + bin
                + ": run the tests through Maven, which installs it");
        return bin;
    }

    /** A command in {@code dir} with no AWS settings of the caller's: a Region, dummy keys, no telemetry. */
    static Run run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        return run(dir, env, new ProcessBuilder(command));
    }

    static Run run(Path dir, Map<String, String> env, ProcessBuilder pb) throws IOException, InterruptedException {
        pb.directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SAM_"));
        pb.environment().putAll(Map.of("AWS_DEFAULT_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "SAM_CLI_TELEMETRY", "0"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "sam did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    // ---- sam validate --lint ----

    @Test
    void samValidateLintAcceptsTheTemplateOfflineWithoutCredentials() throws Exception {
        Run run = run(SAM_DIR, Map.of(), sam(), "validate", "--lint");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("deploy/sam/template.yaml is a valid SAM Template"), run.output());
    }

    @Test
    void samValidateLintRejectsATemplateWithAnUnknownFunctionProperty(@TempDir Path dir) throws Exception {
        // the check above can fail: the SAM translator refuses a property AWS::Serverless::Function lacks
        copyDeploySam(dir);
        Path template = dir.resolve("deploy/sam/template.yaml");
        String text = Files.readString(template);
        String anchor = "      AutoPublishAlias: live\n";
        assertTrue(text.contains(anchor));
        Files.writeString(template, text.replace(anchor, anchor + "      Bogus: true\n"));
        Run run = run(dir.resolve("deploy/sam"), Map.of(), sam(), "validate", "--lint");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("Bogus"), run.output());
    }

    // ---- sam build ----

    /** deploy/sam as the docs use it, in a scratch repository root. */
    static void copyDeploySam(Path root) throws IOException {
        Files.createDirectories(root.resolve("deploy/sam"));
        for (String f : List.of("template.yaml", "Makefile", "samconfig.toml")) {
            Files.copy(SAM_DIR.resolve(f), root.resolve("deploy/sam").resolve(f));
        }
    }

    /** A stand-in for ./mvnw: records its arguments and folder, then runs {@code body}. */
    static Path fakeMaven(Path root, String body) throws IOException {
        Path script = root.resolve("fake-mvnw");
        Files.writeString(script, "#!/bin/sh\necho \"$PWD $*\" > \"" + root.resolve("mvnw.called") + "\"\n" + body + "\n");
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    static void writeZip(Path zip, Map<String, String> entries) throws IOException {
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    @Test
    void samBuildRunsTheMavenLambdaBuildInTheRepositoryRootAndDeploysTheUnpackedZip(@TempDir Path root) throws Exception {
        copyDeploySam(root);
        // what the Lambda build produces: target/function.zip with the jars under lib/
        Path made = root.resolve("made/function.zip");
        writeZip(made, Map.of("lib/webhook.jar", "jar", "application.properties", "x=1"));
        Path mvnw = fakeMaven(root, "mkdir -p target && cp \"" + made + "\" target/function.zip");
        Run run = run(root.resolve("deploy/sam"), Map.of("MVNW", mvnw.toString()), sam(), "build");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("Build Succeeded"), run.output());
        assertEquals(root.toRealPath() + " -B --no-transfer-progress package -Plambda -DskipTests",
                Files.readString(root.resolve("mvnw.called")).strip());
        Path built = root.resolve("deploy/sam/.aws-sam/build");
        assertEquals("jar", Files.readString(built.resolve("WebhookFunction/lib/webhook.jar")));
        assertEquals("x=1", Files.readString(built.resolve("WebhookFunction/application.properties")));
        assertTrue(Files.readString(built.resolve("template.yaml")).contains("CodeUri: WebhookFunction"));
    }

    @Test
    void samBuildFailsLoudlyWhenTheMavenBuildLeavesNoZipEvenIfAnOldOneWasThere(@TempDir Path root) throws Exception {
        copyDeploySam(root);
        // a zip from an earlier build must not pass for this one
        writeZip(root.resolve("target/function.zip"), Map.of("lib/old.jar", "old"));
        Path mvnw = fakeMaven(root, "exit 0");
        Run run = run(root.resolve("deploy/sam"), Map.of("MVNW", mvnw.toString()), sam(), "build");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("Build Failed"), run.output());
        assertTrue(run.output().contains("sam build: the Maven build left no target/function.zip in " + root.toRealPath()),
                run.output());
        assertFalse(Files.exists(root.resolve("deploy/sam/.aws-sam/build/template.yaml")), "a built template was left");
    }

    @Test
    void samBuildFailsWhenTheMavenBuildFails(@TempDir Path root) throws Exception {
        copyDeploySam(root);
        Path mvnw = fakeMaven(root, "echo '[ERROR] BUILD FAILURE'; exit 3");
        Run run = run(root.resolve("deploy/sam"), Map.of("MVNW", mvnw.toString()), sam(), "build");
        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[ERROR] BUILD FAILURE") && run.output().contains("Build Failed"), run.output());
        assertFalse(Files.exists(root.resolve("deploy/sam/.aws-sam/build/template.yaml")), "a built template was left");
    }

    @Test
    void withoutASamBuildPackagingTheStackFailsForWantOfTheCodeFolder(@TempDir Path root) throws Exception {
        // what sam deploy does once it has its bucket: package the code; without a build there is none
        copyDeploySam(root);
        Run run = run(root.resolve("deploy/sam"), SamGuidedDeployTest.NO_AWS, sam(), "package", "--s3-bucket", "unused",
                "--output-template-file", root.resolve("packaged.yaml").toString());
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("Parameter CodeUri of resource WebhookFunction refers to a file or folder that does not exist "
                + root.toRealPath().resolve("target/function-code")), run.output());
    }

    @Test
    void samBuildRefusesAZipThatIsNotTheLambdaBuild(@TempDir Path root) throws Exception {
        copyDeploySam(root);
        Path made = root.resolve("made/function.zip");
        writeZip(made, Map.of("README.txt", "not a function"));
        Path mvnw = fakeMaven(root, "mkdir -p target && cp \"" + made + "\" target/function.zip");
        Run run = run(root.resolve("deploy/sam"), Map.of("MVNW", mvnw.toString()), sam(), "build");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("sam build: target/function.zip has no lib/ folder: not the Lambda build"),
                run.output());
    }
}
