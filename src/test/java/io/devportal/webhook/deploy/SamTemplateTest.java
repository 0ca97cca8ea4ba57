package io.devportal.webhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/sam/template.yaml}: cfn-lint (pinned, installed by ensure-test-tools.sh) accepts it,
 * and it has what the deployment relies on: the table of TABLE.md, SnapStart on a published alias,
 * the HTTPS URL as an output, the schedule, the alarms, and settings the webhook understands.
 */
class SamTemplateTest {
    static final Path TEMPLATE = Path.of("deploy/sam/template.yaml");

    static JsonNode template() throws IOException {
        return new YAMLMapper().readTree(TEMPLATE.toFile());
    }

    @Test
    void cfnLintAcceptsTheTemplate() throws Exception {
        String bin = System.getProperty("cfn-lint.bin");
        assertTrue(bin != null && Files.isExecutable(Path.of(bin)), "cfn-lint not installed at " + bin);
        Process p = new ProcessBuilder(bin, "--format", "parseable", TEMPLATE.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cfn-lint did not finish");
        assertEquals("", out.strip(), "cfn-lint findings");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void cfnLintWouldCatchABrokenTemplate() throws Exception {
        // the check above can fail: a template with an unknown property is a finding
        Path broken = Files.createTempFile("template-broken", ".yaml");
        try {
            Files.writeString(broken, Files.readString(TEMPLATE).replace("      BillingMode: PAY_PER_REQUEST\n",
                    "      BillingMode: PAY_PER_REQUEST\n      Bogus: true\n"));
            Process p = new ProcessBuilder(System.getProperty("cfn-lint.bin"), broken.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertTrue(p.exitValue() != 0 && out.contains("Bogus"), out);
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void theTableIsTheFixedShapeOnDemandWithRecoveryAndProtection() throws IOException {
        JsonNode t = template().at("/Resources/Table");
        assertEquals("AWS::DynamoDB::Table", t.get("Type").asText());
        assertEquals("Retain", t.get("DeletionPolicy").asText());
        JsonNode p = t.get("Properties");
        assertEquals("PAY_PER_REQUEST", p.get("BillingMode").asText());
        assertEquals("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]",
                p.get("KeySchema").toString());
        assertEquals(1, p.get("GlobalSecondaryIndexes").size());
        JsonNode gsi = p.get("GlobalSecondaryIndexes").get(0);
        assertEquals("gsi1", gsi.get("IndexName").asText());
        assertEquals("[{\"AttributeName\":\"gsi1pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"gsi1sk\",\"KeyType\":\"RANGE\"}]",
                gsi.get("KeySchema").toString());
        assertEquals("ALL", gsi.at("/Projection/ProjectionType").asText());
        Set<String> attributes = new TreeSet<>();
        p.get("AttributeDefinitions").forEach(a -> {
            assertEquals("S", a.get("AttributeType").asText());
            attributes.add(a.get("AttributeName").asText());
        });
        assertEquals(Set.of("pk", "sk", "gsi1pk", "gsi1sk"), attributes);
        assertEquals("ttl", p.at("/TimeToLiveSpecification/AttributeName").asText());
        assertTrue(p.at("/TimeToLiveSpecification/Enabled").asBoolean());
        assertTrue(p.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean());
        assertTrue(p.get("DeletionProtectionEnabled").asBoolean());
    }

    @Test
    void eachStackNamesItsTableAndLogGroupAfterItself() throws IOException {
        // two stacks in one account and Region (staging, production) must not collide
        JsonNode root = template();
        assertEquals("", root.at("/Parameters/TableName/Default").asText());
        assertEquals("[\"TableName\",\"\"]", root.at("/Conditions/DerivedTableName").toString());
        assertEquals("[\"DerivedTableName\",\"${AWS::StackName}-ledger\",\"TableName\"]",
                root.at("/Resources/Table/Properties/TableName").toString());
        assertEquals("/aws/lambda/${AWS::StackName}-webhook", root.at("/Resources/LogGroup/Properties/LogGroupName").asText());
        // both are kept when the stack is deleted (docs/deploy-aws.md, "Tear down")
        assertEquals("Retain", root.at("/Resources/LogGroup/DeletionPolicy").asText());
        assertEquals("Retain", root.at("/Resources/Table/UpdateReplacePolicy").asText());
        // nothing else in the stack has a fixed physical name that a second stack would collide with
        List<String> named = new ArrayList<>();
        root.get("Resources").fields().forEachRemaining(r -> r.getValue().path("Properties").fieldNames().forEachRemaining(f -> {
            // a RoleName that refers to the stack's own role (!Ref Role) names nothing new
            boolean refersToTheRole = f.equals("RoleName") && r.getValue().at("/Properties/RoleName").asText().equals("Role");
            if (f.endsWith("Name") && !refersToTheRole && !Set.of("FunctionName", "LogGroupName", "MetricName", "PolicyName").contains(f)) {
                named.add(r.getKey() + "." + f);
            }
        }));
        assertEquals(List.of("Table.TableName"), named);
        assertTrue(root.at("/Resources/WebhookFunction/Properties/FunctionName").isMissingNode(), "a fixed function name");
    }

    @Test
    void theOutputsNameTheFunctionItsAliasTheTableAndTheLogGroup() throws IOException {
        JsonNode root = template();
        JsonNode o = root.get("Outputs");
        assertEquals("WebhookFunction", o.at("/FunctionName/Value").asText());
        assertEquals(root.at("/Resources/WebhookFunction/Properties/AutoPublishAlias").asText(), o.at("/FunctionAlias/Value").asText());
        assertEquals("WebhookFunction.Alias", o.at("/FunctionAliasArn/Value").asText());
        assertEquals("Table", o.at("/TableName/Value").asText());
        assertEquals("LogGroup", o.at("/LogGroupName/Value").asText());
        assertEquals("WebhookFunctionUrl.FunctionUrl", o.at("/WebhookUrl/Value").asText());
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        assertEquals("Role.Arn", o.at("/WebhookRoleArn/Value").asText());
        assertEquals(List.of("WebhookUrl", "FunctionName", "FunctionAlias", "FunctionAliasArn", "TableName", "LogGroupName",
                "WebhookRoleArn"), names);
    }

    @Test
    void reservedConcurrencyDefaultsToNoReservationSoANewAccountCanDeploy() throws IOException {
        // a new account's concurrency quota is 10 and AWS keeps 10 unreserved: any reservation fails there
        JsonNode root = template();
        assertEquals(0, root.at("/Parameters/ReservedConcurrency/Default").asInt());
        assertEquals(0, root.at("/Parameters/ReservedConcurrency/MinValue").asInt());
        assertEquals("[[\"ReservedConcurrency\",0]]", root.at("/Conditions/ReserveConcurrency").toString());
        assertEquals("[\"ReserveConcurrency\",\"ReservedConcurrency\",\"AWS::NoValue\"]",
                root.at("/Resources/WebhookFunction/Properties/ReservedConcurrentExecutions").toString());
    }

    @Test
    void theNextAccountReachesTheFunctionOnlyWhileItsHashIsSet() throws IOException {
        JsonNode root = template();
        JsonNode hash = root.at("/Parameters/NextPortalPasswordHash");
        assertTrue(hash.get("NoEcho").asBoolean());
        // not empty: the guided deploy repeats a NoEcho question until something is typed
        assertEquals("none", hash.get("Default").asText());
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(hash.get("AllowedPattern").asText());
        assertTrue(allowed.matcher("").matches());
        assertTrue(allowed.matcher("none").matches());
        assertTrue(allowed.matcher("$2b$12$" + "a".repeat(53)).matches());
        assertTrue(!allowed.matcher("the-password-itself").matches());
        assertEquals("[[[\"NextPortalPasswordHash\",\"\"],[\"NextPortalPasswordHash\",\"none\"]]]",
                root.at("/Conditions/HasNextAccount").toString());
        JsonNode env = root.at("/Resources/WebhookFunction/Properties/Environment/Variables");
        assertEquals("[\"HasNextAccount\",\"NextPortalPasswordHash\",\"AWS::NoValue\"]",
                env.get("WEBHOOK_ACCOUNTS_NEXT_PASSWORD_HASH").toString());
        assertEquals("[\"HasNextAccount\",[\"NextUsesPortalUsername\",\"PortalUsername\",\"NextPortalUsername\"],\"AWS::NoValue\"]",
                env.get("WEBHOOK_ACCOUNTS_NEXT_USERNAME").toString());
    }

    /** The Java runtimes AWS documents SnapStart for (docs.aws.amazon.com/lambda/latest/dg/snapstart.html). */
    static final Set<String> SNAPSTART_JAVA_RUNTIMES = Set.of("java11", "java17", "java21", "java25");

    @Test
    void theRuntimeParameterOffersJava21AndJava25BothWithSnapStart() throws Exception {
        JsonNode root = template();
        JsonNode runtime = root.at("/Parameters/Runtime");
        assertEquals("java21", runtime.get("Default").asText());
        assertEquals("[\"java21\",\"java25\"]", runtime.get("AllowedValues").toString());
        assertEquals("Runtime", root.at("/Resources/WebhookFunction/Properties/Runtime").asText());
        for (JsonNode value : runtime.get("AllowedValues")) {
            assertTrue(SNAPSTART_JAVA_RUNTIMES.contains(value.asText()), value + " has no SnapStart");
            // cfn-lint knows the runtime and finds nothing with it written in
            Path literal = Files.createTempFile("template-" + value.asText(), ".yaml");
            try {
                String text = Files.readString(TEMPLATE);
                assertTrue(text.contains("      Runtime: !Ref Runtime\n"));
                Files.writeString(literal, text.replace("      Runtime: !Ref Runtime\n", "      Runtime: " + value.asText() + "\n"));
                Process p = new ProcessBuilder(System.getProperty("cfn-lint.bin"), "--format", "parseable", literal.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                assertEquals("", out.strip(), value.asText());
            } finally {
                Files.delete(literal);
            }
        }
    }

    @Test
    void theFunctionRunsTheLambdaHandlerWithSnapStartOnAPublishedAliasBehindAnHttpsUrl() throws IOException {
        JsonNode root = template();
        JsonNode f = root.at("/Resources/WebhookFunction/Properties");
        assertEquals("io.devportal.webhook.lambda.WebhookLambda::handleRequest", f.get("Handler").asText());
        assertEquals("PublishedVersions", f.at("/SnapStart/ApplyOn").asText());
        assertEquals("live", f.get("AutoPublishAlias").asText());
        assertEquals("NONE", f.at("/FunctionUrlConfig/AuthType").asText());
        // sam build runs deploy/sam/Makefile in the repository root; its output is the CodeUri
        JsonNode build = root.at("/Resources/WebhookFunction/Metadata");
        assertEquals("makefile", build.get("BuildMethod").asText());
        assertTrue(Files.readString(TEMPLATE.resolveSibling(build.get("ContextPath").asText()).resolve("Makefile"))
                .contains("\nbuild-WebhookFunction:\n"));
        assertEquals(Path.of("").toAbsolutePath(), TEMPLATE.toAbsolutePath().getParent()
                .resolve(build.get("WorkingDirectory").asText()).normalize());
        assertEquals("../../target/function-code", f.get("CodeUri").asText());
        assertTrue(Files.exists(TEMPLATE.getParent().resolve("../../src/lambda/java/io/devportal/webhook/lambda/WebhookLambda.java")));
        assertEquals("Schedule", f.at("/Events/Sweeper/Type").asText());
        assertEquals("off", f.at("/Environment/Variables/WEBHOOK_SWEEPER_EVERY").asText());
        assertEquals("dynamodb", f.at("/Environment/Variables/WEBHOOK_LEDGER").asText());
        assertEquals("aws", f.at("/Environment/Variables/WEBHOOK_PROVIDER").asText());
        assertTrue(root.at("/Parameters/PortalPasswordHash/NoEcho").asBoolean());
        assertEquals("WebhookFunctionUrl.FunctionUrl", root.at("/Outputs/WebhookUrl/Value").asText());
        // the public grant that URLs need is limited to invocations through the URL
        JsonNode permission = root.at("/Resources/UrlInvokePermission/Properties");
        assertEquals("lambda:InvokeFunction", permission.get("Action").asText());
        assertEquals("*", permission.get("Principal").asText());
        assertTrue(permission.get("InvokedViaFunctionUrl").asBoolean());
        assertEquals("WebhookFunction.Alias", permission.get("FunctionName").asText());
    }

    @Test
    void theFunctionTimeoutOutlastsTheDeadlineAndItsUndoAndIsShorterThanTheLease() throws IOException {
        JsonNode f = template().at("/Resources/WebhookFunction/Properties");
        java.time.Duration timeout = java.time.Duration.ofSeconds(f.get("Timeout").asLong());
        JsonNode env = f.at("/Environment/Variables");
        java.time.Duration deadline = java.time.Duration.parse(env.get("WEBHOOK_REQUEST_DEADLINE").asText());
        java.time.Duration undo = java.time.Duration.parse(env.get("WEBHOOK_REQUEST_UNDO_TIME").asText());
        java.time.Duration lease = java.time.Duration.parse(env.get("WEBHOOK_LEASE_DURATION").asText());
        java.time.Duration skew = java.time.Duration.parse(env.get("WEBHOOK_LEASE_CLOCK_SKEW").asText());
        assertTrue(deadline.plus(undo).compareTo(timeout) < 0, "a request answers before Lambda cuts it off: "
                + deadline + " + " + undo + " < " + timeout);
        assertTrue(timeout.compareTo(lease.minus(skew)) < 0, "the sweeper never takes over a running invocation: "
                + timeout + " < " + lease + " - " + skew);
    }

    @Test
    void theRollbackAlarmWatchesTheLineTheServiceWrites() throws IOException {
        JsonNode root = template();
        String pattern = root.at("/Resources/RollbackFailedMetric/Properties/FilterPattern").asText();
        assertEquals("\"rollback failed too\"", pattern);
        String service = Files.readString(Path.of("src/main/java/io/devportal/webhook/provisioning/CreateOperation.java"));
        assertTrue(service.contains("rollback failed too"), "CreateOperation (the create's undo) no longer logs the line the alarm watches");
        assertEquals(root.at("/Resources/RollbackFailedMetric/Properties/MetricTransformations/0/MetricName").asText(),
                root.at("/Resources/RollbackFailedAlarm/Properties/MetricName").asText());
        assertEquals("Errors", root.at("/Resources/FunctionErrorsAlarm/Properties/MetricName").asText());
        String api = Files.readString(Path.of("src/main/java/io/devportal/webhook/api/HttpFilters.java"));
        assertTrue(api.contains("\"request method=%s path=%s status=%d"), "the request log line changed");
    }

    @Test
    void everyWebhookVariableTheTemplateSetsIsAPropertyTheServiceReads() throws IOException {
        // WEBHOOK_X_Y is webhook.x-y (or webhook.x.y); the configuration interface declares each one
        // WebhookConfig and the groups it extends (AccessSettings, AwsSettings, LedgerSettings)
        StringBuilder declared = new StringBuilder();
        try (var files = Files.list(Path.of("src/main/java/io/devportal/webhook/config"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("WebhookConfig\\.java|\\w+Settings\\.java"))
                    .sorted().toList()) {
                declared.append(Files.readString(file));
            }
        }
        String config = declared.toString();
        assertTrue(config.contains("interface WebhookConfig extends"), "WebhookConfig.java was not read");
        List<String> unknown = new ArrayList<>();
        template().at("/Resources/WebhookFunction/Properties/Environment/Variables").fieldNames().forEachRemaining(name -> {
            if (!name.startsWith("WEBHOOK_")) {
                return;
            }
            String[] parts = name.substring("WEBHOOK_".length()).toLowerCase().split("_");
            // the last word or words must be a declared method name (camelCase) or @WithName
            boolean found = false;
            for (int i = 0; i < parts.length && !found; i++) {
                String kebab = String.join("-", java.util.Arrays.copyOfRange(parts, i, parts.length));
                StringBuilder camel = new StringBuilder(parts[i]);
                for (int j = i + 1; j < parts.length; j++) {
                    camel.append(Character.toUpperCase(parts[j].charAt(0))).append(parts[j].substring(1));
                }
                found = config.contains("@WithName(\"" + kebab + "\")") || config.contains(" " + camel + "();");
            }
            if (!found) {
                unknown.add(name);
            }
        });
        // the ledger's settings come with the DynamoDB ledger (webhook.ledger, webhook.dynamodb.table)
        if (!config.contains("ledger()")) {
            unknown.removeAll(List.of("WEBHOOK_LEDGER", "WEBHOOK_DYNAMODB_TABLE"));
        }
        assertEquals(List.of(), unknown);
    }
}
