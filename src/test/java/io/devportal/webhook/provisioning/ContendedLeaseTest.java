package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.LeaseRefused;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.Db;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A begin whose compare-and-set loses every attempt to leases taken and released meanwhile (the
 * ledger's {@link LeaseRefused#contended}: no holder to name, the credential still ACTIVE) is busy:
 * the request waits and then answers 409 credential_busy with a Retry-After. It is never read as "not
 * active": a revoke is never a 204 "already revoked" over a live key, an update never a 404.
 */
@QuarkusTest
class ContendedLeaseTest {

    @Inject
    Ledger ledger;

    @Inject
    Db db;

    @Test
    void aBeginThatLosesEveryAttemptIsBusyNeverNotActive() {
        String keyId = Api.create(Api.createBody("Contended " + UUID.randomUUID(), "c@example.com",
                "[{\"id\":\"api1\"}]")).then().statusCode(200).extract().path("apiKeyId");
        CredentialRecord record = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        Ledger real = ClientProxy.unwrap(ledger);
        AtomicInteger attempts = new AtomicInteger();
        // the ledger as every begin on this credential finds it: taken and released by others each time
        Ledger contended = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("beginOperation") && record.id().equals(args[1])) {
                        attempts.incrementAndGet();
                        throw LeaseRefused.contended(record.id(), CredentialRecord.Status.ACTIVE);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        QuarkusMock.installMockForType(contended, Ledger.class);

        Response revoke = Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(409, revoke.statusCode(), revoke.asString());
        assertEquals("credential_busy", revoke.path("code"));
        assertEquals("2", revoke.header("Retry-After"));
        assertEquals("other requests are changing this credential; retry in 2 s", revoke.path("message"));
        assertTrue(attempts.get() > 1, "tried again while it waited: " + attempts.get());

        Response update = Api.update("{\"apiKeyId\":\"" + keyId + "\",\"apis\":[{\"id\":\"api1\"}]}");
        assertEquals(409, update.statusCode(), update.asString());
        assertEquals("credential_busy", update.path("code"));

        assertEquals(CredentialRecord.Status.ACTIVE, real.find(record.id()).orElseThrow().status());
        assertEquals("TRUE", db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId)
                .toUpperCase(java.util.Locale.ROOT), "the key is live: no 204 was given for it");
    }
}
