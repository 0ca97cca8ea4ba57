package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.awssdk.PrimingAnswers;
import io.devportal.webhook.ledger.AuditRecord;
import io.devportal.webhook.ledger.CredentialRecord;
import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Operation;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.model.SharedBudget;
import io.devportal.webhook.model.SharedCache;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every ledger call a create, an update and a revoke make against a {@link DynamoDbLedger},
 * and against the shared AWS call budget and shared cache kept in the same table (a create's
 * reservation is an UpdateItem the ledger itself never makes: unprimed, the first request after a
 * restore loaded its hundred or so classes), so that its item codecs and the SDK's marshalling,
 * signing and unmarshalling of each DynamoDB operation are loaded and warm. Only ever run inside {@code AwsTransport.prime}, where each call
 * is answered {@code 200 {}} in the process: nothing is written, read or sent. Each step may fail
 * on the empty answer (an item the codec expects is missing); that is caught and counted.
 */
public final class DynamoDbPriming {
    private static final Logger LOG = Logger.getLogger(DynamoDbPriming.class);

    private DynamoDbPriming() {
    }

    /**
     * The answers under which the shared budget is busy for one reservation, as when another
     * instance reserved a moment before: its conditional update fails and returns the stored item
     * (ConditionalCheckFailedException, status 400), so the reservation reads what was stored and
     * puts its own conditionally. Nothing is stored: every answer is made in the process.
     */
    public static final PrimingAnswers BUSY_BUDGET = call -> "DynamoDB_20120810.UpdateItem".equals(call.target())
            ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
              + "\"message\":\"The conditional request failed\",\"Item\":{\"pk\":{\"S\":\"BUDGET#priming\"},"
              + "\"sk\":{\"S\":\"BUDGET\"},\"tat\":{\"N\":\"0\"}}}"
            : null;

    /** A reservation of a busy budget, under {@link #BUSY_BUDGET}: the second reservation of a burst. */
    public static SharedBudget.Grant primeBusyBudget(SharedBudget budget) {
        return budget.reserve("priming", 1, new SharedBudget.Rate(4, 4), Instant.parse("2026-01-01T00:00:00Z"),
                java.time.Duration.ZERO);
    }

    /** The steps that ran, and the ones that failed on the empty answer (by name). */
    public record Result(int ran, List<String> failed) {
    }

    public static Result prime(DynamoDbLedger ledger, SharedBudget budget, SharedCache cache) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String id = "priming-credential";
        String op = "priming-operation";
        List<ResourceRef> refs = List.of(new ResourceRef("api-key", "priming-key", "priming", op));
        List<ApiAccess> apis = List.of(new ApiAccess("priming-api", List.of("priming-plan"), List.of(), CredentialKind.API_KEY));
        CredentialRecord pending = new CredentialRecord(id, CredentialKind.API_KEY, false, "aws", "priming-app",
                "Priming app", "priming@example.com", null, null, apis, List.of(), List.of(),
                CredentialRecord.Status.PENDING, now, now, null);
        Lease lease = new Lease(op, id, 1);
        List<String> failed = new ArrayList<>();
        List<Runnable> steps = List.of(
                () -> ledger.findLive("priming-app"),
                () -> ledger.find(id),
                () -> ledger.findByExternalId(CredentialKind.API_KEY, "priming-key"),
                () -> ledger.beginCreate(pending, java.time.Duration.ofMinutes(2), now),
                () -> ledger.journalResources(lease, refs, now),
                () -> ledger.completeCreate(lease, "priming-key", null, List.of(), refs, now),
                () -> ledger.rollBackCreate(lease, "priming", now),
                () -> ledger.beginOperation(Operation.Kind.UPDATE, id, CredentialRecord.Status.ACTIVE,
                        java.time.Duration.ofMinutes(2), now),
                () -> ledger.takeOver(op, java.time.Duration.ofMinutes(2), now),
                () -> ledger.lease(id),
                () -> ledger.abandon(lease),
                () -> ledger.completeUpdate(lease, "Priming app", "priming@example.com", apis, List.of(), refs, now),
                () -> ledger.completeRevoke(lease, now),
                () -> ledger.failOperation(lease, "priming", now),
                () -> ledger.staleOperations(now),
                () -> ledger.findOperation(op),
                () -> ledger.operationsOf(id),
                () -> budget.reserve("priming", 1, new SharedBudget.Rate(4, 4), now, java.time.Duration.ZERO),
                () -> budget.pushBack("priming", SharedBudget.pushedBack(new SharedBudget.Rate(4, 4), now,
                        java.time.Duration.ofSeconds(1))),
                () -> cache.get("priming"),
                () -> cache.put("priming", "priming", now),
                () -> cache.remove("priming"),
                () -> ledger.appendAudit(new AuditRecord("priming-audit", now, "create", "ok", id, "priming-key", null,
                        "priming-app", "Priming app", "priming@example.com", List.of(), "default", "127.0.0.1",
                        "priming-request")));
        int step = 0;
        for (Runnable s : steps) {
            step++;
            try {
                s.run();
            } catch (RuntimeException e) {
                failed.add("step " + step + ": " + e.getClass().getSimpleName());
            }
        }
        LOG.debugf("DynamoDB ledger primed: %d steps, %d ended on the empty answer", steps.size(), failed.size());
        return new Result(steps.size(), failed);
    }
}
