package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usage plans a key is to join, read in its target and checked before anything is attached:
 * AWS's refusals (a plan that does not exist, two plans on one API stage, a plan serving no stage
 * of its API) become a 422 that names them.
 */
@ApplicationScoped
class PlanChecks {

    @Inject
    WebhookConfig config;

    @Inject
    Targets targetsConfig;

    @Inject
    UsagePlanAnswers answers;

    @Inject
    AssignablePlans assignable;

    @Inject
    AwsClients clients;

    /**
     * A usage plan's API stages, as "apiId:stage", and whether its tags let the portal hand it out
     * ({@link AssignablePlans}); {@code exists} false when AWS says there is no such plan.
     */
    record UsagePlanStages(String id, boolean exists, Set<String> stages, boolean assignable) {
        boolean serves(String apiId) {
            return stages.stream().anyMatch(s -> s.startsWith(apiId + ":"));
        }
    }

    /** The plan, its API stages and its tags; a plan AWS does not have comes back with exists false. */
    UsagePlanStages read(AwsTarget t, String planId) {
        return read(t, planId, false);
    }

    /** The same, its read (on a miss) already reserved by the operation when {@code reserved}. */
    UsagePlanStages read(AwsTarget t, String planId, boolean reserved) {
        UsagePlanAnswers.Plan plan = answers.plan(t, planId, reserved);
        return new UsagePlanStages(planId, plan.exists(), plan.stages(), AssignablePlans.tagged(plan.tags()));
    }

    /**
     * The plans whose read would go to AWS (no fresh answer kept): an operation reserves their
     * reads with its own calls, in one write before anything is made, so that a refusal of a read
     * never comes after a key exists.
     */
    Set<String> unknown(AwsTarget t, List<String> planIds) {
        Set<String> unknown = new HashSet<>();
        for (String plan : planIds) {
            if (!answers.known(t, plan)) {
                unknown.add(plan);
            }
        }
        return unknown;
    }

    /** Every plan read at once, by id in the order given. */
    Map<String, UsagePlanStages> readAll(AwsTarget t, List<String> planIds) {
        return byId(planIds, Parallel.map(clients.executor(), config.aws().maxConcurrency(), planIds,
                plan -> read(t, plan)));
    }

    /** The plans {@link #read} returned, by the ids they were read for (the same order). */
    static Map<String, UsagePlanStages> byId(List<String> planIds, List<?> read) {
        Map<String, UsagePlanStages> out = new LinkedHashMap<>();
        for (int i = 0; i < planIds.size(); i++) {
            out.put(planIds.get(i), (UsagePlanStages) read.get(i));
        }
        return out;
    }

    /**
     * What AWS would refuse or the platform team forbids, refused up front with a 422 that names
     * it: a plan that does not exist, a plan the portal may not hand out ({@link AssignablePlans}),
     * two requested plans on one API stage, and (webhook.aws.check-plan-api-stage) a plan that
     * serves no stage of the API it is requested under.
     */
    void refuse(AwsTarget t, CredentialSpec spec, Map<String, UsagePlanStages> plans) {
        List<String> missing = plans.values().stream().filter(p -> !p.exists()).map(UsagePlanStages::id).toList();
        if (!missing.isEmpty()) {
            throw missing(t, missing);
        }
        assignable.refuse(t, spec, plans);
        Map<String, String> stageOwner = new LinkedHashMap<>();
        for (UsagePlanStages plan : plans.values()) {
            for (String stage : plan.stages()) {
                String other = stageOwner.putIfAbsent(stage, plan.id());
                if (other != null && !other.equals(plan.id())) {
                    throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: usage plans "
                            + other + " and " + plan.id() + " share the API stage " + stage
                            + "; an API key can be in one usage plan per API stage");
                }
            }
        }
        if (config.aws().checkPlanApiStage()) {
            for (ApiAccess api : spec.apis()) {
                for (String planId : api.usagePlans()) {
                    UsagePlanStages plan = plans.get(planId);
                    if (plan != null && !plan.serves(api.apiId())) {
                        throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: usage plan "
                                + planId + " serves no stage of API " + api.apiId() + " (it serves "
                                + (plan.stages().isEmpty() ? "no API stage" : String.join(", ", plan.stages())) + ")");
                    }
                }
            }
        }
    }

    WebhookException missing(AwsTarget t, List<String> plans) {
        return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: "
                + (plans.size() == 1 ? "usage plan " + plans.get(0) + " does not exist"
                : "usage plans " + String.join(", ", plans) + " do not exist") + " in API Gateway" + (targetsConfig.several() ? " of target " + t.label() : ""));
    }
}
