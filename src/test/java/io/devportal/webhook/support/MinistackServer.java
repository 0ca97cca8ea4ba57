package io.devportal.webhook.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One ministack (a second AWS emulator) for the whole test JVM, on a free port, from the
 * virtualenv that src/test/scripts/ensure-test-tools.sh prepared (its launcher in the system
 * property ministack.bin). Unlike moto it enforces API keys when an API Gateway stage is invoked
 * and issues signed Cognito client-credentials tokens, so tests can use credentials as a client
 * would. Its state directory and log are under target/; it is stopped when the JVM exits.
 *
 * <p>It runs with one correction ({@link #API_KEY_SCOPE_FIX}): the API key a request's
 * {@code x-api-key} value names is looked up in the invoked API's own account and Region, as in
 * AWS, where keys are regional resources of an account. ministack 1.5.33 takes the first key with
 * that value in any account or Region, so when one value exists in two Regions (a key the webhook
 * issues for APIs in two targets) only the Region whose key was made first let the value in; the
 * other answered 403 although its key is on the plan of the stage. Nothing else of ministack is
 * changed: the plan and stage check, throttles and quotas are ministack's own.</p>
 */
public final class MinistackServer {
    /**
     * Python run in place of ministack's launcher: ministack's own {@code main()}, after replacing
     * its data plane's key look-up ({@code _resolve_api_key}) by one over the keys of the current
     * scope, which {@code handle_execute} sets to the invoked API's account and Region.
     */
    static final String API_KEY_SCOPE_FIX = """
            import sys
            import ministack.services.apigateway_v1 as gateway

            def _resolve_api_key(value):
                if not value:
                    return None
                for key in gateway._api_keys.values():
                    if key.get("value") == value and key.get("enabled", True):
                        return key
                return None

            gateway._resolve_api_key = _resolve_api_key
            from ministack.app import main
            sys.argv[0] = "ministack"
            sys.exit(main())
            """;
    private static Process process;
    private static String endpoint;
    private static Path log;

    private MinistackServer() {
    }

    public static synchronized String endpoint() {
        if (process == null || !process.isAlive()) {
            start();
        }
        return endpoint;
    }

    /** Where ministack writes its output (for a failing test's diagnosis). */
    public static synchronized Path log() {
        return log;
    }

    private static void start() {
        String bin = ChildServer.installed("ministack.bin", "ministack");
        int port = ChildServer.freePort();
        Path home = Path.of("target", "ministack-" + port).toAbsolutePath();
        try {
            Files.createDirectories(home.resolve("state"));
            log = home.resolve("ministack.log");
            // the launcher's own interpreter (the virtualenv's), running ministack's main() with the fix
            String python = Path.of(bin).resolveSibling("python").toString();
            ProcessBuilder builder = new ProcessBuilder(python, "-c", API_KEY_SCOPE_FIX).directory(home.toFile());
            builder.environment().put("IOT_MTLS_ENABLED", "0");
            builder.environment().put("BIND_HOST", "127.0.0.1");
            builder.environment().put("GATEWAY_PORT", Integer.toString(port));
            builder.environment().put("STATE_DIR", home.resolve("state").toString());
            builder.environment().put("PERSIST_STATE", "0");
            process = ChildServer.start(builder, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ministack", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        if (!ChildServer.awaitHttp(process, endpoint + "/_ministack/health", Duration.ofSeconds(90), 2000,
                status -> status == 200)) {
            process.destroy();
            throw new IllegalStateException("ministack did not become healthy within 90 s; its log: " + log);
        }
    }
}
