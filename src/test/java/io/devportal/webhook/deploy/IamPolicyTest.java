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
 * {@code src/main/java} (API Gateway, Cognito, DynamoDB, STS) needs a grant, and every grant must be
 * needed by some call. API Gateway's IAM actions are HTTP methods on resource paths, so each of its
 * operations is mapped to the method and path it is authorized as. The role of a target account,
 * {@code deploy/target-account-role.yaml}, is the file's API Gateway and Cognito statements, each
 * the same actions on the same resources (its Regions as a condition), trusted by the webhook's
 * role with an external id only.
 */
class IamPolicyTest {
    static final Path POLICY = Path.of("deploy/iam-policy.json");
    static final Path TEMPLATE = Path.of("deploy/sam/template.yaml");
    static final Path SOURCES = Path.of("src/main/java");
    static final Path TARGET_ROLE = Path.of("deploy/target-account-role.yaml");

    /** Statements of the template's role that are Lambda plumbing, not calls of the webhook. */
    static final Set<String> TEMPLATE_ONLY = Set.of("WriteOwnLogs");

    static final String APIGW = "arn:aws:apigateway:REGION::";
    static final String POOL = "arn:aws:cognito-idp:REGION:ACCOUNT_ID:userpool/USER_POOL_ID";
    static final String TABLE = "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/TABLE_NAME";
    /** A target's role (webhook.targets."<name>".role-arn), in another account or this one. */
    static final String TARGET_ROLE_ARN = "arn:aws:iam::TARGET_ACCOUNT_ID:role/TARGET_ROLE_NAME";
    /** What the Resource {@code !Ref TargetRoleArns} of the template's TargetRolesPolicy reads as. */
    static final String TARGET_ROLE_ARNS_REF = "TargetRoleArns";
    /** The services whose actions a target's role grants: the target's API keys, plans and pool. */
    static final List<String> TARGET_SERVICES = List.of("apigateway:", "cognito-idp:");

    /** A permission a call needs: an IAM action on a concrete resource (sample ids stand for any). */
    record Need(String action, String resource, String because) {
    }

    /** One action on one resource pattern, as granted. */
    record Grant(String sid, String action, String resource) {
    }

    // ---- API Gateway: operation -> method and resource path (the IAM action is apigateway:<METHOD>) ----
    static final Map<String, List<String>> API_GATEWAY = Map.ofEntries(
            // tags given on create are authorized as PUT on the /tags resource of the new key's URL-encoded
            // ARN, its id a literal '*' (AWS's AccessDeniedException names ".../tags/arn%3Aaws%3Aapigateway%3A
            // <region>%3A%3A%2Fapikeys%2F*")
            Map.entry("createApiKey", List.of("POST /apikeys", "PUT /tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fapikeys%2F*")),
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
            // check-config: the stages of an API mapped to a target
            Map.entry("getStages", List.of("GET /restapis/a1/stages")),
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
    static final Service STS = new Service("software.amazon.awssdk.services.sts",
            "software.amazon.awssdk.services.sts.StsClient");
    /** The SDK's provider of assumed-role credentials: it calls AssumeRole, and refreshes with it. */
    static final String ASSUME_ROLE_PROVIDER = "StsAssumeRoleCredentialsProvider";

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
        if (templateResource.equals(TARGET_ROLE_ARNS_REF)) {
            return TARGET_ROLE_ARN;
        }
        return templateResource.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", "REGION")
                .replace("${AWS::AccountId}", "ACCOUNT_ID").replace("${UserPoolId}", "USER_POOL_ID")
                .replace("${Table}", "TABLE_NAME");
    }

    /**
     * The target role's resources as the policy file writes them: their Region is a wildcard there
     * (aws:RequestedRegion names the Regions; a pool id names its own), REGION in the file.
     */
    static String targetPlaceholders(String resource) {
        return placeholders(resource.replace(":apigateway:*::", ":apigateway:REGION::")
                .replace("%3Aapigateway%3A*%3A%3A", "%3Aapigateway%3AREGION%3A%3A")
                .replace(":cognito-idp:*:", ":cognito-idp:REGION:"));
    }

    static Map<String, JsonNode> statementsBySid(JsonNode statements) {
        Map<String, JsonNode> out = new TreeMap<>();
        statements.forEach(s -> out.put(s.get("Sid").asText(), s));
        return out;
    }

    /**
     * The statements of a template's role "Role": its inline policies and those of every
     * AWS::IAM::RolePolicy attached to it (the conditional ones included).
     */
    static JsonNode roleStatements(Path template) {
        JsonNode root = read(template);
        com.fasterxml.jackson.databind.node.ArrayNode out = new ObjectMapper().createArrayNode();
        root.at("/Resources/Role/Properties/Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(out::add));
        root.get("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::IAM::RolePolicy") && r.at("/Properties/RoleName").asText().equals("Role")) {
                r.at("/Properties/PolicyDocument/Statement").forEach(out::add);
            }
        });
        return out;
    }

    static JsonNode templateStatements() {
        return roleStatements(TEMPLATE);
    }

    static JsonNode targetRoleStatements() {
        return roleStatements(TARGET_ROLE);
    }

    /** The policy file's statements that act on a target's own resources (API Gateway, Cognito). */
    static JsonNode fileTargetStatements() {
        com.fasterxml.jackson.databind.node.ArrayNode out = new ObjectMapper().createArrayNode();
        read(POLICY).get("Statement").forEach(s -> {
            if (strings(s.get("Action")).stream().allMatch(a -> TARGET_SERVICES.stream().anyMatch(a::startsWith))) {
                out.add(s);
            }
        });
        return out;
    }

    static List<Grant> grants(JsonNode statements, boolean fromTemplate) {
        return grants(statements, fromTemplate ? IamPolicyTest::placeholders : r -> r);
    }

    static List<Grant> grants(JsonNode statements, java.util.function.UnaryOperator<String> resources) {
        List<Grant> out = new ArrayList<>();
        for (JsonNode s : statements) {
            String sid = s.get("Sid").asText();
            if (TEMPLATE_ONLY.contains(sid)) {
                continue;
            }
            assertEquals("Allow", s.get("Effect").asText(), sid);
            for (String action : strings(s.get("Action"))) {
                for (String resource : strings(s.get("Resource"))) {
                    out.add(new Grant(sid, action, resources.apply(resource)));
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

    /** The files that assume a role through the SDK's provider (which calls AssumeRole itself). */
    static Set<String> assumeRoleProviders() {
        Set<String> out = new TreeSet<>();
        for (Path file : sources()) {
            if (text(file).contains("import " + STS.pkg() + ".auth." + ASSUME_ROLE_PROVIDER + ";")) {
                out.add(SOURCES.relativize(file).toString());
            }
        }
        return out;
    }

    static boolean usesSts() {
        return sources().stream().anyMatch(f -> text(f).contains("import " + STS.pkg() + "."));
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
        Map<String, Set<String>> sts = new TreeMap<>(calls(STS));
        Set<String> providers = assumeRoleProviders();
        if (!providers.isEmpty()) {
            sts.computeIfAbsent("assumeRole", k -> new TreeSet<>()).addAll(providers);
        }
        sts.forEach((op, files) -> {
            switch (op) {
                // a target's role: any of them (the template lists them in TargetRoleArns)
                case "assumeRole" -> needs.add(new Need("sts:AssumeRole", TARGET_ROLE_ARN, "assumeRole in " + files));
                // needs no permission (IAM cannot deny it)
                case "getCallerIdentity" -> {
                }
                default -> unmapped.add("sts " + op + " (" + files + "): map it to its IAM action and resource");
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
        file.forEach((sid, statement) -> assertEquals(sorted(statement.path("Condition")),
                sorted(template.get(sid).path("Condition")), sid + ": the same conditions"));
    }

    /** A condition block as text with its keys sorted, so that two with the same content compare equal. */
    static String sorted(JsonNode node) {
        try {
            ObjectMapper mapper = new ObjectMapper().configure(
                    com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            return mapper.writeValueAsString(mapper.convertValue(node, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- least privilege where API Gateway's IAM allows it (issue 20) ----

    /** The tags resource of another kind of API Gateway resource: a stage, a usage plan, an API. */
    static final List<String> OTHER_TAGS = List.of(
            APIGW + "/tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Frestapis%2Fa1%2Fstages%2Fprod",
            APIGW + "/tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fusageplans%2Fp1",
            APIGW + "/tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Frestapis%2Fa1");

    @Test
    void theRolesTagOnlyApiKeysAndChangeOrDeleteOnlyTheKeysTheWebhookTagged() {
        Map<Path, List<Grant>> roles = new java.util.LinkedHashMap<>();
        roles.put(POLICY, grants(read(POLICY).get("Statement"), false));
        roles.put(TEMPLATE, grants(templateStatements(), true));
        roles.put(TARGET_ROLE, grants(targetRoleStatements(), IamPolicyTest::targetPlaceholders));
        Map<Path, JsonNode> statements = Map.of(POLICY, read(POLICY).get("Statement"), TEMPLATE, templateStatements(),
                TARGET_ROLE, targetRoleStatements());
        roles.forEach((file, grants) -> {
            // apigateway:PUT (tagging) on API keys' tags only: a usage plan's (the assignable tag), a stage's
            // or an API's tags are out of reach
            List<Grant> puts = grants.stream().filter(g -> g.action().equals("apigateway:PUT")).toList();
            assertTrue(!puts.isEmpty(), file + ": no tag grant found");
            for (Grant put : puts) {
                assertTrue(matches(put.resource(), APIGW + "/tags/arn%3Aaws%3Aapigateway%3AREGION%3A%3A%2Fapikeys%2F*"),
                        file + " " + put);
                OTHER_TAGS.forEach(other -> assertTrue(!matches(put.resource(), other), file + " " + put + " tags " + other));
            }
            // PATCH and DELETE of a key only with the webhook's own tag on it
            for (JsonNode s : statements.get(file)) {
                List<String> actions = strings(s.get("Action"));
                boolean keyChange = strings(s.get("Resource")).stream().anyMatch(r -> r.endsWith("/apikeys/*"))
                        && actions.stream().anyMatch(a -> a.equals("apigateway:PATCH") || a.equals("apigateway:DELETE"));
                if (keyChange) {
                    assertEquals("\"true\"", s.at("/Condition/StringEquals").path("aws:ResourceTag/devportal-webhook:managed")
                            .toString(), file + " " + s.get("Sid").asText());
                    assertTrue(actions.stream().noneMatch(a -> a.equals("apigateway:GET")), file + ": reads need no tag "
                            + "(a key that is not the webhook's must be told apart), so they are a statement of their own");
                }
                if (actions.contains("apigateway:PUT")) {
                    assertEquals("[\"devportal-webhook:*\"]", s.at("/Condition/ForAllValues:StringLike/aws:TagKeys")
                            .toString(), file + " " + s.get("Sid").asText());
                }
            }
        });
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
        boolean sts = usesSts();
        if (!sts) {
            // before assumed roles are in the code, the AssumeTargetRoles grant cannot be checked against calls
            System.out.println("IamPolicyTest: no STS use in src/main/java; the AssumeTargetRoles grant is not checked");
        }
        List<String> unused = grants(read(POLICY).get("Statement"), false).stream()
                .filter(g -> dynamo || !g.action().startsWith("dynamodb:"))
                .filter(g -> sts || !g.action().startsWith("sts:"))
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

    // ---- the SAM template's grant of the targets' roles ----

    @Test
    void theTemplateGrantsAssumeRoleOnExactlyTheTargetRoleArnsAndNothingWhenThereAreNone() {
        JsonNode root = read(TEMPLATE);
        JsonNode parameter = root.at("/Parameters/TargetRoleArns");
        assertEquals("CommaDelimitedList", parameter.get("Type").asText());
        assertEquals("", parameter.get("Default").asText());
        // a policy of its own that exists only when the list is not empty (an empty Resource is no grant, and
        // a list [""] would be invalid)
        JsonNode policy = root.at("/Resources/TargetRolesPolicy");
        assertEquals("AWS::IAM::RolePolicy", policy.get("Type").asText());
        assertEquals("HasTargetRoles", policy.get("Condition").asText());
        // !Not [!Equals [!Join ["", !Ref TargetRoleArns], ""]]
        assertEquals("[[[\"\",\"TargetRoleArns\"],\"\"]]", root.at("/Conditions/HasTargetRoles").toString());
        assertEquals("Role", policy.at("/Properties/RoleName").asText());
        JsonNode statements = policy.at("/Properties/PolicyDocument/Statement");
        assertEquals(1, statements.size());
        assertEquals("[\"sts:AssumeRole\"]", statements.get(0).get("Action").toString());
        assertEquals("\"" + TARGET_ROLE_ARNS_REF + "\"", statements.get(0).get("Resource").toString());
        // the role's own inline policy assumes nothing
        root.at("/Resources/Role/Properties/Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(
                s -> assertTrue(strings(s.get("Action")).stream().noneMatch(a -> a.startsWith("sts:")), s.toString())));
        // the Targets parameter reaches the function as WEBHOOK_TARGETS_JSON, and the role ARN that target
        // accounts trust is an output
        assertEquals("", root.at("/Parameters/Targets/Default").asText());
        assertEquals("Targets", root.at("/Resources/WebhookFunction/Properties/Environment/Variables/WEBHOOK_TARGETS_JSON").asText());
        assertEquals("Role.Arn", root.at("/Outputs/WebhookRoleArn/Value").asText());
    }

    // ---- deploy/target-account-role.yaml ----

    @Test
    void theTargetRoleGrantsExactlyTheApiGatewayAndCognitoStatementsOfTheIamPolicyFile() {
        Map<String, JsonNode> file = statementsBySid(fileTargetStatements());
        Map<String, JsonNode> role = statementsBySid(targetRoleStatements());
        assertTrue(file.keySet().containsAll(Set.of("ApiKeysCreateAndList", "ManagedApiKeysRenameDisableDelete",
                        "UsagePlanKeysAttach", "CognitoAppClientsInTheOnePool")),
                "the file's target statements: " + file.keySet());
        assertEquals(file.keySet(), role.keySet(), "the same statements, by Sid");
        Set<String> fileActions = new TreeSet<>();
        Set<String> roleActions = new TreeSet<>();
        file.values().forEach(s -> fileActions.addAll(strings(s.get("Action"))));
        role.values().forEach(s -> roleActions.addAll(strings(s.get("Action"))));
        assertEquals(fileActions, roleActions, "the same actions");
        assertEquals(new java.util.HashSet<>(grants(fileTargetStatements(), false)),
                new java.util.HashSet<>(grants(targetRoleStatements(), IamPolicyTest::targetPlaceholders)),
                "the same actions on the same resources");
        // nothing of the webhook's own account: not its ledger, not other roles
        assertTrue(roleActions.stream().allMatch(a -> TARGET_SERVICES.stream().anyMatch(a::startsWith)), roleActions.toString());
    }

    @Test
    void noPolicyGrantsAWildcardAction() {
        List<String> wildcards = new ArrayList<>();
        Map.of(POLICY, read(POLICY).get("Statement"), TEMPLATE, templateStatements(), TARGET_ROLE, targetRoleStatements())
                .forEach((file, statements) -> statements.forEach(s -> strings(s.get("Action")).stream()
                        .filter(a -> a.contains("*") || a.contains("?") || !a.matches("[a-z-]+:[A-Za-z]+"))
                        .forEach(a -> wildcards.add(file + " " + s.get("Sid").asText() + ": " + a))));
        assertEquals(List.of(), wildcards);
        assertTrue(targetRoleStatements().size() >= 8 && templateStatements().size() >= 12, "the statements were not found");
    }

    @Test
    void theTargetRoleActsOnlyInItsRegionsAndOnlyOnTheUserPoolGiven() throws Exception {
        JsonNode root = read(TARGET_ROLE);
        Map<String, JsonNode> file = statementsBySid(fileTargetStatements());
        // API Gateway's resource ARNs have a Region but no account: aws:RequestedRegion names the Regions
        JsonNode regions = root.at("/Parameters/ApiRegions");
        assertEquals("CommaDelimitedList", regions.get("Type").asText());
        assertEquals("", regions.get("Default").asText());
        // !Equals [!Join ["", !Ref ApiRegions], ""]: empty = the stack's own Region
        assertEquals("[[\"\",\"ApiRegions\"],\"\"]", root.at("/Conditions/StackRegionOnly").toString());
        int apigateway = 0;
        for (JsonNode s : targetRoleStatements()) {
            List<String> resources = strings(s.get("Resource"));
            if (strings(s.get("Action")).stream().anyMatch(a -> a.startsWith("apigateway:"))) {
                apigateway++;
                // the Regions, and the conditions of the file's statement of the same Sid
                com.fasterxml.jackson.databind.node.ObjectNode expected = file.containsKey(s.get("Sid").asText())
                        && file.get(s.get("Sid").asText()).has("Condition")
                        ? file.get(s.get("Sid").asText()).get("Condition").deepCopy()
                        : new ObjectMapper().createObjectNode();
                com.fasterxml.jackson.databind.node.ObjectNode equals = expected.has("StringEquals")
                        ? (com.fasterxml.jackson.databind.node.ObjectNode) expected.get("StringEquals")
                        : expected.putObject("StringEquals");
                equals.set("aws:RequestedRegion", new ObjectMapper().readTree(
                        "[\"StackRegionOnly\",[\"AWS::Region\"],\"ApiRegions\"]"));
                assertEquals(new ObjectMapper().readTree(sorted(expected)), new ObjectMapper().readTree(sorted(s.path("Condition"))),
                        s.get("Sid").asText());
                resources.forEach(r -> assertTrue(r.startsWith("arn:${AWS::Partition}:apigateway:*::/"), r));
            } else if (!s.get("Sid").asText().equals("CognitoDomainCheckForCheckConfig")) {
                resources.forEach(r -> assertEquals("arn:${AWS::Partition}:cognito-idp:*:${AWS::AccountId}:userpool/${UserPoolId}", r));
            }
        }
        assertEquals(8, apigateway);
        // Cognito only with a pool: its statements are a policy that exists only then
        JsonNode cognito = root.at("/Resources/CognitoPolicy");
        assertEquals("AWS::IAM::RolePolicy", cognito.get("Type").asText());
        assertEquals("HasUserPool", cognito.get("Condition").asText());
        assertEquals("[[\"UserPoolId\",\"\"]]", root.at("/Conditions/HasUserPool").toString());
        assertEquals("", root.at("/Parameters/UserPoolId/Default").asText());
        root.at("/Resources/Role/Properties/Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(
                s -> assertTrue(strings(s.get("Action")).stream().allMatch(a -> a.startsWith("apigateway:")), s.toString())));
        // a pool id names its Region, so the Region wildcard still matches one pool
        assertTrue(java.util.regex.Pattern.compile(root.at("/Parameters/UserPoolId/AllowedPattern").asText()).matcher("sa-east-1_AbCdEf123").matches());
        assertTrue(!java.util.regex.Pattern.compile(root.at("/Parameters/UserPoolId/AllowedPattern").asText()).matcher("*").matches());
    }

    @Test
    void theTargetRoleTrustsOnlyTheWebhooksRoleAndTheOperatorsGivenAndOnlyWithTheExternalId() {
        JsonNode root = read(TARGET_ROLE);
        JsonNode role = root.at("/Resources/Role/Properties");
        assertEquals("RoleName", role.get("RoleName").asText());
        assertEquals("devportal-webhook-target", root.at("/Parameters/RoleName/Default").asText());
        JsonNode trust = role.at("/AssumeRolePolicyDocument/Statement");
        assertEquals(2, trust.size(), trust.toString());
        JsonNode t = trust.get(0);
        assertEquals("Allow", t.get("Effect").asText());
        assertEquals("{\"AWS\":\"WebhookRoleArn\"}", t.get("Principal").toString());
        assertEquals("\"sts:AssumeRole\"", t.get("Action").toString());
        assertEquals("{\"StringEquals\":{\"sts:ExternalId\":\"ExternalId\"}}", t.get("Condition").toString());
        // the operators' roles (the admin CLI), only when given, and with the same external id
        assertEquals("[\"HasOperators\",{\"Sid\":\"OperatorsWithTheExternalId\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"OperatorRoleArns\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":"
                + "{\"sts:ExternalId\":\"ExternalId\"}}},\"AWS::NoValue\"]", trust.get(1).toString());
        assertEquals("[[[\"\",\"OperatorRoleArns\"],\"\"]]", root.at("/Conditions/HasOperators").toString());
        assertEquals("", root.at("/Parameters/OperatorRoleArns/Default").asText());
        JsonNode externalId = root.at("/Parameters/ExternalId");
        assertTrue(externalId.get("NoEcho").asBoolean());
        assertTrue(externalId.path("Default").isMissingNode(), "an external id with a default");
        assertTrue(externalId.get("MinLength").asInt() >= 2);
        JsonNode webhook = root.at("/Parameters/WebhookRoleArn");
        assertTrue(webhook.path("Default").isMissingNode(), "a default principal");
        java.util.regex.Pattern arn = java.util.regex.Pattern.compile(webhook.get("AllowedPattern").asText());
        assertTrue(arn.matcher("arn:aws:iam::123456789012:role/devportal-webhook-Role-AbC").matches());
        assertTrue(!arn.matcher("*").matches() && !arn.matcher("arn:aws:iam::123456789012:root").matches());
        assertEquals("Role.Arn", root.at("/Outputs/RoleArn/Value").asText());
    }

    static String cfnLint(Path template) throws Exception {
        String bin = System.getProperty("cfn-lint.bin");
        assertTrue(bin != null && Files.isExecutable(Path.of(bin)), "cfn-lint not installed at " + bin);
        Process p = new ProcessBuilder(bin, "--format", "parseable", template.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "cfn-lint did not finish");
        return (p.exitValue() + " " + out).strip();
    }

    @Test
    void cfnLintAcceptsTheTargetRoleAndWouldCatchABrokenOne() throws Exception {
        assertEquals("0", cfnLint(TARGET_ROLE), "cfn-lint findings");
        Path broken = Files.createTempFile("target-role-broken", ".yaml");
        try {
            String text = Files.readString(TARGET_ROLE);
            assertTrue(text.contains("            Action: sts:AssumeRole\n"));
            Files.writeString(broken, text.replace("            Action: sts:AssumeRole\n", "            Actions: sts:AssumeRole\n"));
            String out = cfnLint(broken);
            assertTrue(!out.startsWith("0") && out.contains("Actions"), out);
        } finally {
            Files.delete(broken);
        }
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
