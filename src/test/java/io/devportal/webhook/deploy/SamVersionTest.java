package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which deploys publish a new function version, as the SAM transform (the translator of the pinned
 * SAM CLI, run offline) decides it. The URL calls the alias {@code live}, which moves only to a new
 * version: a deploy that changes only a parameter's value (a password rotation) reaches the portal
 * only if it also changes {@code ConfigRevision}.
 */
class SamVersionTest {
    static final String HASH_A = "$2b$12$" + "a".repeat(53);
    static final String HASH_B = "$2b$12$" + "b".repeat(53);

    static final String SCRIPT = String.join("\n",
            "import copy, json, sys",
            "from samcli.yamlhelper import yaml_parse",
            "from samtranslator.translator.transform import transform",
            "from samtranslator.intrinsics.resolver import IntrinsicsResolver",
            "class NoPolicies:",
            "    def load(self): return {}",
            "template = yaml_parse(open(sys.argv[1]).read())",
            "out = {}",
            "for name, case in json.loads(sys.argv[2]).items():",
            "    t = copy.deepcopy(template)",
            "    t['Resources']['WebhookFunction']['Properties']['CodeUri'] = 's3://artifacts/' + case.pop('code')",
            "    r = transform(t, case, NoPolicies())['Resources']",
            "    def resolved(value):",
            "        value = IntrinsicsResolver(case).resolve_parameter_refs(value)",
            "        return value['Fn::Sub'] if isinstance(value, dict) and 'Fn::Sub' in value else value",
            "    versions = [k + ' ' + str(resolved(v['Properties'].get('Description'))) for k, v in r.items()",
            "                if v['Type'] == 'AWS::Lambda::Version']",
            "    alias = [v for v in r.values() if v['Type'] == 'AWS::Lambda::Alias'][0]['Properties']",
            "    function = [v for v in r.values() if v['Type'] == 'AWS::Lambda::Function'][0]['Properties']",
            "    out[name] = {'versions': versions, 'alias': alias['FunctionVersion'], 'description': function.get('Description')}",
            "print(json.dumps(out))");

    static JsonNode transform(Map<String, Map<String, String>> cases) throws Exception {
        Path python = Path.of(SamCliTest.sam()).resolveSibling("python");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", SCRIPT, "deploy/sam/template.yaml",
                new ObjectMapper().writeValueAsString(cases));
        pb.environment().put("AWS_DEFAULT_REGION", "eu-west-1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    }

    static Map<String, String> deploy(String code, String nextHash, String revision) {
        return Map.of("code", code, "PortalPasswordHash", HASH_A, "NextPortalPasswordHash", nextHash, "ConfigRevision", revision);
    }

    /**
     * A version resource as CloudFormation sees it: its logical id and its description. A new
     * logical id, or a new description (which CloudFormation applies by replacement), publishes a
     * new version, and the alias points at it.
     */
    @Test
    void aNewVersionComesWithNewCodeOrANewConfigRevisionNotWithAParameterAlone() throws Exception {
        JsonNode r = transform(Map.of(
                "first", deploy("code-1.zip", "none", "1"),
                "nextHashOnly", deploy("code-1.zip", HASH_B, "1"),
                "nextHashAndRevision", deploy("code-1.zip", HASH_B, "2"),
                "newCode", deploy("code-2.zip", "none", "1")));
        String first = r.at("/first/versions/0").asText();
        assertEquals(1, r.at("/first/versions").size());
        assertTrue(first.matches("WebhookFunctionVersion[0-9a-f]{10} config revision 1"), first);
        // what SAM does by itself: the parameter's value is not part of the version's identity
        assertEquals(first, r.at("/nextHashOnly/versions/0").asText());
        // hence ConfigRevision: a new version, and the alias on it
        String rotated = r.at("/nextHashAndRevision/versions/0").asText();
        assertEquals(first.replace("config revision 1", "config revision 2"), rotated);
        String versionId = rotated.split(" ")[0];
        assertEquals("{\"Fn::GetAtt\":[\"" + versionId + "\",\"Version\"]}", r.at("/nextHashAndRevision/alias").toString());
        // new code: a new version resource, whatever the revision
        assertNotEquals(first.split(" ")[0], r.at("/newCode/versions/0").asText().split(" ")[0]);
        // no NoEcho value is written into a description
        assertFalse(r.toString().contains(HASH_B) || r.toString().contains(HASH_A));
    }
}
