package io.devportal.webhook.deploy;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opt-in real-AWS smoke scripts under deploy/smoke are never run by CI against AWS; this checks
 * what can be checked without an account: they parse, shellcheck finds nothing, and without their
 * inputs they stop before any AWS call, saying which input is missing.
 */
class SmokeScriptsTest {
    static final List<Path> SCRIPTS = List.of(Path.of("deploy/smoke/real-aws-smoke.sh"),
            Path.of("deploy/smoke/sandbox.sh"));

    record Run(int exit, String output) {
    }

    static Run run(Map<String, String> env, String... command) {
        try {
            Path out = Files.createTempFile("smoke-script-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Run(p.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theScriptsParse() {
        for (Path script : SCRIPTS) {
            assertEquals(new Run(0, ""), run(Map.of(), "bash", "-n", script.toString()), script.toString());
        }
    }

    @Test
    void shellcheckFindsNothingInTheScripts() {
        String shellcheck = System.getProperty("shellcheck.bin");
        assertTrue(shellcheck != null && new File(shellcheck).canExecute(), "shellcheck is not installed at "
                + shellcheck + ": run the tests through Maven, which installs it");
        List<String> command = new ArrayList<>(List.of(shellcheck, "--severity=style"));
        SCRIPTS.forEach(s -> command.add(s.toString()));
        command.add("src/test/scripts/ensure-test-tools.sh");
        assertEquals(new Run(0, ""), run(Map.of(), command.toArray(String[]::new)));
    }

    @Test
    void shellcheckItselfReportsAFault() {
        String shellcheck = System.getProperty("shellcheck.bin");
        try {
            Path bad = Files.createTempFile("bad-", ".sh");
            Files.writeString(bad, "#!/usr/bin/env bash\nrm -rf $1/*\n");
            Run run = run(Map.of(), shellcheck, bad.toString());
            Files.delete(bad);
            assertEquals(1, run.exit(), run.output());
            assertTrue(run.output().contains("SC2086"), run.output());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSmokeScriptWithoutItsInputsStopsBeforeTouchingAwsAndNamesTheMissingOne() {
        Run none = run(Map.of(), "bash", "deploy/smoke/real-aws-smoke.sh");
        assertEquals(1, none.exit(), none.output());
        assertTrue(none.output().contains("set SMOKE_API_ID (see --help)"), none.output());
        Run noPlan = run(Map.of("SMOKE_API_ID", "a1b2c3", "SMOKE_STAGE", "prod"), "bash", "deploy/smoke/real-aws-smoke.sh");
        assertEquals(1, noPlan.exit(), noPlan.output());
        assertTrue(noPlan.output().contains("set SMOKE_PLAN_ID (see --help)"), noPlan.output());
        assertTrue(!noPlan.output().contains("---- preflight"), noPlan.output());
    }

    @Test
    void theSmokeScriptDocumentsItsInputs() {
        Run help = run(Map.of(), "bash", "deploy/smoke/real-aws-smoke.sh", "--help");
        assertEquals(0, help.exit(), help.output());
        for (String input : List.of("SMOKE_API_ID", "SMOKE_STAGE", "SMOKE_PLAN_ID", "SMOKE_PATH", "SMOKE_INVOKE_URL",
                "SMOKE_UPDATE_PLAN_ID", "SMOKE_PROPAGATION_SECONDS", "SMOKE_USER_POOL_ID", "SMOKE_COGNITO_DOMAIN",
                "SMOKE_CC_API_ID", "SMOKE_CC_SCOPES")) {
            assertTrue(help.output().contains(input), input + " is not in --help");
        }
    }
}
