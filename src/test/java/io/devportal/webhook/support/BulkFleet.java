package io.devportal.webhook.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several processes of the built service ({@link BuiltService}) on ONE ledger, as Lambda runs them:
 * a DynamoDB table on moto ({@link DynamoDbMoto}), the AWS provider pointed at moto behind the strict
 * twin ({@link StrictAws}), and the shared control-plane budget on (the jar runs the prod profile,
 * so the budget is on unless {@code WEBHOOK_AWS_BUDGET_PER_SECOND=0} is set for a process). The
 * processes are started one after the other (the first makes the table).
 */
public final class BulkFleet implements AutoCloseable {
    /** The client-credentials API of the workload (its resource server is in {@link MotoResource}'s pool). */
    public static final String CC_API = "cc-api";

    private final List<BuiltService> services = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    /**
     * @param pool the user pool (MotoResource's {@code webhook.cognito.user-pool-id})
     * @param work a directory for each process's data and log
     */
    public BulkFleet(String pool, Path work) {
        env.put("WEBHOOK_PROVIDER", "aws");
        env.put("AWS_ENDPOINT_URL", StrictAws.endpoint());
        env.put("AWS_REGION", StrictAws.DEFAULT_REGION);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_PROFILE", null);
        env.put("WEBHOOK_COGNITO_USER_POOL_ID", pool);
        env.put("WEBHOOK_COGNITO_DOMAIN", MotoResource.DOMAIN);
        env.put("WEBHOOK_AWS_LOOKUP_SETTLE", "PT1S");
        env.put("WEBHOOK_APIS_JSON", "{\"" + CC_API + "\":{\"credentialType\":\"CLIENT_CREDENTIALS\","
                + "\"scopes\":[\"read\"]}}");
        env.put("WEBHOOK_TARGETS_JSON", "{}");
        env.put("WEBHOOK_LEDGER", "dynamodb");
        env.put("WEBHOOK_DYNAMODB_TABLE", "bulk-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("WEBHOOK_DYNAMODB_CREATE_TABLE", "true");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbMoto.endpoint());
        // several JVMs on a shared 2-core box: small heaps, one GC thread
        env.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        this.work = work;
    }

    private final Path work;

    /** Sets a variable of every process started after this (a {@code null} value removes it). */
    public BulkFleet env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The ledger's and provider's environment, for the admin CLI ({@link CliJar}) on the same ledger. */
    public Map<String, String> environment() {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.remove("JAVA_TOOL_OPTIONS");
        copy.values().removeIf(v -> v == null);
        return copy;
    }

    /** Starts one more process, with {@code extra} on top of the fleet's environment. */
    public BuiltService start(Map<String, String> extra) throws Exception {
        int n = services.size() + 1;
        Path dir = work.resolve("process-" + n);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        BuiltService service = new BuiltService(dir, dir);
        env.forEach(service::env);
        extra.forEach(service::env);
        services.add(service);
        return service.start();
    }

    public List<BuiltService> services() {
        return services;
    }

    @Override
    public void close() throws InterruptedException {
        for (BuiltService s : services) {
            s.close();
        }
    }
}
