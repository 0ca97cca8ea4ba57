package io.devportal.webhook.ledger;

import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same service on PostgreSQL, chosen only by QUARKUS_DATASOURCE_JDBC_URL. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PostgresLedgerTest {

    @Inject
    Db db;

    @Inject
    Ledger ledger;

    @Test
    void aPostgresqlUrlRunsTheMigrationsAndTheLedgerOnPostgresql() {
        assertTrue(db.string("SELECT version()").startsWith("PostgreSQL"), db.string("SELECT version()"));
        assertEquals("9", db.string("SELECT MAX(version) FROM flyway_schema_history"));
        io.devportal.webhook.support.Management.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theWholeLifecycleWorksOnPostgresql() {
        String body = Api.createBody("Postgres app", "pg@example.com",
                "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]");
        String keyId = Api.create(body).then().statusCode(200).extract().path("apiKeyId");
        assertEquals(keyId, Api.create(body).then().statusCode(200).extract().path("apiKeyId"));
        Api.update("{\"apiKeyId\":\"" + keyId + "\",\"appName\":\"Postgres app 2\",\"apis\":[{\"id\":\"api2\"}]}")
                .then().statusCode(204);
        assertEquals("Postgres app 2", ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().appName());
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        assertEquals(CredentialRecord.Status.REVOKED,
                ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow().status());
    }

    @Test
    void concurrentCreatesYieldOneCredentialOnPostgresqlToo() throws Exception {
        String body = "{\"appName\":\"Race on pg\",\"appSlug\":\"pg-race\",\"developer\":\"r@example.com\","
                + "\"apis\":[{\"id\":\"api1\"}]}";
        int racers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            calls.add(pool.submit(() -> {
                ready.countDown();
                go.await(); // every create starts at once
                return Api.create(body);
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS), "all 50 racers are waiting at the start line");
        go.countDown();
        Set<String> keys = new HashSet<>();
        for (Future<Response> call : calls) {
            Response r = call.get();
            assertTrue(r.statusCode() == 200 || r.statusCode() == 409, r.asString());
            if (r.statusCode() == 200) {
                keys.add(r.path("apiKeyId"));
            }
        }
        pool.shutdown();
        assertEquals(1, keys.size());
        assertEquals("1", db.string("SELECT COUNT(*) FROM credential WHERE app_id = 'slug:pg-race'"));
    }

    @Test
    void theLedgersSessionsCommitSynchronouslyWhereTheServerDefaultIsOff() {
        assertEquals("off", db.string("SELECT reset_val FROM pg_settings WHERE name = 'synchronous_commit'"),
                "the test server's default (PostgresResource)");
        assertEquals("on", db.string("SHOW synchronous_commit"));
    }
}
