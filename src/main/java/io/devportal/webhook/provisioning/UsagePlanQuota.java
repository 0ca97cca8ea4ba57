package io.devportal.webhook.provisioning;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * API Gateway puts one API key in at most 10 usage plans (a quota an account can have raised:
 * {@code webhook.max-usage-plans-per-key}). A request that asks for more is refused before
 * anything is journaled or created, whatever the provider, with a 422 that names the limit.
 */
@ApplicationScoped
class UsagePlanQuota {

    @Inject
    WebhookConfig config;

    /**
     * @param withApiKey whether the credential has an API key (API_KEY, or a hybrid client);
     *                   a client alone is in no usage plan
     */
    void check(boolean withApiKey, List<RequestedApi> apis) {
        if (!withApiKey || apis == null) {
            return;
        }
        Set<String> plans = new LinkedHashSet<>();
        apis.forEach(api -> plans.addAll(api.usagePlans()));
        int max = config.maxUsagePlansPerKey();
        if (plans.size() > max) {
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: the APIs name " + plans.size()
                    + " distinct usage plans, and an API key can be in at most " + max + " (API Gateway's quota of "
                    + "usage plans per API key; webhook.max-usage-plans-per-key for an account whose quota was raised)");
        }
    }
}
