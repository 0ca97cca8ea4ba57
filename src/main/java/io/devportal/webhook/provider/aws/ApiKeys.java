package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysResponse;
import software.amazon.awssdk.services.apigateway.model.GetUsagePlansResponse;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API Gateway API keys: created enabled, tagged as managed by this webhook, and attached to usage
 * plans concurrently. A create costs two round trips: the key together with a check of every
 * plan, then every attachment together.
 */
@ApplicationScoped
class ApiKeys {
    static final String TYPE = "apigateway:api-key";
    static final String TAG_MANAGED = "devportal-webhook:managed";
    static final String TAG_APP = "devportal-webhook:app";
    static final String TAG_DEVELOPER = "devportal-webhook:developer";
    static final String TAG_OPERATION = "devportal-webhook:operation";
    /** API Gateway's tag alphabet is [a-zA-Z+-=._:/] (digits fall in the +-= range); anything else becomes _. */
    private static final Pattern TAG_UNSAFE = Pattern.compile("[^A-Za-z0-9+\\-=._:/]");
    private static final int MAX_TAG_VALUE = 256;
    private static final int MAX_NAME = 1024;

    /** A key and its value, which only the create response and GetApiKey(includeValue) carry. */
    record Issued(ResourceRef ref, String value) {
        @Override
        public String toString() {
            return "Issued[" + ref + ", value=***]";
        }
    }

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    AwsClients clients;

    @Inject
    WebhookConfig config;

    Issued create(CredentialSpec spec, ResourceJournal journal) {
        String name = name(spec.appName(), spec.developer(), spec.appId());
        ResourceRef planned = new ResourceRef(TYPE, null, name, spec.operationId());
        journal.intend(planned);
        List<String> plans = spec.usagePlans();

        // Round trip 1: the key, and every plan's existence, at once.
        List<Object> first = new ArrayList<>();
        first.add(null);
        first.addAll(plans);
        List<Object> results = Parallel.map(clients.executor(), config.aws().maxConcurrency() + 1, first,
                item -> item == null ? createKey(planned, spec, journal) : checkPlan((String) item));
        CreateApiKeyResponse created = (CreateApiKeyResponse) results.get(0);
        ResourceRef made = planned.withId(created.id());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            if (Boolean.FALSE.equals(results.get(i + 1))) {
                missing.add(plans.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw missingPlans(missing);
        }
        // Round trip 2: every attachment at once.
        attach(created.id(), plans);
        return new Issued(made, created.value());
    }

    /** The key's value, for an idempotent retry. */
    String value(String keyId) {
        return AwsErrors.call("apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                () -> apiGateway.getApiKey(b -> b.apiKey(keyId).includeValue(true))).value();
    }

    /**
     * Converges the key to the spec: its name and customer, and exactly the spec's usage plans,
     * diffed against AWS's real state.
     */
    void converge(ResourceRef ref, CredentialSpec spec) {
        String keyId = ref.id();
        GetApiKeyResponse key = AwsErrors.call("apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                () -> apiGateway.getApiKey(b -> b.apiKey(keyId)));
        if (!Boolean.TRUE.equals(key.enabled())) {
            throw new WebhookException(WebhookException.Kind.NOT_FOUND, "apiKeyId: API key " + keyId
                    + " is disabled (revoked)");
        }
        String name = name(spec.appName(), spec.developer(), spec.appId());
        List<PatchOperation> patch = new ArrayList<>();
        if (!name.equals(key.name())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/name").value(name).build());
        }
        if (!spec.developer().equals(key.customerId())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/customerId").value(spec.developer()).build());
        }
        if (!patch.isEmpty()) {
            AwsErrors.run("apigateway:PATCH", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                    () -> apiGateway.updateApiKey(b -> b.apiKey(keyId).patchOperations(patch)));
        }
        Set<String> current = attachedPlans(keyId);
        List<String> desired = spec.usagePlans();
        List<String> toAdd = desired.stream().filter(p -> !current.contains(p)).toList();
        List<String> toRemove = current.stream().filter(p -> !desired.contains(p)).toList();
        List<String> missing = new ArrayList<>();
        List<Boolean> exists = Parallel.map(clients.executor(), config.aws().maxConcurrency(), toAdd, this::checkPlan);
        for (int i = 0; i < toAdd.size(); i++) {
            if (!exists.get(i)) {
                missing.add(toAdd.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw missingPlans(missing);
        }
        attach(keyId, toAdd);
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), toRemove, plan -> {
            try {
                apiGateway.deleteUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId));
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, "apigateway:DELETE", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
                }
            }
            return null;
        });
    }

    /** The usage plans this key is in now, as AWS sees it. */
    Set<String> attachedPlans(String keyId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "usage plans of API key " + keyId,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> apiGateway.getUsagePlans(b -> b.keyId(keyId).limit(500).position(from))),
                        GetUsagePlansResponse::items, GetUsagePlansResponse::position)
                .stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    /**
     * Deletes (or, with revoke-mode DISABLE on revoke, disables) the key. A key known only by name
     * (a crash came before its id was journaled) is found by its exact name and operation tag.
     * Already gone counts as done.
     */
    void remove(ResourceRef ref, boolean revoke) {
        List<String> ids = ref.hasId() ? List.of(ref.id()) : findByNameAndOperation(ref.name(), ref.operationId());
        boolean disable = revoke && "DISABLE".equalsIgnoreCase(config.aws().revokeMode());
        for (String id : ids) {
            try {
                if (disable) {
                    apiGateway.updateApiKey(b -> b.apiKey(id).patchOperations(
                            PatchOperation.builder().op(Op.REPLACE).path("/enabled").value("false").build()));
                } else {
                    clients.keyWrites().acquire();
                    apiGateway.deleteApiKey(b -> b.apiKey(id));
                }
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, disable ? "apigateway:PATCH" : "apigateway:DELETE", "API key " + id,
                            AwsErrors.Missing.CREDENTIAL);
                }
            }
        }
    }

    /** nameQuery is a prefix match: keep exact names, and only keys this operation tagged. */
    List<String> findByNameAndOperation(String name, String operationId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys named " + name,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> apiGateway.getApiKeys(b -> b.nameQuery(name).limit(500).position(from))),
                        GetApiKeysResponse::items, GetApiKeysResponse::position)
                .stream()
                .filter(key -> name.equals(key.name()) && operationId != null
                        && operationId.equals(key.tags().get(TAG_OPERATION)))
                .map(ApiKey::id).toList();
    }

    String name(String appName, String developer, String appId) {
        String name = config.aws().keyNameTemplate()
                .replace("{appName}", appName)
                .replace("{developer}", developer)
                .replace("{appId}", appId.replace('\n', ' '));
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }

    /** Creates the key and journals its id before anything else can fail. */
    private CreateApiKeyResponse createKey(ResourceRef planned, CredentialSpec spec, ResourceJournal journal) {
        String name = planned.name();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_MANAGED, "true");
        tags.put(TAG_APP, tagValue(spec.appId()));
        tags.put(TAG_DEVELOPER, tagValue(spec.developer()));
        tags.put(TAG_OPERATION, spec.operationId());
        CreateApiKeyResponse created = IdempotentCreate.run(clients.maxAttempts(), "apigateway:POST",
                "a new API key", AwsErrors.Missing.REQUESTED,
                () -> {
                    clients.keyWrites().acquire();
                    return clients.apiGatewayOnce().createApiKey(b -> b.name(name).enabled(true)
                            .generateDistinctId(true)
                            .customerId(spec.developer())
                            .description("Issued by devportal-webhook for the Developer Portal app " + spec.appName())
                            .tags(tags));
                },
                () -> findByNameAndOperation(name, spec.operationId()).stream().findFirst()
                        .map(id -> CreateApiKeyResponse.builder().id(id).value(value(id)).build()));
        journal.created(planned.withId(created.id()));
        return created;
    }

    /** True when the plan exists, false when AWS says it does not. */
    private Boolean checkPlan(String planId) {
        try {
            apiGateway.getUsagePlan(b -> b.usagePlanId(planId));
            return true;
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return false;
            }
            throw AwsErrors.map(e, "apigateway:GET", "usage plan " + planId, AwsErrors.Missing.REQUESTED);
        }
    }

    private void attach(String keyId, List<String> plans) {
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), plans, plan -> {
            try {
                apiGateway.createUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId).keyType("API_KEY"));
            } catch (SdkException e) {
                boolean alreadyThere = e instanceof ConflictException;
                if (!alreadyThere) {
                    if (AwsErrors.isNotFound(e)) {
                        throw missingPlans(List.of(plan));
                    }
                    throw AwsErrors.map(e, "apigateway:POST", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
                }
            }
            return null;
        });
    }

    private static WebhookException missingPlans(List<String> plans) {
        return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: "
                + (plans.size() == 1 ? "usage plan " + plans.get(0) + " does not exist"
                : "usage plans " + String.join(", ", plans) + " do not exist") + " in API Gateway");
    }

    static String tagValue(String value) {
        String safe = TAG_UNSAFE.matcher(value.replace('\n', ' ')).replaceAll("_");
        return safe.length() <= MAX_TAG_VALUE ? safe : safe.substring(0, MAX_TAG_VALUE);
    }
}
