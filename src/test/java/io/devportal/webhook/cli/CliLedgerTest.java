package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.devportal.webhook.support.Api.createBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** list, show, audit, sweep and the CLI's help and exit codes, in-process on the embedded ledger (H2). */
@QuarkusTest
class CliLedgerTest {

    @Inject
    CommandLine.IFactory factory;

    @Inject
    Db db;

    private CliRunner.Result cli(String... args) {
        return CliRunner.run(factory, args);
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(name).isNull() ? null : n.path(name).asText()));
        return values;
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasHelpAndJson() {
        CliRunner.Result help = cli("--help");
        assertEquals(0, help.exit(), help.toString());
        for (String command : List.of("list", "show", "audit", "reconcile", "revoke", "backup", "sweep",
                "check-config")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " missing from\n" + help.out());
            CliRunner.Result own = cli(command, "--help");
            assertEquals(0, own.exit(), own.toString());
            assertTrue(own.out().contains("--json"), command + " has no --json:\n" + own.out());
        }
    }

    @Test
    void aBadCommandOrOptionExitsOneAndSaysWhat() {
        CliRunner.Result unknown = cli("frobnicate");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("Unmatched argument at index 0: 'frobnicate'"), unknown.err());
        CliRunner.Result badStatus = cli("list", "--status", "LOST");
        assertEquals(1, badStatus.exit(), badStatus.toString());
        assertTrue(badStatus.err().contains("Invalid value for option '--status'"), badStatus.err());
        CliRunner.Result badSince = cli("audit", "--since", "yesterday");
        assertEquals(1, badSince.exit(), badSince.toString());
        assertTrue(badSince.err().contains("--since: expected an instant"), badSince.err());
        CliRunner.Result noId = cli("show");
        assertEquals(1, noId.exit(), noId.toString());
        CliRunner.Result unknownId = cli("show", "lk-never-issued");
        assertEquals(1, unknownId.exit(), unknownId.toString());
        assertEquals("error: not_found: no credential has the id, apiKeyId or clientId lk-never-issued\n", unknownId.err());
        assertEquals("", unknownId.out());
        CliRunner.Result badOption = cli("list", "--no-such-option");
        assertEquals("error: usage: Unknown option: '--no-such-option' (see 'java -jar quarkus-run.jar list --help')\n",
                badOption.err());
    }

    @Test
    void versionIsThePomsVersionForTheCliAndEachCommand() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>devportal-webhook</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertTrue(version.find(), "the project's version in pom.xml");
        CliRunner.Result top = cli("--version");
        assertEquals(0, top.exit(), top.toString());
        assertEquals("devportal-webhook " + version.group(1) + "\n", top.out());
        assertEquals(top.out(), cli("list", "--version").out());
    }

    @Test
    void listFiltersByAppDeveloperStatusAndType() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String keyApp = "Cli key app " + s;
        String clientApp = "Cli client app " + s;
        String developer = "Cli." + s + "@Example.com";
        String keyId = Api.create(createBody(keyApp, developer, "[{\"id\":\"a\",\"usagePlans\":[{\"id\":\"gold\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        String clientId = Api.create(createBody(clientApp, developer, "[{\"id\":\"cc-api\"}]"))
                .then().statusCode(200).extract().path("clientId");
        Api.revoke("{\"clientId\":\"" + clientId + "\"}").then().statusCode(204);

        CliRunner.Result byDeveloper = cli("list", "--developer", developer.toLowerCase(), "--json");
        assertEquals(0, byDeveloper.exit(), byDeveloper.toString());
        assertEquals(List.of(keyApp, clientApp), field(byDeveloper.json(), "appName"));
        assertEquals(List.of("ACTIVE", "REVOKED"), field(byDeveloper.json(), "status"));
        // only ASCII case is ignored
        assertEquals(0, cli("list", "--developer", developer.replace("i", "\u0130"), "--json").json().size());

        JsonNode byApp = cli("list", "--app", keyApp, "--json").json();
        assertEquals(List.of(keyId), field(byApp, "apiKeyId"));
        assertEquals("a", byApp.get(0).path("apis").get(0).path("apiId").asText());
        assertEquals(List.of(clientId), field(cli("list", "--developer", developer, "--status", "revoked",
                "--json").json(), "clientId"));
        assertEquals(List.of(clientApp), field(cli("list", "--developer", developer, "--type", "CLIENT_CREDENTIALS",
                "--json").json(), "appName"));
        assertEquals(List.of(keyApp), field(cli("list", "--developer", developer, "--limit", "1", "--json").json(),
                "appName"));

        CliRunner.Result table = cli("list", "--developer", developer);
        assertEquals(0, table.exit(), table.toString());
        String[] lines = table.out().split("\n");
        assertEquals("ID\tSTATUS\tTYPE\tAPI_KEY_ID\tCLIENT_ID\tAPP_NAME\tDEVELOPER\tCREATED_AT", lines[0]);
        assertTrue(lines[1].contains("\tACTIVE\tAPI_KEY\t" + keyId + "\t-\t" + keyApp + "\t" + developer + "\t"), lines[1]);
        assertTrue(lines[2].contains("\tREVOKED\tCLIENT_CREDENTIALS\t-\t" + clientId + "\t" + clientApp), lines[2]);
        assertEquals("2 credential(s)", lines[3]);
    }

    @Test
    void showFindsACredentialByAnyOfItsIdsWithItsPlansScopesJournalAndAuditHistory() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        JsonPath hybrid = Api.create(createBody("Cli show " + s, "show@example.com",
                        "[{\"id\":\"cc-api\"},{\"id\":\"b\",\"usagePlans\":[{\"id\":\"gold\"},{\"id\":\"silver\"}]}]"))
                .then().statusCode(200).extract().jsonPath();
        String clientId = hybrid.getString("clientId");
        String keyId = hybrid.getString("customCredentials.apiKeyId");
        Api.update("{\"clientId\":\"" + clientId + "\",\"apis\":[{\"id\":\"cc-api\"},{\"id\":\"b\",\"usagePlans\":"
                + "[{\"id\":\"gold\"}]}]}").then().statusCode(204);

        JsonNode byClient = cli("show", clientId, "--json").json();
        String credentialId = byClient.path("credential").path("id").asText();
        assertEquals(credentialId, db.string("SELECT id FROM credential WHERE client_id = ?", clientId));
        assertEquals("[\"gold\"]", byClient.path("usagePlans").toString());
        assertEquals("[\"cc-api/read\",\"cc-api/write\"]", byClient.path("scopes").toString());
        assertEquals(List.of(clientId, keyId), field(byClient.path("resources"), "id"));
        assertEquals(List.of("CREATE", "UPDATE"), field(byClient.path("operations"), "kind"));
        assertEquals(List.of("CREATE", "UPDATE"), field(byClient.path("audit"), "operation"));
        assertEquals(List.of("issued", "done"), field(byClient.path("audit"), "outcome"));
        assertEquals(byClient, cli("show", keyId, "--json").json());
        assertEquals(byClient, cli("show", credentialId, "--json").json());
        // no secret in what show prints
        CliRunner.Result text = cli("show", keyId);
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("usagePlans  gold\n"), text.out());
        assertTrue(text.out().contains("audit:\n  audit at="), text.out());
        for (String secret : List.of(hybrid.getString("clientSecret"), hybrid.getString("customCredentials.apiKey"))) {
            assertTrue(!text.out().contains(secret) && !byClient.toString().contains(secret), "a secret is shown");
        }
    }

    @Test
    void auditFiltersBySinceAndAppAndPrintsOneEscapedLinePerRecord() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String app = "Cli audit " + s + "\u202E";
        Api.create(createBody(app, "audit@example.com", "[{\"id\":\"a\"}]")).then().statusCode(200);
        Api.create(createBody(app, "audit@example.com", "[{\"id\":\"a\"}]")).then().statusCode(200);

        JsonNode records = cli("audit", "--app", app, "--since", "PT1H", "--json").json();
        assertEquals(List.of("issued", "idempotent"), field(records, "outcome"));
        assertEquals(List.of("default", "default"), field(records, "account"));
        assertEquals(0, cli("audit", "--app", app, "--since", "2999-01-01T00:00:00Z", "--json").json().size());
        assertEquals(List.of("idempotent"), field(cli("audit", "--app", app, "--limit", "1", "--json").json(), "outcome"));

        CliRunner.Result text = cli("audit", "--app", app);
        assertEquals(0, text.exit(), text.toString());
        String[] lines = text.out().split("\n");
        assertEquals(2, lines.length, text.out());
        assertTrue(lines[0].startsWith("audit at=\"") && lines[0].contains(" operation=\"CREATE\" outcome=\"issued\" ")
                && lines[0].contains(" appName=\"Cli audit " + s + "\\u202E\" "), lines[0]);
    }

    @Test
    void sweepRunsTheSweeperOnceNow() {
        CliRunner.Result text = cli("sweep");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().matches("sweeper finished \\d+ abandoned operation\\(s\\)\n"), text.out());
        CliRunner.Result json = cli("sweep", "--json");
        assertEquals(0, json.exit(), json.toString());
        assertTrue(json.json().path("finished").isInt(), json.out());
    }
}
