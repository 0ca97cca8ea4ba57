package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/deploy-aws.md (and the README's deploy commands), deploy/sam/samconfig.toml and
 * deploy/sam/template.yaml agree: the commands run where SAM finds the committed template and
 * settings, name the stacks samconfig.toml names, set only parameters the template has (parsed by
 * SAM's own parser, as {@code sam deploy} would), use outputs the template has, and the guided
 * prompts the doc answers are the ones this SAM CLI asks.
 */
class SamDeployDocTest {
    static final Path DOC = Path.of("docs/deploy-aws.md");
    static final Path README = Path.of("README.md");
    static final Path SAMCONFIG = Path.of("deploy/sam/samconfig.toml");
    static final Path TEMPLATE = Path.of("deploy/sam/template.yaml");

    static JsonNode samconfig() throws IOException {
        return new TomlMapper().readTree(SAMCONFIG.toFile());
    }

    static JsonNode template() throws IOException {
        return new YAMLMapper().readTree(TEMPLATE.toFile());
    }

    /** The commands of a Markdown file's bash blocks, continuation lines joined, comments dropped; one list per block. */
    static List<List<String>> commandBlocks(Path markdown) throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(markdown)) {
            String line = raw.strip();
            if (block == null) {
                if (line.equals("```bash")) {
                    block = new ArrayList<>();
                }
                continue;
            }
            if (line.equals("```")) {
                blocks.add(block);
                block = null;
                continue;
            }
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            line = line.replaceAll("\\s+# .*$", "");
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            block.add(pending.append(line).toString().replaceAll("\\s+", " ").strip());
            pending.setLength(0);
        }
        return blocks;
    }

    static List<String> allCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path doc : List.of(DOC, README)) {
            commandBlocks(doc).forEach(out::addAll);
        }
        return out;
    }

    /** The commands, each split at {@code &&}, that start with {@code sam }. */
    static List<String> samCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String command : allCommands()) {
            for (String part : command.split("&&")) {
                if (part.strip().startsWith("sam ")) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** Shell words: single quotes literal, double quotes with backslash escapes, bare backslash escapes. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == ' ') {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                word.append(command, i + 1, end);
                i = end;
            } else if (c == '"') {
                for (i++; command.charAt(i) != '"'; i++) {
                    if (command.charAt(i) == '\\' && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(command.charAt(i));
                }
            } else if (c == '\\') {
                word.append(command.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** What {@code --parameter-overrides} arguments mean to the SAM CLI: its own parser, in its virtualenv. */
    static Map<String, String> samParses(List<String> overrides) throws Exception {
        String sam = System.getProperty("sam.bin");
        assertTrue(sam != null && Files.isExecutable(Path.of(sam)), "the SAM CLI is not installed at " + sam);
        List<String> command = new ArrayList<>(List.of(Path.of(sam).resolveSibling("python").toString(), "-c",
                "import json, sys\nfrom samcli.cli.types import CfnParameterOverridesType\n"
                        + "print(json.dumps(CfnParameterOverridesType().convert(tuple(sys.argv[1:]), None, None)))"));
        command.addAll(overrides);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "SAM does not accept " + overrides + ": " + out);
        Map<String, String> parsed = new LinkedHashMap<>();
        new ObjectMapper().readTree(out).fields().forEachRemaining(e -> parsed.put(e.getKey(), e.getValue().asText()));
        return parsed;
    }

    /** The values after {@code --parameter-overrides} of one sam command, up to the next option. */
    static List<String> overridesOf(String samCommand) {
        List<String> w = words(samCommand);
        int at = w.indexOf("--parameter-overrides");
        List<String> out = new ArrayList<>();
        for (int i = at + 1; at >= 0 && i < w.size() && !w.get(i).startsWith("--"); i++) {
            out.add(w.get(i));
        }
        return out;
    }

    static Set<String> stackNames() throws IOException {
        Set<String> names = new TreeSet<>();
        samconfig().fields().forEachRemaining(env -> {
            if (env.getValue().isObject()) {
                names.add(env.getValue().at("/global/parameters/stack_name").asText());
            }
        });
        return names;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void everySamCommandRunsInDeploySamWithTheCommittedTemplateAndSamconfig() throws IOException {
        List<String> first = commandBlocks(DOC).stream().filter(b -> b.stream().anyMatch(c -> c.startsWith("sam "))).findFirst()
                .orElseThrow();
        assertEquals("cd deploy/sam", first.get(0), "the doc's first sam block starts in deploy/sam");
        assertTrue(allCommands().stream().filter(c -> c.contains("sam ")).filter(c -> c.startsWith("cd "))
                .allMatch(c -> c.startsWith("cd deploy/sam ")), "a cd elsewhere before sam");
        List<String> sam = samCommands();
        assertTrue(sam.size() >= 8, "the scan found too few sam commands: " + sam);
        for (String c : sam) {
            List<String> w = words(c);
            assertTrue(Set.of("validate", "build", "deploy", "delete").contains(w.get(1)), c);
            for (String option : List.of("--template-file", "--template", "-t", "--config-file", "--stack-name")) {
                assertFalse(w.contains(option) && !(option.equals("--stack-name") && w.get(1).equals("delete")), c);
            }
        }
        assertTrue(sam.containsAll(List.of("sam validate --lint", "sam build", "sam deploy --guided")), sam.toString());
        assertTrue(Files.exists(SAMCONFIG.resolveSibling("template.yaml")) && Files.exists(SAMCONFIG.resolveSibling("Makefile")));
    }

    @Test
    void theStacksTheCommandsNameAreTheStacksOfSamconfig() throws IOException {
        assertEquals(Set.of("devportal-webhook", "devportal-webhook-staging"), stackNames());
        assertEquals("devportal-webhook", samconfig().at("/default/global/parameters/stack_name").asText());
        Set<String> named = new TreeSet<>();
        Set<String> envs = new TreeSet<>();
        for (String c : allCommands()) {
            Matcher m = Pattern.compile("--stack-name (\\S+)").matcher(c);
            while (m.find()) {
                named.add(m.group(1));
            }
            Matcher e = Pattern.compile("--config-env (\\S+)").matcher(c);
            while (e.find()) {
                envs.add(e.group(1));
            }
        }
        assertEquals(Set.of("devportal-webhook"), named);
        assertEquals(Set.of("staging"), envs);
        JsonNode config = samconfig();
        envs.forEach(env -> assertTrue(config.has(env), env));
        // the table and log-group names the teardown commands delete are the default stack's
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("--table-name devportal-webhook-ledger") && doc.contains(
                "--log-group-name /aws/lambda/devportal-webhook-webhook"));
        assertTrue(doc.contains("`Stack Name [devportal-webhook]`"));
    }

    @Test
    void samconfigGrantsExactlyTheCapabilitiesTheTemplateNeeds() throws IOException {
        Set<String> needed = new TreeSet<>();
        template().get("Resources").forEach(r -> {
            if (r.get("Type").asText().equals("AWS::IAM::Role")) {
                needed.add(r.at("/Properties/RoleName").isMissingNode() ? "CAPABILITY_IAM" : "CAPABILITY_NAMED_IAM");
            }
        });
        assertEquals(Set.of("CAPABILITY_IAM"), needed);
        for (String env : List.of("default", "staging")) {
            assertEquals(String.join(" ", needed), samconfig().at("/" + env + "/deploy/parameters/capabilities").asText(), env);
            assertTrue(samconfig().at("/" + env + "/deploy/parameters/resolve_s3").asBoolean(), env);
        }
    }

    @Test
    void everyParameterThatSamconfigOrTheCommandsSetIsATemplateParameterAndAnAllowedValue() throws Exception {
        JsonNode parameters = template().get("Parameters");
        Map<String, String> set = new LinkedHashMap<>();
        for (String env : List.of("default", "staging")) {
            set.putAll(samParses(List.of(samconfig().at("/" + env + "/deploy/parameters/parameter_overrides").asText())));
        }
        int fromSamconfig = set.size();
        for (String c : samCommands()) {
            List<String> overrides = overridesOf(c);
            if (!overrides.isEmpty()) {
                set.putAll(samParses(overrides));
            }
        }
        assertTrue(fromSamconfig >= 4 && set.size() > fromSamconfig, "the scan found too few overrides: " + set);
        set.forEach((key, value) -> {
            JsonNode p = parameters.get(key);
            assertTrue(p != null, key + " is not a parameter of the template");
            if (p.has("AllowedValues")) {
                List<String> allowed = new ArrayList<>();
                p.get("AllowedValues").forEach(v -> allowed.add(v.asText()));
                assertTrue(allowed.contains(value), key + "=" + value + " not in " + allowed);
            }
            if (p.has("AllowedPattern") && !value.contains("...")) {
                assertTrue(value.matches(p.get("AllowedPattern").asText()), key + "=" + value);
            }
        });
        // the doc's JSON example reaches the function whole
        JsonNode apis = new ObjectMapper().readTree(set.get("ApiSettings"));
        assertEquals("CLIENT_CREDENTIALS", apis.at("/a1b2c3d4e5/credentialType").asText());
        assertEquals("", set.get("NextPortalPasswordHash"), "the rotation's last step clears the next account");
    }

    @Test
    void theDocsParameterTableListsExactlyTheTemplatesParameters() throws IOException {
        String doc = Files.readString(DOC);
        String table = doc.substring(doc.indexOf("The template's parameters:"), doc.indexOf("### Per-API credential types"));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`\\w+`(?:, )?)+) \\|").matcher(table);
        while (row.find()) {
            Matcher name = Pattern.compile("`(\\w+)`").matcher(row.group(1));
            while (name.find()) {
                listed.add(name.group(1));
            }
        }
        Set<String> declared = new TreeSet<>();
        template().get("Parameters").fieldNames().forEachRemaining(declared::add);
        assertEquals(declared, listed);
    }

    @Test
    void theOutputsTheCommandsQueryAreOutputsOfTheTemplate() throws IOException {
        Set<String> queried = new TreeSet<>();
        for (String c : allCommands()) {
            Matcher m = Pattern.compile("OutputKey=='(\\w+)'").matcher(c);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertEquals(Set.of("FunctionName", "WebhookUrl"), queried);
        JsonNode outputs = template().get("Outputs");
        queried.forEach(o -> assertTrue(outputs.has(o), o));
    }

    @Test
    void theGuidedPromptsTheDocAnswersAreTheOnesThisSamCliAsks() throws IOException {
        Path samcli = Files.list(Path.of(System.getProperty("sam.bin")).resolveSibling("../lib").normalize()).findFirst()
                .orElseThrow().resolve("site-packages/samcli/commands/deploy");
        String guided = Files.readString(samcli.resolve("guided_context.py"));
        String doc = Files.readString(DOC);
        String table = doc.substring(doc.indexOf("| Prompt | Answer |"), doc.indexOf("SAM writes the answers"));
        Matcher row = Pattern.compile("(?m)^\\| `([^`\\[]+?)(?: \\[[^`]*])?` \\|").matcher(table);
        List<String> prompts = new ArrayList<>();
        while (row.find()) {
            prompts.add(row.group(1));
        }
        assertEquals(10, prompts.size(), prompts.toString());
        for (String prompt : prompts) {
            if (prompt.equals("Parameter ...")) {
                assertTrue(guided.contains("Parameter {parameter_key}"));
            } else if (prompt.endsWith("has no authentication. Is this okay?")) {
                // SAM names the function by its logical id; AuthType NONE is what makes it ask
                assertEquals("WebhookFunction Function Url has no authentication. Is this okay?", prompt);
                assertEquals("NONE", template().at("/Resources/WebhookFunction/Properties/FunctionUrlConfig/AuthType").asText());
                assertTrue(Files.readString(samcli.resolve("auth_utils.py")).contains("f\"{sam_function.name} Function Url\""));
                assertTrue(guided.contains("{resource} has no authentication. Is this okay?{self.end_bold}"));
                assertTrue(guided.contains("Security Constraints Not Satisfied!"));
            } else {
                assertTrue(guided.contains("{self.start_bold}" + prompt + "{self.end_bold}"), prompt);
            }
        }
        assertTrue(table.contains("| `WebhookFunction Function Url has no authentication. Is this okay? [y/N]` | **y**."));
    }

    @Test
    void theTemplateAndTheDocNameTheSameUnauthenticatedPaths() throws IOException {
        String template = Files.readString(TEMPLATE);
        String doc = Files.readString(DOC);
        assertTrue(template.contains("# Basic auth is checked by the webhook itself on every path but /q/openapi (health and\n"));
        assertTrue(doc.contains("every path except `/q/openapi` (the contract document"));
        for (String text : List.of(template, doc)) {
            assertFalse(text.contains("/q/health and /q/openapi"));
        }
    }
}
