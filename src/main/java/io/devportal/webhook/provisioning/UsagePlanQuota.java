package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.devportal.webhook.config.Targets;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Set;

/**
 * API Gateway puts one API key in at most 10 usage plans (per target: each target has a key of its own) (a quota an account can have raised:
 * {@code webhook.max-usage-plans-per-key}). A request that asks for more is refused before
 * anything is journaled or created, whatever the provider, with a 422 that names the limit.
 */
@ApplicationScoped
class UsagePlanQuota {

    @Inject
    WebhookConfig config;

    @Inject
    Targets targets;

    /**
     * @param withApiKey whether the credential has an API key (API_KEY, or a hybrid client);
     *                   a client alone is in no usage plan
     */
    void check(boolean withApiKey, List<RequestedApi> apis) {
        if (!withApiKey || apis == null) {
            return;
        }
        // the key is a key of its own in each target: the quota counts per target
        Map<String, Set<String>> plansByTarget = new TreeMap<>();
        apis.forEach(api -> plansByTarget.computeIfAbsent(targets.targetOf(api.id()), t -> new LinkedHashSet<>())
                .addAll(api.usagePlans()));
        int max = config.maxUsagePlansPerKey();
        plansByTarget.forEach((target, plans) -> {
            if (plans.size() > max) {
                throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: the APIs name " + plans.size()
                        + " distinct usage plans" + (targets.several() ? " in target " + target : "")
                        + ", and an API key can be in at most " + max + " (API Gateway's quota of usage plans per "
                        + "API key; webhook.max-usage-plans-per-key for an account whose quota was raised)");
            }
        });
    }
}
