import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build's step that writes the contract as JSON: {@code java -cp <test class path> OpenApiJson.java
 * <openapi.yaml> <openapi.json>}, run by the pom (execution openapi-json, phase process-resources) into
 * target/classes/META-INF/openapi.json, which the service serves at /q/openapi?format=json
 * (io.devportal.webhook.api.ContractDocument). The YAML is parsed here, at build time, with
 * jackson-dataformat-yaml, a test dependency: neither it nor any YAML parser is in the application.
 * Keys keep the file's order; the output is pretty-printed as quarkus-smallrye-openapi printed it.
 */
public class OpenApiJson {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OpenApiJson <openapi.yaml> <openapi.json>");
            System.exit(2);
        }
        Path yaml = Path.of(args[0]);
        Path json = Path.of(args[1]);
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
        if (document == null || !document.isObject() || !document.has("openapi")) {
            System.err.println(yaml + " is not an OpenAPI document");
            System.exit(1);
        }
        byte[] bytes = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.write(json, bytes);
    }
}
