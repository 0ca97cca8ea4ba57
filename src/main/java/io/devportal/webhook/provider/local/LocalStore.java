package io.devportal.webhook.provider.local;

import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.jdbc.Database;
import io.devportal.webhook.model.Json;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code local_credential} table. Secrets go in and out only through {@link SecretBox}. */
@ApplicationScoped
class LocalStore {

    record Row(String id, CredentialKind kind, String ciphertext, List<ApiAccess> apis, List<String> usagePlans,
               List<String> scopes, boolean enabled) {
    }

    @Inject
    Database database;

    @Inject
    SecretBox box;

    void insert(String id, CredentialKind kind, String name, String operationId, String secret, List<ApiAccess> apis,
                List<String> scopes, Instant now) {
        run("INSERT INTO local_credential (id, credential_type, name, operation_id, secret_ciphertext, apis, "
                        + "usage_plans, scopes, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)",
                id, kind.name(), name, operationId, box.encrypt(id, secret), Json.write(apis), Json.write(ApiAccess.usagePlansOf(apis)),
                Json.write(scopes), Timestamp.from(now), Timestamp.from(now));
    }

    /** Changes what an enabled credential may use; false when it is unknown or revoked. */
    boolean update(String id, String name, List<ApiAccess> apis, List<String> scopes, Instant now) {
        return run("UPDATE local_credential SET name = ?, apis = ?, usage_plans = ?, scopes = ?, updated_at = ? "
                        + "WHERE id = ? AND enabled = TRUE",
                name, Json.write(apis), Json.write(ApiAccess.usagePlansOf(apis)), Json.write(scopes), Timestamp.from(now), id) == 1;
    }

    /** Disables for good; unknown or already disabled is fine. */
    void disable(String id, Instant now) {
        run("UPDATE local_credential SET enabled = FALSE, revoked_at = ?, updated_at = ? WHERE id = ? AND enabled = TRUE",
                Timestamp.from(now), Timestamp.from(now), id);
    }

    Optional<Row> find(String id) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, credential_type, secret_ciphertext, apis, "
                     + "usage_plans, scopes, enabled FROM local_credential WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getString(1), CredentialKind.valueOf(rs.getString(2)), rs.getString(3),
                        Json.read(rs.getString(4), new TypeReference<List<ApiAccess>>() { }),
                        Json.read(rs.getString(5), new TypeReference<List<String>>() { }),
                        Json.read(rs.getString(6), new TypeReference<List<String>>() { }),
                        rs.getBoolean(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("local credential store: read failed", e);
        }
    }

    /** Every row's id, type, name, operation and state, for the admin CLI's reconcile; no secret is read. */
    record Listed(String id, CredentialKind kind, String name, String operationId, boolean enabled) {
    }

    List<Listed> list() {
        List<Listed> rows = new java.util.ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id, credential_type, name, operation_id, enabled "
                     + "FROM local_credential ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Listed(rs.getString(1), CredentialKind.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5)));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("local credential store: read failed", e);
        }
    }

    String secret(Row row) {
        return box.decrypt(row.id(), row.ciphertext());
    }

    boolean reachable() {
        try (Connection c = database.connection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private int run(String sql, Object... args) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("local credential store: write failed", e);
        }
    }
}
