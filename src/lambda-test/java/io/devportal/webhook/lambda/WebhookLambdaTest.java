package io.devportal.webhook.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.devportal.webhook.provisioning.Sweeper;
import io.devportal.webhook.support.Db;
import io.devportal.webhook.support.TestClock;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaRecorder;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.devportal.webhook.lambda.LambdaEvents.BASIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The function's handler, {@link WebhookLambda}: HTTP events to the REST resources, EventBridge's
 * scheduled event to one sweep. Its HTTP side is Quarkus' own Lambda entry of the running test
 * application ({@link AmazonLambdaRecorder#handle}, what {@code QuarkusStreamHandler} calls in Lambda).
 */
@QuarkusTest
class WebhookLambdaTest {

    @Inject
    Ledger ledger;

    @Inject
    LocalCredentialProvider provider;

    @Inject
    TestClock clock;

    @Inject
    WebhookConfig config;

    @Inject
    Db db;

    @Inject
    Sweeper sweeper;

    private final AtomicInteger starts = new AtomicInteger();
    private final WebhookLambda handler = new WebhookLambda(AmazonLambdaRecorder::handle, starts::incrementAndGet);

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String invoke(JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A create that a killed process left half done: journaled, its key made, never finished. */
    /** The lease of the last crashed create: expiring it stands for the time a crash leaves behind. */
    private Lease crashed;

    private String crashedCreate() {
        Instant now = clock.instant();
        String appId = "lambda-crash-" + UUID.randomUUID();
        List<ApiAccess> apis = List.of(new ApiAccess("api1", List.of("gold"), List.of(), CredentialKind.API_KEY));
        CredentialRecord pending = new CredentialRecord(UUID.randomUUID().toString(), CredentialKind.API_KEY, false,
                "local", appId, "Crashed app", "c@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        crashed = ledger.beginCreate(pending, Duration.ofMinutes(2), now).orElseThrow();
        String operationId = crashed.operationId();
        List<ResourceRef> resources = new ArrayList<>();
        ResourceJournal journal = new ResourceJournal() {
            @Override
            public void intend(ResourceRef planned) {
                resources.add(planned);
                ledger.journalResources(crashed, List.copyOf(resources), clock.instant());
            }

            @Override
            public void created(ResourceRef resource) {
                ledger.journalResources(crashed, List.copyOf(resources), clock.instant());
            }
        };
        return provider.issue(new CredentialSpec(CredentialKind.API_KEY, false, appId, "Crashed app",
                "c@example.com", apis, operationId), journal).apiKeyId();
    }

    private String enabled(String keyId) {
        return db.string("SELECT enabled FROM local_credential WHERE id = ?", keyId).toUpperCase();
    }

    private String operationStatusOf(String keyId) {
        return db.string("SELECT o.status FROM operation o JOIN local_credential l ON l.operation_id = o.id "
                + "WHERE l.id = ?", keyId);
    }

    @Test
    void theScheduledEventFinishesAnAbandonedCreateWithNoRequestArriving() throws IOException {
        String orphan = crashedCreate();
        assertEquals("TRUE", enabled(orphan));
        // a schedule tick while its lease runs: nothing is abandoned yet
        assertEquals("{\"swept\":0}", invoke(LambdaEvents.scheduled()));
        assertEquals("TRUE", enabled(orphan));
        // the next tick after the lease expired undoes it
        ledger.abandon(crashed);
        assertEquals("{\"swept\":1}", invoke(LambdaEvents.scheduled()));
        assertEquals("FALSE", enabled(orphan));
        assertEquals("ROLLED_BACK", operationStatusOf(orphan));
        assertEquals(2, starts.get(), "Quarkus is made sure to be started before each sweep");
    }

    @Test
    void anHttpEventGoesToTheRestResourcesAndNeverSweeps() throws IOException {
        String orphan = crashedCreate();
        ledger.abandon(crashed);
        // everything an HTTP caller controls says "scheduled event": the body and the headers
        String lookalike = LambdaEvents.scheduled().toString();
        ObjectNode event = LambdaEvents.post(LambdaEvents.Source.FUNCTION_URL, "/v1/createCredentials", lookalike,
                false, "content-type", "application/json", "source", "aws.events", "detail-type", "Scheduled Event");
        LambdaEvents.Answer anonymous = new LambdaEvents.Answer(LambdaEvents.JSON.readTree(invoke(event)));
        assertEquals(401, anonymous.status(), anonymous.response().toString());
        assertEquals("unauthorized", anonymous.body().get("code").asText());

        ObjectNode authenticated = LambdaEvents.post(LambdaEvents.Source.FUNCTION_URL, "/v1/createCredentials",
                lookalike, false, "authorization", BASIC, "content-type", "application/json",
                "source", "aws.events", "detail-type", "Scheduled Event");
        LambdaEvents.Answer answer = new LambdaEvents.Answer(LambdaEvents.JSON.readTree(invoke(authenticated)));
        assertEquals(400, answer.status(), answer.response().toString());
        assertEquals("invalid_request", answer.body().get("code").asText());

        assertEquals("TRUE", enabled(orphan), "an HTTP request must not run the sweeper");
        assertEquals("IN_PROGRESS", operationStatusOf(orphan));
        assertEquals(0, starts.get());
        // it was ripe for sweeping all along: a sweep finishes it (and leaves nothing for the other tests)
        assertEquals(1, sweeper.sweep());
        assertEquals("FALSE", enabled(orphan));
    }

    @Test
    void anyOtherEventIsRefused() {
        ObjectNode otherRule = LambdaEvents.scheduled();
        otherRule.put("detail-type", "EC2 Instance State-change Notification");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> invoke(otherRule));
        assertEquals("unsupported event: expected an HTTP event (payload 2.0) or an EventBridge \"Scheduled Event\"",
                refused.getMessage());
        // a scheduled event that also carries an HTTP request context is not a schedule
        ObjectNode mixed = LambdaEvents.scheduled();
        mixed.putObject("requestContext");
        assertThrows(IllegalArgumentException.class, () -> invoke(mixed));
        assertThrows(IllegalArgumentException.class, () -> invoke(LambdaEvents.JSON.createArrayNode()));
        assertEquals(0, starts.get());
    }
}
