package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
        List<String> first = DocCommands.commandBlocks(DOC).stream().filter(b -> b.stream().anyMatch(c -> c.startsWith("sam "))).findFirst()
                .orElseThrow();
        assertEquals("cd deploy/sam", first.get(0), "the doc's first sam block starts in deploy/sam");
        assertTrue(DocCommands.allCommands().stream().filter(c -> c.contains("sam ")).filter(c -> c.startsWith("cd "))
                .allMatch(c -> c.startsWith("cd deploy/sam ")), "a cd elsewhere before sam");
        List<String> sam = DocCommands.samCommands();
        assertTrue(sam.size() >= 8, "the scan found too few sam commands: " + sam);
        for (String c : sam) {
            List<String> w = DocCommands.words(c);
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
        for (String c : DocCommands.allCommands()) {
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
            set.putAll(DocCommands.samParses(List.of(samconfig().at("/" + env + "/deploy/parameters/parameter_overrides").asText())));
        }
        int fromSamconfig = set.size();
        for (String c : DocCommands.samCommands()) {
            List<String> overrides = DocCommands.overridesOf(c);
            if (!overrides.isEmpty()) {
                set.putAll(DocCommands.samParses(overrides));
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
        assertEquals("none", set.get("NextPortalPasswordHash"), "the rotation's last step clears the next account");
        // the doc's targets reach the function whole, and every role they name is one the function may assume
        JsonNode targets = new ObjectMapper().readTree(set.get("Targets"));
        List<String> assumable = List.of(set.get("TargetRoleArns").split(","));
        assertTrue(targets.size() >= 2, targets.toString());
        targets.forEach(t -> {
            assertTrue(t.get("region").asText().matches("[a-z]{2}(-[a-z]+)+-[0-9]"), t.toString());
            assertTrue(assumable.contains(t.get("roleArn").asText()), t.get("roleArn") + " not in TargetRoleArns " + assumable);
            assertTrue(t.get("apis").isArray() && !t.get("apis").isEmpty(), t.toString());
        });
    }

    @Test
    void theStackSetCommandGivesTheTargetRoleTemplateItsParameters() throws IOException {
        JsonNode parameters = new YAMLMapper().readTree(Path.of("deploy/target-account-role.yaml").toFile()).get("Parameters");
        List<String> stackSets = DocCommands.allCommands().stream().filter(c -> c.startsWith("aws cloudformation create-stack-set ")).toList();
        assertEquals(1, stackSets.size(), stackSets.toString());
        List<String> w = DocCommands.words(stackSets.get(0));
        // run in deploy/sam, like every command of the page
        String body = w.get(w.indexOf("--template-body") + 1);
        assertEquals("file://../target-account-role.yaml", body);
        assertTrue(Files.exists(SAMCONFIG.getParent().resolve(body.substring("file://".length())).normalize()));
        assertEquals("CAPABILITY_NAMED_IAM", w.get(w.indexOf("--capabilities") + 1), "the template names its role");
        Map<String, String> given = new LinkedHashMap<>();
        new ObjectMapper().readTree(w.get(w.indexOf("--parameters") + 1))
                .forEach(p -> given.put(p.get("ParameterKey").asText(), p.get("ParameterValue").asText()));
        given.forEach((key, value) -> {
            JsonNode p = parameters.get(key);
            assertTrue(p != null, key + " is not a parameter of deploy/target-account-role.yaml");
            if (p.has("AllowedPattern")) {
                // a CommaDelimitedList's pattern would apply to each item; these are strings
                assertTrue(value.matches(p.get("AllowedPattern").asText()), key + "=" + value);
            }
        });
        parameters.fields().forEachRemaining(p -> assertTrue(p.getValue().has("Default") || given.containsKey(p.getKey()),
                p.getKey() + " has no default and the command does not give it"));
        // the external id the role asks for is the one the targets present
        JsonNode targets = new ObjectMapper().readTree(DocCommands.samCommands().stream().map(DocCommands::overridesOf)
                .filter(o -> o.stream().anyMatch(v -> v.startsWith("Targets="))).findFirst().map(o -> {
                    try {
                        return DocCommands.samParses(o).get("Targets");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).orElseThrow());
        targets.forEach(t -> assertEquals(given.get("ExternalId"), t.get("externalId").asText(), t.toString()));
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
        for (String c : DocCommands.allCommands()) {
            Matcher m = Pattern.compile("OutputKey=='(\\w+)'").matcher(c);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertEquals(Set.of("FunctionName", "WebhookRoleArn", "WebhookUrl"), queried);
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
