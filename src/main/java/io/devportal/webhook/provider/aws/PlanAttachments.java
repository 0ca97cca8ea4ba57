package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;

import java.util.List;

/** A key joining and leaving usage plans in its target, all plans at once, with AWS's refusals told apart. */
@ApplicationScoped
class PlanAttachments {

    @Inject
    ApiKeys apiKeys;

    @Inject
    PlanChecks planChecks;

    @Inject
    UsagePlanAnswers planAnswers;

    @Inject
    AwsClients clients;

    @Inject
    WebhookConfig config;

    @Inject
    ControlPlaneBudget budget;

    void detach(AwsTarget t, String keyId, List<String> plans) {
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), plans, plan -> {
            try {
                t.api(() -> t.apiGateway().deleteUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId)));
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, "apigateway:DELETE", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
                }
            }
            return null;
        });
    }

    /**
     * Attaches the key to every plan at once. A 409 is "already attached" only when the key's plans
     * say so; otherwise it (like a 400) is AWS refusing a second plan on one API stage. A not-found
     * is told apart: the key gone (a concurrent revoke) or the plan.
     */
    void attach(AwsTarget t, String keyId, List<String> plans, boolean newKey) {
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), plans, plan -> {
            try {
                t.api(() -> t.apiGateway().createUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId).keyType("API_KEY")));
            } catch (SdkException e) {
                WebhookException failure = attachFailure(t, e, keyId, plan, newKey);
                if (failure != null) {
                    if (failure.kind() == WebhookException.Kind.UNPROCESSABLE) {
                        planAnswers.forget(t, plan);  // AWS refused what the kept plan allowed: read it again next time
                    }
                    throw failure;
                }
            }
            return null;
        });
    }

    /** The failure to report, or null when the key turns out to be in the plan already. */
    private WebhookException attachFailure(AwsTarget t, SdkException e, String keyId, String plan, boolean newKey) {
        String code = AwsErrors.code(e);
        if (AwsErrors.isThrottled(e)) {
            return AwsErrors.map(e, "apigateway:POST", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
        }
        budget.reserve(t, 1);  // the one lookup that tells this failure apart (made below for each kind)
        if (e instanceof ConflictException || "ConflictException".equals(code)) {
            if (apiKeys.attachedPlans(t, keyId).contains(plan)) {
                return null;
            }
            return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: AWS refused to add "
                    + "the key to usage plan " + plan + " (" + AwsErrors.message(e) + "); an API key can be in one "
                    + "usage plan per API stage", e);
        }
        if ("BadRequestException".equals(code)) {
            return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: AWS refused to add "
                    + "the key to usage plan " + plan + ": " + AwsErrors.message(e), e);
        }
        if (AwsErrors.isNotFound(e)) {
            if (!keyExists(t, keyId)) {
                return newKey
                        ? new WebhookException(WebhookException.Kind.CONFLICT, "apiKeyId: the new API key " + keyId
                                + " was deleted while it was being added to its usage plans; retry",
                                AwsErrors.THROTTLE_RETRY_AFTER, e)
                        : new WebhookException(WebhookException.Kind.NOT_FOUND, "apiKeyId: API key " + keyId
                                + " no longer exists (deleted while this request ran)", null, e);
            }
            return planChecks.missing(t, List.of(plan));
        }
        if ("LimitExceededException".equals(code) && apiKeys.attachedPlans(t, keyId).size() >= config.maxUsagePlansPerKey()) {
            return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: API key " + keyId
                    + " is already in " + config.maxUsagePlansPerKey() + " usage plans, the most AWS allows per API key "
                    + "(webhook.max-usage-plans-per-key)", e);
        }
        return AwsErrors.map(e, "apigateway:POST", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
    }

    private boolean keyExists(AwsTarget t, String keyId) {
        try {
            t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)));
            return true;
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return false;
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
    }

}
