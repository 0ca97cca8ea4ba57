package io.devportal.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /q/openapi serves the contract file itself (ContractDocument), without quarkus-smallrye-openapi: the YAML
 * as written, the JSON the build wrote from it equal to it, without credentials, and never a 5xx whatever
 * format or Accept header is asked for.
 */
@QuarkusTest
class ContractDocumentTest {
    static final Path YAML_FILE = Path.of("src/main/resources/META-INF/openapi.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fileAsTree() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(YAML_FILE.toFile());
    }

    private static RequestSpecification anyone() {
        return RestAssured.given().urlEncodingEnabled(false);
    }

    @Test
    void theYamlIsTheFileAsWritten() throws IOException {
        byte[] file = Files.readAllBytes(YAML_FILE);
        List<UnaryOperator<RequestSpecification>> asks = List.of(r -> r, r -> r.queryParam("format", "yaml"),
                r -> r.queryParam("format", "YAML"), r -> r.queryParam("format", "xml"), r -> r.queryParam("format", ""),
                r -> r.accept("application/yaml"), r -> r.accept("text/html"), r -> r.accept("*/*"),
                r -> r.accept(";;;garbage//"), r -> r.accept("application/xml"));
        for (UnaryOperator<RequestSpecification> ask : asks) {
            Response r = ask.apply(anyone()).get("/q/openapi");
            assertEquals(200, r.statusCode());
            assertEquals("application/yaml;charset=UTF-8", r.contentType());
            assertArrayEquals(file, r.asByteArray());
        }
        for (String path : List.of("/q/openapi.yaml", "/q/openapi.yml")) {
            Response r = anyone().accept("application/json").get(path); // the path's extension wins
            assertEquals(200, r.statusCode(), path);
            assertEquals("application/yaml;charset=UTF-8", r.contentType(), path);
            assertArrayEquals(file, r.asByteArray());
        }
        assertArrayEquals(file, anyone().get("/q/openapi/").asByteArray());
    }

    @Test
    void theJsonEqualsTheYamlFile() throws IOException {
        JsonNode file = fileAsTree();
        List<UnaryOperator<RequestSpecification>> asks = List.of(r -> r.queryParam("format", "json"),
                r -> r.queryParam("format", "JSON"), r -> r.accept("application/json"),
                r -> r.accept("application/yaml;q=0.9, application/json;q=0.1"), r -> r.accept("APPLICATION/JSON"));
        for (UnaryOperator<RequestSpecification> ask : asks) {
            Response r = ask.apply(anyone()).get("/q/openapi");
            assertEquals(200, r.statusCode());
            assertEquals("application/json;charset=UTF-8", r.contentType());
            assertEquals(file, JSON.readTree(r.asByteArray()));
        }
        Response r = anyone().queryParam("format", "yaml").get("/q/openapi.json");
        assertEquals("application/json;charset=UTF-8", r.contentType());
        assertEquals(file, JSON.readTree(r.asByteArray()));
        // what smallrye-openapi added and a client may read: the title it was told (info-title) is the file's
        assertEquals("devportal-webhook", file.at("/info/title").asText());
    }

    @Test
    void itNeedsNoCredentialsAndWrongOnesAreNotRefused() {
        anyone().get("/q/openapi").then().statusCode(200);
        anyone().auth().preemptive().basic("portal", "wrong").queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200);
        anyone().header("Authorization", "Bearer nonsense").head("/q/openapi").then().statusCode(200);
    }

    @Test
    void noFormatAcceptOrMethodGivesA5xxAndRefusalsWearTheErrorShape() {
        for (String query : List.of("?format=%zz", "?%", "?format", "?format=json&format=yaml", "?format=" + "j".repeat(3000),
                "?format=%00", "?format=json%0d%0a")) {
            int status = rawGet("/q/openapi" + query);
            assertTrue(status > 0 && status < 500, query + " answered " + status);
        }
        for (String accept : List.of("", ";", "application/json;q=x", "\u00e9/\u00e9", "*/*;q=0", "a".repeat(10000))) {
            int status = anyone().header("Accept", accept).get("/q/openapi").statusCode();
            assertEquals(200, status, accept);
        }
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            Response r = anyone().contentType("application/json").body("{}").request(method, "/q/openapi");
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.header("Allow"), method);
            assertEquals("application/json", r.contentType(), method);
            Map<String, Object> body = r.jsonPath().getMap("$");
            assertEquals(Set.of("message", "code", "requestId"), body.keySet(), method);
            assertEquals("method_not_allowed", body.get("code"), method);
            assertEquals(r.header("X-Request-Id"), body.get("requestId"), method);
        }
    }

    /** The status of a GET with this request target exactly as given (no client would send a malformed one). */
    private static int rawGet(String target) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(target + ": " + e, e);
        }
    }

    /** A comma in a flow mapping's plain scalar made a key of its own (an appSlug description did): none left. */
    @Test
    void noKeyOfTheContractMapsToNothing() throws IOException {
        List<String> nulls = new ArrayList<>();
        collectNullValues(fileAsTree(), "", nulls);
        assertEquals(List.of(), nulls);
    }

    private static void collectNullValues(JsonNode node, String at, List<String> nulls) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(at + "/" + e.getKey());
                }
                collectNullValues(e.getValue(), at + "/" + e.getKey(), nulls);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNullValues(node.get(i), at + "/" + i, nulls); // null in an array (an enum's) is meant
            }
        }
    }

    @Test
    void smallryeOpenapiIsNoLongerInTheBuild() throws IOException {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.quarkus.smallrye.openapi.runtime.OpenApiHandler"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.smallrye.openapi.api.SmallRyeOpenAPI"));
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(!pom.contains("smallrye-openapi"), "pom.xml still names smallrye-openapi");
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertTrue(!properties.contains("smallrye-openapi.") && !properties.contains("mp.openapi."), properties);
    }
}
