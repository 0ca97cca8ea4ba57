package io.devportal.webhook.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/** {@link MotoResource}'s AWS estate with the ledger on a throw-away PostgreSQL ({@link PostgresResource}). */
public class MotoPostgresResource implements QuarkusTestResourceLifecycleManager {
    private final MotoResource moto = new MotoResource();
    private final PostgresResource postgres = new PostgresResource();
    private static volatile String url;

    /** The JDBC URL of the running server (user postgres, no password). */
    public static String url() {
        return url;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(moto.start());
        Map<String, String> pg = postgres.start();
        config.putAll(pg);
        url = pg.get("quarkus.datasource.jdbc.url");
        return config;
    }

    @Override
    public void stop() {
        moto.stop();
        postgres.stop();
    }
}
