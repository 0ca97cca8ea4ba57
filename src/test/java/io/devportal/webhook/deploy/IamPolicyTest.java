package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One list of AWS permissions: {@code deploy/iam-policy.json}. The SAM template's role must be the
 * same statements, and both must match the AWS calls the code makes: every SDK operation called in
 * {@code src/main/java} (API Gateway, Cognito, DynamoDB) needs a grant, and every grant must be
 * needed by some call. API Gateway's IAM actions are HTTP methods on resource paths, so each of its
 * operations is mapped to the method and path it is authorized as.
 */
class IamPolicyTest {
    static final Path POLICY = Path.of("deploy/iam-policy.json");
    static final Path TEMPLATE = Path.of("deploy/sam/template.yaml");
    static final Path SOURCES = Path.of("src/main/java");

    /** Statements of the template's role that are Lambda plumbing, not calls of the webhook. */
    static final Set<String> TEMPLATE_ONLY = Set.of("WriteOwnLogs");

    static final String APIGW = "arn:aws:apigateway:REGION::";
    static final String POOL = "arn:aws:cognito-idp:REGION:ACCOUNT_ID:userpool/USER_POOL_ID";
    static final String TABLE = "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/TABLE_NAME";

    /** A permission a call needs: an IAM action on a concrete resource (sample ids stand for any). */
    record Need(String action, String resource, String because) {
    }

    /** One action on one resource pattern, as granted. */
    record Grant(String sid, String action, String resource) {
    }

    // ---- API Gateway: operation -> method and resource path (the IAM action is apigateway:<METHOD>) ----
    static final Map<String, List<String>> API_GATEWAY = Map.ofEntries(
            // tags given on create are authorized as PUT on the key's /tags resource
            Map.entry("createApiKey", List.of("POST /apikeys", "PUT /tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fapikeys%2Fk1")),
            Map.entry("getApiKeys", List.of("GET /apikeys")),
            Map.entry("getApiKey", List.of("GET /apikeys/k1")),
            Map.entry("updateApiKey", List.of("PATCH /apikeys/k1")),
            Map.entry("deleteApiKey", List.of("DELETE /apikeys/k1")),
            Map.entry("getUsagePlans", List.of("GET /usageplans")),
            Map.entry("getUsagePlan", List.of("GET /usageplans/p1")),
            Map.entry("getUsagePlanKeys", List.of("GET /usageplans/p1/keys")),
            Map.entry("getUsagePlanKey", List.of("GET /usageplans/p1/keys/k1")),
            Map.entry("createUsagePlanKey", List.of("POST /usageplans/p1/keys")),
            Map.entry("deleteUsagePlanKey", List.of("DELETE /usageplans/p1/keys/k1")),
            Map.entry("tagResource", List.of("PUT /tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fapikeys%2Fk1")),
            Map.entry("getTags", List.of("GET /tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fapikeys%2Fk1")));

    /**
     * DynamoDB calls made only with {@code webhook.dynamodb.create-table=true} (local runs and tests):
     * in AWS the template creates the table and its TTL, so the role does not get them.
     */
    static final Set<String> CREATE_TABLE_ONLY = Set.of("createTable", "updateTimeToLive", "describeTimeToLive",
            "waitUntilTableExists");

    /** A service whose SDK calls the scan looks for. */
    record Service(String pkg, String client) {
    }

    static final Service APIGATEWAY = new Service("software.amazon.awssdk.services.apigateway",
            "software.amazon.awssdk.services.apigateway.ApiGatewayClient");
    static final Service COGNITO = new Service("software.amazon.awssdk.services.cognitoidentityprovider",
            "software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient");
    static final Service DYNAMODB = new Service("software.amazon.awssdk.services.dynamodb",
            "software.amazon.awssdk.services.dynamodb.DynamoDbClient");

    // ---------------------------------------------------------------------------------------------

    static JsonNode read(Path file) {
        try {
            return file.toString().endsWith(".json") ? new ObjectMapper().readTree(file.toFile())
                    : new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    /** The template's CloudFormation substitutions, written back as the policy file's placeholders. */
    static String placeholders(String templateResource) {
        return templateResource.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", "REGION")
                .replace("${AWS::AccountId}", "ACCOUNT_ID").replace("${UserPoolId}", "USER_POOL_ID")
                .replace("${Table}", "TABLE_NAME");
    }

    static Map<String, JsonNode> statementsBySid(JsonNode statements) {
        Map<String, JsonNode> out = new TreeMap<>();
        statements.forEach(s -> out.put(s.get("Sid").asText(), s));
        return out;
    }

    static JsonNode templateStatements() {
        return read(TEMPLATE).at("/Resources/Role/Properties/Policies/0/PolicyDocument/Statement");
    }

    static List<Grant> grants(JsonNode statements, boolean fromTemplate) {
        List<Grant> out = new ArrayList<>();
        for (JsonNode s : statements) {
            String sid = s.get("Sid").asText();
            if (fromTemplate && TEMPLATE_ONLY.contains(sid)) {
                continue;
            }
            assertEquals("Allow", s.get("Effect").asText(), sid);
            for (String action : strings(s.get("Action"))) {
                for (String resource : strings(s.get("Resource"))) {
                    out.add(new Grant(sid, action, fromTemplate ? placeholders(resource) : resource));
                }
            }
        }
        return out;
    }

    /** IAM's wildcard match: '*' any run of characters ('/' and ':' included), '?' one character. */
    static boolean matches(String pattern, String resource) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return resource.matches(regex.toString());
    }

    // ---- the scan of the code ----

    static List<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation names of a service's SDK client (empty when the SDK is not on the classpath). */
    static Set<String> operations(Service service) {
        Set<String> ops = new TreeSet<>();
        try {
            for (Method m : Class.forName(service.client()).getMethods()) {
                Class<?>[] params = m.getParameterTypes();
                if (params.length == 1 && (params[0].getSimpleName().endsWith("Request") || params[0] == Consumer.class)) {
                    ops.add(m.getName().endsWith("Paginator")
                            ? m.getName().substring(0, m.getName().length() - "Paginator".length()) : m.getName());
                }
            }
        } catch (ClassNotFoundException e) {
            return ops;
        }
        return ops;
    }

    /** The operations called, per file that uses the service (imports its package). */
    static Map<String, Set<String>> calls(Service service) {
        Set<String> ops = operations(service);
        Map<String, Set<String>> out = new TreeMap<>();
        Pattern call = Pattern.compile("\\.\\s*(\\w+?)(Paginator)?\\s*\\(");
        for (Path file : sources()) {
            String src = text(file);
            if (!src.contains("import " + service.pkg() + ".") && !src.contains("import static " + service.pkg() + ".")) {
                continue;
            }
            assertTrue(!ops.isEmpty(), file + " uses " + service.pkg() + " but its SDK client is not on the test classpath");
            Matcher m = call.matcher(src);
            while (m.find()) {
                String name = m.group(1);
                if (ops.contains(name) || name.startsWith("waitUntil")) {
                    out.computeIfAbsent(name, k -> new TreeSet<>()).add(SOURCES.relativize(file).toString());
                }
            }
        }
        return out;
    }

    static boolean usesDynamoDb() {
        return sources().stream().anyMatch(f -> text(f).contains("import " + DYNAMODB.pkg() + "."));
    }

    static String capitalized(String op) {
        return Character.toUpperCase(op.charAt(0)) + op.substring(1);
    }

    /** Everything the code's AWS calls need. */
    static List<Need> needs() {
        List<Need> needs = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        calls(APIGATEWAY).forEach((op, files) -> {
            List<String> mapped = API_GATEWAY.get(op);
            if (mapped == null) {
                unmapped.add("apigateway " + op + " (" + files + "): add it to API_GATEWAY with its method and path");
                return;
            }
            for (String m : mapped) {
                String[] parts = m.split(" ", 2);
                needs.add(new Need("apigateway:" + parts[0], APIGW + parts[1], op + " in " + files));
            }
        });
        calls(COGNITO).forEach((op, files) -> needs.add(new Need("cognito-idp:" + capitalized(op),
                op.equals("describeUserPoolDomain") ? "*" : POOL, op + " in " + files)));
        Map<String, Set<String>> dynamo = calls(DYNAMODB);
        dynamo.forEach((op, files) -> {
            if (CREATE_TABLE_ONLY.contains(op)) {
                return;
            }
            String because = op + " in " + files;
            switch (op) {
                case "query", "scan" -> {
                    needs.add(new Need("dynamodb:" + capitalized(op), TABLE, because));
                    needs.add(new Need("dynamodb:" + capitalized(op), TABLE + "/index/gsi1", because));
                }
                case "transactWriteItems" -> {
                    // each part of a transaction is authorized as its own action; the parts may be
                    // built elsewhere than the call (every file that builds a TransactWriteItem)
                    String src = transactionSources();
                    Map.of("put", "PutItem", "update", "UpdateItem", "delete", "DeleteItem",
                            "conditionCheck", "ConditionCheckItem").forEach((part, action) -> {
                        if (Pattern.compile("\\.\\s*" + part + "\\s*\\(").matcher(src).find()) {
                            needs.add(new Need("dynamodb:" + action, TABLE, because + " (." + part + ")"));
                        }
                    });
                }
                case "transactGetItems" -> needs.add(new Need("dynamodb:GetItem", TABLE, because));
                default -> {
                    if (op.startsWith("waitUntil")) {
                        unmapped.add("dynamodb " + op + " (" + files + "): map the waiter to the calls it makes");
                    } else {
                        needs.add(new Need("dynamodb:" + capitalized(op), TABLE, because));
                    }
                }
            }
        });
        assertEquals(List.of(), unmapped);
        return needs;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void theTemplatesRoleGrantsExactlyTheIamPolicyFile() {
        Map<String, JsonNode> file = statementsBySid(read(POLICY).get("Statement"));
        Map<String, JsonNode> template = statementsBySid(templateStatements());
        Set<String> templateSids = new TreeSet<>(template.keySet());
        templateSids.removeAll(TEMPLATE_ONLY);
        assertEquals(file.keySet(), templateSids, "the same statements, by Sid");
        assertEquals(new java.util.HashSet<>(grants(read(POLICY).get("Statement"), false)),
                new java.util.HashSet<>(grants(templateStatements(), true)), "the same actions on the same resources");
    }

    @Test
    void everyAwsCallInTheCodeIsGranted() {
        List<Grant> grants = grants(read(POLICY).get("Statement"), false);
        List<Need> needs = needs();
        assertTrue(needs.stream().anyMatch(n -> n.action().startsWith("apigateway:")), "the scan found no API Gateway call");
        assertTrue(needs.stream().anyMatch(n -> n.action().startsWith("cognito-idp:")), "the scan found no Cognito call");
        List<String> missing = needs.stream()
                .filter(n -> grants.stream().noneMatch(g -> g.action().equals(n.action()) && matches(g.resource(), n.resource())))
                .map(n -> n.action() + " on " + n.resource() + " for " + n.because())
                .distinct().toList();
        assertEquals(List.of(), missing, "calls that deploy/iam-policy.json does not allow");
    }

    @Test
    void everyGrantIsNeededByACallInTheCode() {
        List<Need> needs = needs();
        boolean dynamo = usesDynamoDb();
        if (!dynamo) {
            // before the DynamoDB ledger is in the code, its statement cannot be checked against calls
            System.out.println("IamPolicyTest: no DynamoDB calls in src/main/java; the LedgerTable grants are not checked");
        }
        List<String> unused = grants(read(POLICY).get("Statement"), false).stream()
                .filter(g -> dynamo || !g.action().startsWith("dynamodb:"))
                .filter(g -> needs.stream().noneMatch(n -> n.action().equals(g.action()) && matches(g.resource(), n.resource())))
                .map(g -> g.sid() + ": " + g.action() + " on " + g.resource())
                .toList();
        assertEquals(List.of(), unused, "grants that no call in the code needs");
    }

    @Test
    void theScanSeesTheCallsItMustSee() {
        // a guard against a scan that silently finds nothing: calls known to exist in the code
        Map<String, Set<String>> apigateway = calls(APIGATEWAY);
        Map<String, Set<String>> cognito = calls(COGNITO);
        assertTrue(apigateway.keySet().containsAll(Set.of("createApiKey", "getApiKeys", "getUsagePlans",
                "createUsagePlanKey", "deleteUsagePlanKey", "deleteApiKey", "updateApiKey")), apigateway.toString());
        assertTrue(cognito.keySet().containsAll(Set.of("createUserPoolClient", "describeUserPoolClient",
                "updateUserPoolClient", "deleteUserPoolClient", "describeUserPoolDomain")), cognito.toString());
        assertTrue(matches(APIGW + "/usageplans/*/keys/*", APIGW + "/usageplans/p1/keys/k1"));
        assertTrue(!matches(APIGW + "/usageplans", APIGW + "/usageplans/p1"));
        assertTrue(!matches(POOL, "*"));
    }

    /** The text of every main source file that builds a DynamoDB TransactWriteItem. */
    private static String transactionSources() {
        try (java.util.stream.Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(IamPolicyTest::text)
                    .filter(t -> t.contains("TransactWriteItem")).collect(java.util.stream.Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
