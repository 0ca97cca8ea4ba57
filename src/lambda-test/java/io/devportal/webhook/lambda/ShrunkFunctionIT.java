package io.devportal.webhook.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.ledger.dynamodb.DynamoDbTable;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.MotoServer;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function.zip, with its AWS SDK service jars shrunk (src/lambda-build/ShrinkFunction),
 * run in a JVM whose class path is the unpacked zip alone ({@link FunctionZipDriver}): AWS provider
 * and DynamoDB ledger, as the SAM template configures it, against moto behind the strict twin, with
 * the targets of {@link MotoTargetsResource} (a partner account in another Region reached through
 * an assumed role). Every AWS operation the function runs is run here from the shrunk jars: the
 * priming of all of them, key and client creates, an update that drops a target, revokes, an AWS
 * refusal unmarshalled into its exception (an unknown usage plan), the health check and the
 * scheduled sweep. A class the shrink removed that a path needs answers ERROR (NoClassDefFoundError)
 * or a 5xx here; the effects are checked in moto with the tests' own (unshrunk) clients.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShrunkFunctionIT {
    static final String TABLE = "shrunk-function-ledger";

    static Map<String, String> config;
    static Path work;
    static Process function;
    static Writer commands;
    static BufferedReader answers;
    static final List<String> output = Collections.synchronizedList(new ArrayList<>());
    static ApiGatewayClient home;
    static ApiGatewayClient partner;
    static CognitoIdentityProviderClient partnerCognito;

    @BeforeAll
    static void start() throws Exception {
        config = new MotoTargetsResource().start();
        try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(URI.create(MotoServer.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            DynamoDbTable.create(ddb, TABLE);
        }
        home = Aws.apiGateway();
        partner = Aws.apiGateway(MotoTargetsResource.PARTNER_ACCOUNT, MotoTargetsResource.PARTNER_REGION);
        partnerCognito = Aws.cognito(MotoTargetsResource.PARTNER_ACCOUNT, MotoTargetsResource.PARTNER_REGION);

        work = Files.createTempDirectory("shrunk-function");
        unzip(FunctionZipIT.zip(), work.resolve("function"));
        Path driver = work.resolve("driver/io/devportal/webhook/lambda/FunctionZipDriver.class");
        Files.createDirectories(driver.getParent());
        try (InputStream in = FunctionZipDriver.class.getResourceAsStream("FunctionZipDriver.class")) {
            Files.copy(in, driver);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", work.resolve("driver") + ":" + work.resolve("function") + ":"
                        + work.resolve("function/lib") + "/*"));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-Daws.endpointUrl=" + StrictAws.endpoint(), "-Daws.endpointUrlDynamoDb=" + MotoServer.endpoint(),
                "-Daws.region=us-east-1", "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing",
                FunctionZipDriver.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("WEBHOOK_PROVIDER", "aws");
        env.put("WEBHOOK_LEDGER", "dynamodb");
        env.put("WEBHOOK_DYNAMODB_TABLE", TABLE);
        env.put("WEBHOOK_USERNAME", Api.USER);
        env.put("WEBHOOK_PASSWORD", Api.PASSWORD);
        env.put("WEBHOOK_DATA_DIR", Files.createDirectories(work.resolve("data")).toString());
        env.put("WEBHOOK_SWEEPER_EVERY", "off");
        env.put("DISABLE_SIGNAL_HANDLERS", "true");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        function = pb.start();
        commands = new OutputStreamWriter(function.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(function.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("READY", next());
    }

    @AfterAll
    static void stop() throws Exception {
        if (function != null) {
            send("EXIT");
            if (!function.waitFor(30, TimeUnit.SECONDS)) {
                function.destroyForcibly();
            }
        }
        home.close();
        partner.close();
        partnerCognito.close();
    }

    @Test
    @Order(1)
    void primingRunsEveryAwsOperationOfTheShrunkJarsWithoutAFailedStep() throws IOException {
        assertEquals("[]", send("PRIME"), log());
        assertEquals("OK", send("HOOKS"), log());
    }

    @Test
    @Order(2)
    void aKeyIsIssuedInBothTargetsChangedAndRevokedFromTheShrunkJars() throws IOException {
        StrictAws.reset();
        String plan = config.get("test.usage-plans").split(",")[0];
        String partnerPlan = config.get("test.partner-plans").split(",")[0];
        String apis = "[" + api("api1", plan) + "," + api(MotoTargetsResource.PARTNER_API, partnerPlan) + "]";
        JsonNode created = body(call("/v1/createCredentials", Api.createBody("Shrunk app", "s@example.com", apis), 200));
        String keyId = created.get("apiKeyId").asText();
        String value = created.get("apiKey").asText();
        assertEquals(value, home.getApiKey(b -> b.apiKey(keyId).includeValue(true)).value());
        assertEquals(1, partnerKeys(value).size(), "one key with the value in the partner's account");

        call("/v1/updateCredentials", "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"Shrunk app\",\"developer\":\"s@example.com\","
                + "\"apis\":[" + api("api1", plan) + "]}", 204);
        assertEquals(List.of(), partnerKeys(value), "the update took the partner target out");

        call("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}", 204);
        assertThrows(NotFoundException.class, () -> home.getApiKey(b -> b.apiKey(keyId)));
        // the home target has no role: its account is the function's, from the ARN it was invoked by (OwnAccount),
        // with no STS call on the first create of a restored container
        assertEquals(0, StrictAws.stats().path("GetCallerIdentity").path("calls").asInt(), StrictAws.stats().toString());
    }

    @Test
    @Order(3)
    void aClientIsIssuedInThePartnersPoolAndRevokedFromTheShrunkJars() throws IOException {
        JsonNode created = body(call("/v1/createCredentials", Api.createBody("Shrunk client", "c@example.com",
                "[{\"id\":\"" + MotoTargetsResource.PARTNER_CC_API + "\"}]"), 200));
        String clientId = created.get("clientId").asText();
        String pool = config.get("test.partner-user-pool");
        assertEquals(created.get("clientSecret").asText(), partnerCognito.describeUserPoolClient(
                b -> b.userPoolId(pool).clientId(clientId)).userPoolClient().clientSecret());
        call("/v1/revokeCredentials", "{\"credentialType\":\"CLIENT_CREDENTIALS\",\"clientId\":\"" + clientId + "\"}", 204);
        assertThrows(ResourceNotFoundException.class, () -> partnerCognito.describeUserPoolClient(
                b -> b.userPoolId(pool).clientId(clientId)));
    }

    @Test
    @Order(4)
    void anAwsRefusalIsUnmarshalledAndAnsweredInContractShape() throws IOException {
        JsonNode refused = body(call("/v1/createCredentials", Api.createBody("Shrunk refused", "r@example.com",
                "[" + api("api1", "no-such-plan") + "]"), 422));
        assertNotNull(refused.get("code"), refused.toString());
        assertTrue(refused.get("message").asText().startsWith("apis[].usagePlans: usage plan no-such-plan does not exist"),
                refused.toString());
    }

    @Test
    @Order(5)
    void theHealthCheckAndTheScheduledSweepRunFromTheShrunkJars() throws IOException {
        JsonNode health = LambdaEvents.JSON.readTree(send(LambdaEvents.get(LambdaEvents.Source.FUNCTION_URL, "/v1/health",
                "authorization", LambdaEvents.BASIC).toString()));
        // 204: every target's API Gateway and Cognito answered (CredentialsResource.health)
        assertEquals(204, health.get("statusCode").asInt(), health.toString() + log());
        assertEquals("{\"swept\":0}", send("{\"version\":\"0\",\"id\":\"7d1c1f4e-0000-4000-8000-000000000001\","
                + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"123456789012\","
                + "\"time\":\"2026-12-01T08:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}"), log());
    }

    static String api(String id, String plan) {
        return "{\"id\":\"" + id + "\",\"usagePlans\":[{\"id\":\"" + plan + "\"}]}";
    }

    static List<ApiKey> partnerKeys(String value) {
        return partner.getApiKeys(b -> b.includeValues(true).limit(500)).items().stream()
                .filter(k -> value.equals(k.value())).toList();
    }

    /** A portal call through the function; asserts its status and returns the Lambda response. */
    static JsonNode call(String path, String body, int status) throws IOException {
        String raw = send(LambdaEvents.post(LambdaEvents.Source.FUNCTION_URL, path, body, false,
                "authorization", LambdaEvents.BASIC, "content-type", "application/json").toString());
        assertTrue(!raw.startsWith("ERROR"), raw + log());
        JsonNode response = LambdaEvents.JSON.readTree(raw);
        assertEquals(status, response.get("statusCode").asInt(), raw + log());
        return response;
    }

    static JsonNode body(JsonNode response) throws IOException {
        return LambdaEvents.JSON.readTree(response.get("body").asText());
    }

    /** One command to the function's JVM, and its answer. */
    static String send(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
        return line.equals("EXIT") ? "" : next();
    }

    static String next() throws IOException {
        for (String line; (line = answers.readLine()) != null; ) {
            if (line.startsWith(FunctionZipDriver.ANSWER)) {
                return line.substring(FunctionZipDriver.ANSWER.length());
            }
            output.add(line);
        }
        throw new AssertionError("the function's JVM ended" + log());
    }

    static String log() {
        synchronized (output) {
            return "\n--- the function's output:\n" + String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size()));
        }
    }

    static void unzip(Path zip, Path into) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the zip's directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, target);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
        }
    }
}
