package io.devportal.webhook.ledger.jdbc;

import io.devportal.webhook.jdbc.Database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.support.PostgresResource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V5 gives every resource stored before targets existed the default target, on H2 and on
 * PostgreSQL: a database migrated to V4 holds rows written the way the code before targets wrote
 * them; after the migration to the latest version every stored resource object says
 * {@code "target":"default"}, the JDBC ledger reads them so, and nothing else in any row changed.
 * (Reading alone would not prove it: a resource without a target also reads as the default one.)
 */
class ResourceTargetMigrationTest {

    /** ResourceRef as it was before targets (up to 1aefa55^): Jackson wrote the resource columns from it. */
    record V4ResourceRef(String type, String id, String name, String operationId) {
    }

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    /** A name whose text holds the pattern V5 rewrites: Jackson escapes its quotes, so it is not touched. */
    private static final String TRICKY_NAME = "Shop {\"type\":\"x\"} [{\"type\":1}]";

    private static final List<V4ResourceRef> C1_V4 = List.of(
            new V4ResourceRef("apigateway:api-key", "k1", TRICKY_NAME, "op-1"),
            new V4ResourceRef("apigateway:usage-plan-key", "plan1:k1", null, "op-1"),
            new V4ResourceRef("apigateway:usage-plans-before-update", "k1", "[\"plan0\",\"plan1\"]", "op-2"),
            new V4ResourceRef("cognito:app-client", null, "app-{\"type\":", null));
    private static final List<V4ResourceRef> O1_V4 = List.of(
            new V4ResourceRef("apigateway:api-key", "k1", TRICKY_NAME, "op-1"),
            new V4ResourceRef("apigateway:usage-plan-key", "plan1:k1", null, "op-1"));
    /** A row that already names its target (as the code with targets writes it): V5 leaves it as it is. */
    private static final List<ResourceRef> C3_TARGETED = List.of(
            new ResourceRef("apigateway:api-key", "k3", "app3", "op-3", "partner"),
            new ResourceRef("apigateway:usage-plan-key", "plan9:k3", null, "op-3", "partner"));

    @Test
    void onH2() throws Exception {
        migrate("jdbc:h2:mem:v5-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa");
    }

    @Test
    void onPostgresql() throws Exception {
        PostgresResource server = new PostgresResource();
        Map<String, String> props = server.start();
        try {
            try (Connection c = DriverManager.getConnection(props.get("quarkus.datasource.jdbc.url"), "postgres", "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
                assertTrue(rs.next() && rs.getString(1).startsWith("PostgreSQL"));
            }
            migrate(props.get("quarkus.datasource.jdbc.url"), props.get("quarkus.datasource.username"));
        } finally {
            server.stop();
        }
    }

    @Test
    void jacksonWroteTypeFirstBeforeTargetsAndReadsEveryShape() {
        // what the code before targets wrote: "type" first, every component, nulls included
        assertEquals("[{\"type\":\"t\",\"id\":null,\"name\":\"n\",\"operationId\":\"o\"}]",
                Json.write(List.of(new V4ResourceRef("t", null, "n", "o"))));
        // the new shape: still "type" first (V5's guard, "target": as a key, applies to it), target last
        assertEquals("[{\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\",\"target\":\"default\"}]",
                Json.write(List.of(new ResourceRef("t", "i", "n", "o"))));
        ResourceRef partner = new ResourceRef("t", "i", "n", "o", "partner");
        ResourceRef dflt = new ResourceRef("t", "i", "n", "o");
        assertEquals(List.of(dflt, dflt, dflt, dflt, partner, partner), Json.read("["
                        + "{\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\"},"                       // before targets
                        + "{\"target\":\"default\",\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\"},"  // after V5
                        + "{\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\",\"target\":null},"
                        + "{\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\",\"target\":\"\"},"
                        + "{\"target\":\"partner\",\"operationId\":\"o\",\"name\":\"n\",\"id\":\"i\",\"type\":\"t\"},"
                        + "{\"type\":\"t\",\"id\":\"i\",\"name\":\"n\",\"operationId\":\"o\",\"target\":\"partner\"}]",
                JdbcReads.RESOURCES));
        assertEquals(partner, Json.read(Json.write(List.of(partner)), JdbcReads.RESOURCES).get(0));
    }

    private static void migrate(String url, String user) throws Exception {
        flyway(url, user, "4").migrate();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            assertEquals("4", current(url, user));
            insertV4Rows(c);
            Map<String, Map<String, Map<String, String>>> before = dump(c);

            flyway(url, user, "5").migrate();
            assertEquals("5", current(url, user));
            Map<String, Map<String, Map<String, String>>> after = dump(c);

            // every resource of a row written before targets now names the default target, and only that changed
            assertResourcesGainedDefault(before.get("credential").get("c1").get("resources"),
                    after.get("credential").get("c1").get("resources"), C1_V4.size());
            assertResourcesGainedDefault(before.get("operation").get("o1").get("resources"),
                    after.get("operation").get("o1").get("resources"), O1_V4.size());
            assertEquals("[]", after.get("credential").get("c2").get("resources"));
            assertEquals(Json.write(C3_TARGETED), after.get("credential").get("c3").get("resources"));
            for (String table : before.keySet()) {
                assertEquals(before.get(table).keySet(), after.get(table).keySet(), table + ": the same rows");
                for (String id : before.get(table).keySet()) {
                    Map<String, String> b = new LinkedHashMap<>(before.get(table).get(id));
                    Map<String, String> a = new LinkedHashMap<>(after.get(table).get(id));
                    if (Set.of("credential", "operation").contains(table)) {
                        b.remove("resources");
                        a.remove("resources");
                    }
                    assertEquals(b, a, table + " " + id + ": every other column as it was");
                }
            }

            // and the ledger reads them: the default target, every other component as written
            JdbcLedger ledger = ledger(url, user);
            CredentialRecord c1 = ledger.find("c1").orElseThrow();
            assertEquals(C1_V4.stream().map(r -> new ResourceRef(r.type(), r.id(), r.name(), r.operationId(),
                    ResourceRef.DEFAULT_TARGET)).toList(), c1.resources());
            assertEquals("Shop app", c1.appName());
            assertEquals(CredentialRecord.Status.ACTIVE, c1.status());
            Operation o1 = ledger.findOperation("o1").orElseThrow();
            assertEquals(O1_V4.stream().map(r -> new ResourceRef(r.type(), r.id(), r.name(), r.operationId(),
                    ResourceRef.DEFAULT_TARGET)).toList(), o1.resources());
            assertEquals(List.of(), ledger.find("c2").orElseThrow().resources());
            assertEquals(C3_TARGETED, ledger.find("c3").orElseThrow().resources());
            assertEquals(List.of("k1", "plan1:k1"), ledger.audit(new io.devportal.webhook.ledger.AuditRecord.Query(
                    null, null, "c1", 0)).get(0).resources());
        }
    }

    /** The stored JSON: each object is the one before plus "target":"default", in the same order. */
    private static void assertResourcesGainedDefault(String before, String after, int count) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode b = mapper.readTree(before);
        JsonNode a = mapper.readTree(after);
        assertEquals(count, b.size());
        assertEquals(count, a.size(), after);
        for (int i = 0; i < count; i++) {
            assertTrue(a.get(i).has("target"), "resource " + i + " names its target: " + after);
            assertEquals("default", a.get(i).get("target").asText(), after);
            ObjectNode withoutTarget = ((ObjectNode) a.get(i).deepCopy());
            withoutTarget.remove("target");
            assertEquals(b.get(i), withoutTarget, "resource " + i + " is otherwise as it was");
        }
    }

    private static Flyway flyway(String url, String user, String target) {
        var configuration = Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }

    /** Rows as the code before targets wrote them (the V4 schema, resources without a target). */
    private static void insertV4Rows(Connection c) throws SQLException {
        String apis = Json.write(List.of(new ApiAccess("api1", List.of("plan1"), List.of(), CredentialKind.API_KEY)));
        insert(c, "INSERT INTO credential (id, credential_type, hybrid, provider, app_id, live_app_hash, app_name, "
                        + "developer, api_key_id, client_id, apis, usage_plans, scopes, resources, status, created_at, "
                        + "updated_at, revoked_at, lease_holder, lease_kind, lease_until, fence) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "c1", "API_KEY", false, "aws", "app-1", "hash-1", "Shop app", "dev@example.com", "k1", null, apis,
                "[\"plan1\"]", "[]", Json.write(C1_V4), "ACTIVE", ts(0), ts(1), null, null, null, null, 2L);
        insert(c, "INSERT INTO credential (id, credential_type, hybrid, provider, app_id, live_app_hash, app_name, "
                        + "developer, api_key_id, client_id, apis, usage_plans, scopes, resources, status, created_at, "
                        + "updated_at, revoked_at, lease_holder, lease_kind, lease_until, fence) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "c2", "API_KEY", false, "aws", "{\"type\":\"app-2\"}", "hash-2", "[{\"type\":\"pending\"}]",
                "dev2@example.com", null, null, apis, "[\"plan1\"]", "[]", "[]", "PENDING", ts(2), ts(2), null,
                "op-c2", "CREATE", ts(60), 1L);
        insert(c, "INSERT INTO credential (id, credential_type, hybrid, provider, app_id, live_app_hash, app_name, "
                        + "developer, api_key_id, client_id, apis, usage_plans, scopes, resources, status, created_at, "
                        + "updated_at, revoked_at, lease_holder, lease_kind, lease_until, fence) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "c3", "API_KEY", false, "aws", "app-3", null, "app3", "dev3@example.com", "k3", null, apis,
                "[\"plan9\"]", "[]", Json.write(C3_TARGETED), "REVOKED", ts(3), ts(4), ts(4), null, null, null, 3L);
        insert(c, "INSERT INTO operation (id, kind, credential_id, status, resources, error, started_at, updated_at, "
                        + "finished_at, fence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "o1", "UPDATE", "c1", "IN_PROGRESS", Json.write(O1_V4), null, ts(5), ts(6), null, 2L);
        insert(c, "INSERT INTO operation (id, kind, credential_id, status, resources, error, started_at, updated_at, "
                        + "finished_at, fence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "o2", "CREATE", "c2", "FAILED", "[]", "{\"type\":\"boom\"}", ts(7), ts(8), ts(8), 1L);
        insert(c, "INSERT INTO audit_record (id, recorded_at, operation, outcome, credential_id, api_key_id, client_id, "
                        + "app_id, app_name, developer, resources, account, client_address, request_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "a1", ts(9), "CREATE", "issued", "c1", "k1", null, "app-1", "Shop app", "dev@example.com",
                "[\"k1\",\"plan1:k1\"]", "portal", "10.0.0.1", "req-1");
    }

    private static Timestamp ts(long seconds) {
        return Timestamp.from(T0.plusSeconds(seconds));
    }

    private static void insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            JdbcReads.bind(ps, Arrays.asList(args));
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static String current(String url, String user) {
        return flyway(url, user, null).info().current().getVersion().getVersion();
    }

    /** Every table's rows by id, each column (lower case) as text. */
    private static Map<String, Map<String, Map<String, String>>> dump(Connection c) throws SQLException {
        Map<String, Map<String, Map<String, String>>> tables = new LinkedHashMap<>();
        for (String table : List.of("credential", "operation", "audit_record", "local_credential")) {
            Map<String, Map<String, String>> rows = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                    }
                    rows.put(row.get("id"), row);
                }
            }
            tables.put(table, rows);
        }
        return tables;
    }

    /** The JDBC ledger on that database (its reads, not the service's datasource set-up). */
    private static JdbcLedger ledger(String url, String user) {
        JdbcLedger ledger = new JdbcLedger();
        ledger.database = new Database(Optional.empty(), ".", "none", null, null) {
            @Override
            public Connection connection() throws SQLException {
                return DriverManager.getConnection(url, user, "");
            }
        };
        return ledger;
    }
}
