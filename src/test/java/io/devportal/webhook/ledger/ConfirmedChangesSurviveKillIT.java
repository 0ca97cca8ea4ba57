package io.devportal.webhook.ledger;

import io.devportal.webhook.support.BuiltService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2xx is durable: the built service (H2 file ledger, local provider) is SIGKILLed right after
 * the response to a burst of creates, updates and revokes, restarted on the same data directory,
 * and every confirmed change must still be there: the create returns the same credential, an
 * update is in the ledger and the credential still updatable, a revoke holds. Several rounds, each
 * ending with a different kind of change right before the kill. Every loss is collected, so a
 * failure says how many confirmed changes were lost.
 */
class ConfirmedChangesSurviveKillIT {
    private static final int ROUNDS = 4;
    private static final int CREATES_PER_ROUND = 6;

    /** What the portal was told about one app. */
    static final class App {
        final String slug;
        String keyId;
        String key;
        boolean revoked;
        String updatedName; // the appName of the last confirmed update, if any

        App(String slug) {
            this.slug = slug;
        }

        String createBody() {
            return "{\"appName\":\"Durable " + slug + "\",\"appSlug\":\"" + slug + "\",\"developer\":\"dev@example.com\","
                    + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}";
        }

        String updateBody(String name) {
            return "{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"" + name + "\",\"developer\":\"dev@example.com\","
                    + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"silver\"}]}]}";
        }
    }

    @TempDir
    Path work;

    /** Changes answered 2xx: creates of new apps, updates, revokes. */
    private int confirmed;

    @Test
    void everyConfirmedCreateUpdateAndRevokeSurvivesASigkillRightAfterItsResponse() throws Exception {
        Path data = work.resolve("data");
        Map<String, App> apps = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        try (BuiltService service = new BuiltService(data, work)) {
            for (int round = 1; round <= ROUNDS; round++) {
                service.start();
                if (round > 1) {
                    checkAfterRestart(service, apps, lost, round);
                }
                List<App> fresh = new ArrayList<>();
                for (int i = 0; i < CREATES_PER_ROUND; i++) {
                    fresh.add(new App("r" + round + "-app" + i));
                }
                // The kind of change that comes last, right before the kill, rotates per round.
                List<Runnable> steps = new ArrayList<>();
                List<Exception> failures = new ArrayList<>();
                Runnable creates = () -> fresh.forEach(app -> call(failures, () -> create(service, app, apps)));
                Runnable updates = () -> fresh.subList(0, 2).forEach(app -> call(failures, () -> update(service, app)));
                Runnable revokes = () -> fresh.subList(2, 4).forEach(app -> call(failures, () -> revoke(service, app)));
                steps.add(creates);
                switch (round % 3) {
                    case 1 -> { steps.add(updates); steps.add(revokes); }
                    case 2 -> { steps.add(revokes); steps.add(updates); }
                    default -> { steps.add(updates); steps.add(revokes);
                        steps.add(() -> call(failures, () -> create(service, fresh.get(5), apps))); }
                }
                steps.forEach(Runnable::run);
                service.kill(); // SIGKILL right after the last confirmed response
                if (!failures.isEmpty()) {
                    throw failures.get(0);
                }
                checkLedgerFile(data, apps, lost, round);
            }
            service.start();
            checkAfterRestart(service, apps, lost, ROUNDS + 1);
            service.kill();
            checkLedgerFile(data, apps, lost, ROUNDS + 1);
        }
        System.out.printf("durability after SIGKILL: %d confirmed changes in %d rounds, %d lost%n", confirmed, ROUNDS,
                lost.size());
        assertTrue(lost.isEmpty(), lost.size() + " losses of " + confirmed + " confirmed changes in " + ROUNDS
                + " rounds:\n" + String.join("\n", lost));
    }

    private void create(BuiltService service, App app, Map<String, App> apps) throws Exception {
        BuiltService.Answer a = service.post("/v1/createCredentials", app.createBody());
        assertEquals(200, a.status(), a.body());
        if (!apps.containsKey(app.slug)) {
            confirmed++;
        }
        app.keyId = a.field("apiKeyId");
        app.key = a.field("apiKey");
        app.revoked = false;
        apps.put(app.slug, app);
    }

    private void update(BuiltService service, App app) throws Exception {
        String name = "Updated " + app.slug;
        BuiltService.Answer a = service.post("/v1/updateCredentials", app.updateBody(name));
        assertEquals(204, a.status(), a.body());
        confirmed++;
        app.updatedName = name;
    }

    private void revoke(BuiltService service, App app) throws Exception {
        BuiltService.Answer a = service.post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + app.keyId + "\"}");
        assertEquals(204, a.status(), a.body());
        confirmed++;
        app.revoked = true;
    }

    /** Through the API of the restarted service: what the ledger kept behaves as confirmed. */
    private void checkAfterRestart(BuiltService service, Map<String, App> apps, List<String> lost, int round)
            throws Exception {
        for (App app : apps.values()) {
            if (app.revoked) {
                BuiltService.Answer u = service.post("/v1/updateCredentials", app.updateBody("After revoke"));
                if (u.status() != 404) {
                    lost.add("restart " + round + ": revoked " + app.slug + " is updatable again: " + u.status());
                }
                continue;
            }
            BuiltService.Answer again = service.post("/v1/createCredentials", app.createBody());
            if (again.status() != 200 || !app.keyId.equals(again.field("apiKeyId"))
                    || !app.key.equals(again.field("apiKey"))) {
                lost.add("restart " + round + ": a retried create of " + app.slug + " answered " + again.status()
                        + " with " + (app.keyId.equals(again.field("apiKeyId")) ? "the same id" : "another key"));
                continue;
            }
            String name = app.updatedName != null ? app.updatedName : "Durable " + app.slug;
            BuiltService.Answer u = service.post("/v1/updateCredentials", app.updateBody(name));
            if (u.status() != 204) {
                lost.add("restart " + round + ": " + app.slug + " cannot be updated: " + u.status());
                continue;
            }
            confirmed++;
            app.updatedName = name;
        }
    }

    /**
     * Straight from the H2 file the killed process left, before anything restarts on it. Each
     * confirmed change missing there is a loss; the expectation then follows the ledger, so that
     * later rounds count only their own losses.
     */
    private static void checkLedgerFile(Path data, Map<String, App> apps, List<String> lost, int round)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("webhook").toAbsolutePath()
                + ";ACCESS_MODE_DATA=r", "webhook", "");
             PreparedStatement ps = c.prepareStatement("SELECT status, app_name, apis FROM credential "
                     + "WHERE api_key_id = ?")) {
            for (Iterator<App> it = apps.values().iterator(); it.hasNext(); ) {
                App app = it.next();
                ps.setString(1, app.keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        lost.add("kill " + round + ": create of " + app.slug + " (" + app.keyId + ") lost");
                        it.remove();
                        continue;
                    }
                    String status = rs.getString(1);
                    if (app.revoked && !"REVOKED".equals(status)) {
                        lost.add("kill " + round + ": revoke of " + app.slug + " lost, it is " + status);
                        app.revoked = false;
                    } else if (!app.revoked && !"ACTIVE".equals(status)) {
                        lost.add("kill " + round + ": " + app.slug + " is " + status + ", confirmed ACTIVE");
                        it.remove();
                        continue;
                    }
                    if (app.updatedName != null && !app.revoked
                            && (!app.updatedName.equals(rs.getString(2)) || !rs.getString(3).contains("silver"))) {
                        lost.add("kill " + round + ": update of " + app.slug + " lost, the ledger has "
                                + rs.getString(2) + " " + rs.getString(3));
                        app.updatedName = null;
                    }
                }
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void call(List<Exception> failures, Step step) {
        if (!failures.isEmpty()) {
            return;
        }
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures.add(e instanceof Exception ex ? ex : new IllegalStateException(e));
        }
    }
}
