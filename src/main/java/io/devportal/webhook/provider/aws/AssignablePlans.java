package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which usage plans the portal may hand out, as the platform team says: with
 * {@code webhook.aws.assignable-plans=TAGGED}, only plans tagged {@value #TAG}{@code =true}; and for
 * an API with {@code webhook.apis."<apiId>".usage-plans}, only the plans listed there. A request
 * for any other plan is a 422 naming the plan and the rule. The tag is read from the GetUsagePlan
 * that {@link PlanChecks} makes anyway: the rule costs no call of its own.
 */
@ApplicationScoped
class AssignablePlans {
    /** The tag a platform team puts on a usage plan the portal may hand out (value {@code true}). */
    static final String TAG = "devportal-webhook:assignable";

    @Inject
    WebhookConfig config;

    @Inject
    PlanChecks planChecks;

    @Inject
    ApiKeys apiKeys;

    @Inject
    UsagePlanAnswers answers;

    boolean tagRequired() {
        return config.aws().assignablePlans() == WebhookConfig.PlanRule.TAGGED;
    }

    /** The plans configured for the API, when a list is. */
    Optional<List<String>> listed(String apiId) {
        WebhookConfig.ApiSettings settings = config.apis().get(apiId);
        return settings == null ? Optional.empty()
                : settings.usagePlans().map(plans -> plans.stream().map(String::strip).toList());
    }

    /** Whether a rule applies to any plan of the spec: then the plans are checked before anything is made. */
    boolean inForce(CredentialSpec spec) {
        // any API's list counts: a plan requested under one API may serve a listed one too
        boolean anyList = config.apis().values().stream().anyMatch(s -> s.usagePlans().isPresent());
        return spec.apis().stream().anyMatch(api -> !api.usagePlans().isEmpty() && (tagRequired() || anyList));
    }

    /** A plan's tags say the portal may hand it out. */
    static boolean tagged(Map<String, String> tags) {
        return tags != null && "true".equalsIgnoreCase(String.valueOf(tags.get(TAG)).strip());
    }

    /**
     * A 422 for the first plan (in request order) that a rule keeps from the portal. Plans that do
     * not exist are left to {@link PlanChecks#refuse}, which names them first.
     */
    void refuse(AwsTarget t, CredentialSpec spec, Map<String, PlanChecks.UsagePlanStages> plans) {
        for (ApiAccess api : spec.apis()) {
            Optional<List<String>> allowed = listed(api.apiId());
            for (String planId : api.usagePlans()) {
                if (allowed.isPresent() && !allowed.get().contains(planId)) {
                    throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: usage plan "
                            + planId + " may not be handed out for API " + api.apiId() + ": it is not one of "
                            + "webhook.apis.\"" + api.apiId() + "\".usage-plans");
                }
                PlanChecks.UsagePlanStages plan = plans.get(planId);
                if (plan != null && plan.exists()) {
                    refuseForApisItServes(api.apiId(), plan);
                }
                if (tagRequired() && plan != null && plan.exists() && !plan.assignable()) {
                    // the tags may have been read before the platform team tagged the plan: the next
                    // request reads them again
                    answers.forget(t, planId);
                    throw notTagged("apis[].usagePlans: usage plan " + planId);
                }
            }
        }
    }

    /**
     * A key in a plan opens every API the plan serves: a plan requested under one API is refused when
     * another API it serves lists its usage plans without it (naming an API without a list is no way
     * around that API's list).
     */
    private void refuseForApisItServes(String requestedApi, PlanChecks.UsagePlanStages plan) {
        for (String stage : plan.stages()) {
            String served = stage.substring(0, stage.indexOf(':'));
            Optional<List<String>> list = listed(served);
            if (!served.equals(requestedApi) && list.isPresent() && !list.get().contains(plan.id())) {
                throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: usage plan "
                        + plan.id() + " may not be handed out: it also serves API " + served + ", and it is not one "
                        + "of webhook.apis.\"" + served + "\".usage-plans");
            }
        }
    }

    /**
     * {@code reconcile --adopt}: a key found in a plan the portal may not hand out is not adopted.
     * Its API is not known then: a plan passes the per-API lists when some API it serves has no
     * list or lists it (a plan on no API's stage, when no list names it, passes only without lists
     * of any API); the tag rule as for a request.
     */
    void refuseAdoption(AwsTarget t, String keyId) {
        boolean anyList = config.apis().values().stream().anyMatch(s -> s.usagePlans().isPresent());
        if (!anyList && !tagRequired()) {
            return;
        }
        List<String> attached = apiKeys.attachedPlans(t, keyId).stream().sorted().toList();
        for (PlanChecks.UsagePlanStages plan : planChecks.readAll(t, attached).values()) {
            if (!plan.exists()) {
                continue;
            }
            List<String> apis = plan.stages().stream().map(s -> s.substring(0, s.indexOf(':'))).distinct().toList();
            boolean listedSomewhere = config.apis().values().stream()
                    .anyMatch(s -> s.usagePlans().orElse(List.of()).stream().map(String::strip).anyMatch(plan.id()::equals));
            boolean passesLists = listedSomewhere || (apis.isEmpty() ? !anyList
                    : apis.stream().anyMatch(api -> listed(api).isEmpty()));
            if (!passesLists) {
                throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "usage plan " + plan.id()
                        + " of API key " + keyId + " may not be handed out: every API it serves ("
                        + String.join(", ", apis) + ") lists its usage plans (webhook.apis.\"<apiId>\".usage-plans)"
                        + " without it");
            }
            if (tagRequired() && !plan.assignable()) {
                throw notTagged("usage plan " + plan.id() + " of API key " + keyId);
            }
        }
    }

    private static WebhookException notTagged(String plan) {
        return new WebhookException(WebhookException.Kind.UNPROCESSABLE, plan + " may not be handed out by the portal: it is not tagged " + TAG + "=true"
                + " (webhook.aws.assignable-plans=TAGGED)");
    }
}
