package io.devportal.webhook.api;

import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ConcurrentCreateTest {

    @Inject
    Db db;

    @Test
    void fiftyConcurrentIdenticalCreatesYieldExactlyOneCredential() throws Exception {
        String slug = "race-" + UUID.randomUUID();
        String body = "{\"appName\":\"Race app\",\"appSlug\":\"" + slug + "\",\"developer\":\"r@example.com\","
                + "\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}";
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return Api.create(body);
            }));
        }
        start.countDown();
        Set<String> keys = new HashSet<>();
        Set<String> values = new HashSet<>();
        int ok = 0;
        int conflicts = 0;
        for (Future<Response> call : calls) {
            Response r = call.get();
            if (r.statusCode() == 200) {
                ok++;
                keys.add(r.path("apiKeyId"));
                values.add(r.path("apiKey"));
            } else {
                assertEquals(409, r.statusCode(), r.asString());
                assertEquals("conflict", r.path("code"));
                conflicts++;
            }
        }
        pool.shutdown();
        assertEquals(50, ok + conflicts);
        assertTrue(ok >= 1);
        assertEquals(1, keys.size(), "every 200 carries the same key");
        assertEquals(1, values.size(), "and the same secret");
        assertEquals("1", db.string("SELECT COUNT(*) FROM credential WHERE app_id = ?", "slug:" + slug));
        assertEquals("1", db.string("SELECT COUNT(*) FROM local_credential WHERE name = ?", "Race app (r@example.com)"));
        // once settled, a retry gets the credential
        assertEquals(keys.iterator().next(), Api.create(body).then().statusCode(200).extract().path("apiKeyId"));
    }
}
