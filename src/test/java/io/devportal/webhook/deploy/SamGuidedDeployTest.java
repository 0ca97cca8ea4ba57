package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sam deploy --guided} answered as docs/deploy-aws.md says, in a copy of deploy/sam: every
 * prompt passes, in the doc's order, until SAM needs AWS itself ("Looking for resources needed for
 * deployment"), which this machine cannot reach (the endpoint is a closed local port, so nothing
 * leaves it). Pressing Enter at the function URL's prompt aborts, as the doc warns.
 */
class SamGuidedDeployTest {
    static final String HASH = "$2b$12$" + "a".repeat(53);
    /** Where SAM's AWS calls go: a closed port on this machine (connection refused at once). */
    static final Map<String, String> NO_AWS = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS", "1");

    /** The answers the doc gives, prompt by prompt; {@code urlAnswer} at the function URL's. */
    static String answers(String urlAnswer) throws IOException {
        StringBuilder in = new StringBuilder("\n\n"); // Stack Name, AWS Region: Enter
        JsonNode parameters = new YAMLMapper().readTree(SamCliTest.SAM_DIR.resolve("template.yaml").toFile()).get("Parameters");
        parameters.fields().forEachRemaining(p -> {
            boolean noEcho = p.getValue().path("NoEcho").asBoolean();
            // Enter keeps the default; the hidden ones: the hash, and "none" for the next account
            in.append(p.getKey().equals("PortalPasswordHash") ? HASH : noEcho ? p.getValue().get("Default").asText() : "")
                    .append('\n');
        });
        in.append("\n\n\n"); // Confirm changes: Y, Allow IAM role creation: Y, Disable rollback: N
        in.append(urlAnswer).append('\n');
        in.append("\n\n\n"); // Save arguments: Y, file, environment
        return in.toString();
    }

    static SamCliTest.Run guided(Path root, String answers) throws Exception {
        SamCliTest.copyDeploySam(root);
        Path input = root.resolve("answers");
        Files.writeString(input, answers);
        ProcessBuilder pb = new ProcessBuilder(SamCliTest.sam(), "deploy", "--guided");
        pb.redirectInput(input.toFile());
        return SamCliTest.run(root.resolve("deploy/sam"), NO_AWS, pb);
    }

    /** The prompt labels of the doc's table, in order ("Parameter ..." stands for all parameters). */
    static List<String> docPrompts() throws IOException {
        String doc = Files.readString(SamDeployDocTest.DOC);
        String table = doc.substring(doc.indexOf("| Prompt | Answer |"), doc.indexOf("SAM writes the answers"));
        Matcher row = Pattern.compile("(?m)^\\| `([^`\\[]+?)(?: \\[[^`]*])?` \\|").matcher(table);
        List<String> prompts = new ArrayList<>();
        while (row.find()) {
            prompts.add(row.group(1));
        }
        return prompts;
    }

    @Test
    void theDocsAnswersPassEveryPromptUntilSamNeedsAws(@TempDir Path root) throws Exception {
        SamCliTest.Run run = guided(root, answers("y"));
        String out = run.output();
        assertNotEquals(0, run.exit(), out);
        assertFalse(out.contains("Security Constraints Not Satisfied!"), out);
        assertTrue(out.contains("Stack Name [devportal-webhook]:"), out);
        assertTrue(out.contains("Looking for resources needed for deployment"), out);
        assertTrue(out.contains("Error: Could not connect to the endpoint URL: \"http://127.0.0.1:9/\""), out);
        // every prompt of the doc's table came, in the doc's order, each once (a repeated one means
        // an answer SAM did not take)
        int at = 0;
        for (String prompt : docPrompts()) {
            String shown = prompt.equals("Parameter ...") ? "Parameter UserPoolId" : prompt;
            int next = out.indexOf(shown, at);
            assertTrue(next >= at, shown + " not asked after position " + at + ": " + out);
            if (!prompt.equals("Parameter ...")) {
                assertEquals(next, out.lastIndexOf(shown), shown + " asked twice: " + out);
            }
            at = next;
        }
        for (String parameter : List.of("PortalPasswordHash", "NextPortalPasswordHash", "Runtime")) {
            Matcher asked = Pattern.compile("Parameter " + parameter + "\\b").matcher(out);
            int times = 0;
            while (asked.find()) {
                times++;
            }
            assertEquals(1, times, parameter + ": " + out);
        }
    }

    @Test
    void pressingEnterAtTheFunctionUrlPromptAborts(@TempDir Path root) throws Exception {
        SamCliTest.Run run = guided(root, answers(""));
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("WebhookFunction Function Url has no authentication. Is this okay? [y/N]"), run.output());
        assertTrue(run.output().contains("Security Constraints Not Satisfied!"), run.output());
        assertFalse(run.output().contains("Looking for resources needed for deployment"), run.output());
    }
}
