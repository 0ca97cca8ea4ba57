package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A second moto server, for DynamoDB only, that handles one request at a time. The shared
 * {@link MotoServer} answers requests on many threads, and moto's TransactWriteItems is not atomic
 * between threads (it applies the items one by one and undoes a cancelled transaction by restoring
 * a copy of the whole table, which can undo or keep another transaction's writes): a concurrent
 * race against it would test moto, not the ledger. DynamoDB itself runs transactions serializably;
 * one request at a time is the same isolation. The SDK sends DynamoDB calls here through
 * {@code aws.endpointUrlDynamoDb} (its service-specific endpoint property); the other services keep
 * the shared server.
 */
public class DynamoDbMoto implements QuarkusTestResourceLifecycleManager {
    private static final String SERVE = String.join("\n",
            "import sys",
            "from werkzeug.serving import run_simple",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app",
            "app = DomainDispatcherApplication(create_backend_app)",
            "run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=False, request_handler=MotoRequestHandler)");

    private static Process process;
    private static String endpoint;

    public static synchronized String endpoint() {
        if (process == null || !process.isAlive()) {
            launch();
        }
        return endpoint;
    }

    @Override
    public Map<String, String> start() {
        System.setProperty("aws.endpointUrlDynamoDb", endpoint());
        return Map.of();
    }

    @Override
    public void stop() {
        System.clearProperty("aws.endpointUrlDynamoDb");
    }

    private static void launch() {
        String python = ChildServer.installed("moto.python", "moto");
        int port = ChildServer.freePort();
        try {
            Path log = Files.createTempFile("moto-dynamodb-", ".log");
            process = ChildServer.start(new ProcessBuilder(python, "-c", SERVE, Integer.toString(port)), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto for DynamoDB", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        if (!ChildServer.awaitHttp(process, endpoint + "/moto-api/", Duration.ofSeconds(60), 0, status -> status < 500)) {
            throw new IllegalStateException("moto for DynamoDB did not start within 60 s");
        }
    }
}
