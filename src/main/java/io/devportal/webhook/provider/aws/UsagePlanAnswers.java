package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import io.devportal.webhook.model.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.GetUsagePlanResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A usage plan as {@code GetUsagePlan} answers it (its API stages and its tags), read through
 * {@link RareReads}: a plan changes a few times a year, and every key create and update checks its
 * plans. Every rule about plans reads them here, so that one read serves them all.
 */
@ApplicationScoped
class UsagePlanAnswers {

    /** A plan: {@code exists} false when AWS says there is no such plan (never kept). Stages as "apiId:stage". */
    record Plan(String id, boolean exists, Set<String> stages, Map<String, String> tags) {
    }

    @Inject
    RareReads reads;

    @Inject
    ControlPlaneBudget budget;

    Plan plan(AwsTarget t, String planId) {
        return plan(t, planId, false);
    }

    /** Whether the plan's answer is kept and fresh (no AWS call; its read would be a cache hit). */
    boolean known(AwsTarget t, String planId) {
        return reads.known(key(t, planId));
    }

    /** @param reserved the operation reserved this plan's read with its own calls ({@link #known} said no) */
    Plan plan(AwsTarget t, String planId, boolean reserved) {
        return reads.get(key(t, planId), () -> fetch(t, planId, reserved))
                .map(json -> decode(planId, json))
                .orElseGet(() -> new Plan(planId, false, Set.of(), Map.of()));
    }

    /** Forgets the kept answer: AWS refused something that the plan, as kept, would have allowed. */
    void forget(AwsTarget t, String planId) {
        reads.forget(key(t, planId));
    }

    private String key(AwsTarget t, String planId) {
        return "apigateway:usage-plan:" + reads.place(t) + ":" + planId;
    }

    /** GetUsagePlan on a miss: one more call of the shared budget, reserved here unless the operation's own counted it. */
    private Optional<String> fetch(AwsTarget t, String planId, boolean reserved) {
        if (!reserved) {
            budget.reserve(t, 1);
        }
        GetUsagePlanResponse response;
        try {
            response = t.api(() -> t.apiGateway().getUsagePlan(b -> b.usagePlanId(planId)));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw AwsErrors.map(e, "apigateway:GET", "usage plan " + planId, AwsErrors.Missing.REQUESTED);
        }
        Set<String> stages = new TreeSet<>();
        response.apiStages().forEach(st -> stages.add(st.apiId() + ":" + st.stage()));
        return Optional.of(Json.write(new Kept(List.copyOf(stages), response.tags())));
    }

    /** What is kept of the answer (JSON in the ledger). */
    record Kept(List<String> stages, Map<String, String> tags) {
    }

    private static final TypeReference<Kept> KEPT = new TypeReference<>() { };

    private static Plan decode(String planId, String json) {
        Kept kept = Json.read(json, KEPT);
        // sorted, so that a message naming the stages says them in one order
        return new Plan(planId, true, java.util.Collections.unmodifiableSortedSet(
                new TreeSet<>(kept.stages() == null ? List.of() : kept.stages())),
                kept.tags() == null ? Map.of() : Map.copyOf(kept.tags()));
    }
}
