package io.devportal.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.DynamoDbProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** list, show and audit read the DynamoDB ledger as they read H2 (the AWS provider on moto issues). */
@QuarkusTest
@TestProfile(DynamoDbProfile.class)
class CliOnDynamoDbTest {

    @Inject
    CommandLine.IFactory factory;

    @ConfigProperty(name = "test.usage-plans")
    List<String> plans;

    private CliRunner.Result cli(String... args) {
        CliRunner.Result result = CliRunner.run(factory, args);
        assertEquals(0, result.exit(), result.toString());
        return result;
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(name).isNull() ? null : n.path(name).asText()));
        return values;
    }

    @Test
    void listShowAndAuditFollowACredentialThroughCreateUpdateAndRevoke() {
        String slug = "cli-dyn-" + UUID.randomUUID().toString().substring(0, 8);
        String apis = "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]";
        String keyId = Api.create("{\"appName\":\"Cli on DynamoDB\",\"appSlug\":\"" + slug
                        + "\",\"developer\":\"Cli.Dyn@Example.com\",\"apis\":" + apis + "}")
                .then().statusCode(200).extract().path("apiKeyId");
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"Cli on DynamoDB v2\"}").then().statusCode(204);

        JsonNode listed = cli("list", "--developer", "cli.dyn@example.com", "--json").json();
        assertEquals(List.of(keyId), field(listed, "apiKeyId"));
        assertEquals(List.of("ACTIVE"), field(listed, "status"));
        assertEquals(List.of("Cli on DynamoDB v2"), field(listed, "appName"));

        JsonNode shown = cli("show", keyId, "--json").json();
        assertEquals("[\"" + plans.get(0) + "\"]", shown.path("usagePlans").toString());
        assertEquals(List.of("CREATE", "UPDATE"), field(shown.path("audit"), "operation"));
        assertEquals(List.of("issued", "done"), field(shown.path("audit"), "outcome"));

        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(List.of("REVOKED"), field(cli("list", "--app", "slug:" + slug, "--json").json(), "status"));
        JsonNode trail = cli("audit", "--app", "slug:" + slug, "--json").json();
        assertEquals(List.of("CREATE", "UPDATE", "REVOKE"), field(trail, "operation"));
        assertEquals(List.of("default", "default", "default"), field(trail, "account"));
    }
}
