package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Removal;
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
import java.util.Optional;
import java.util.TreeSet;
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
    /** The ledger's credential id, set at create when the caller passes it ({@link CredentialSpec#credentialId}). */
    static final String TAG_CREDENTIAL = "devportal-webhook:credential";
    /**
     * The exact app id, base64url of its UTF-8 (no padding), 256 characters a tag: this tag, then
     * {@code devportal-webhook:app-id:2} up to {@code :4}. An app id longer than that (over 768 bytes)
     * is not tagged: a restore adopts such a key without its app identity.
     */
    static final String TAG_APP_ID = "devportal-webhook:app-id";
    static final int APP_ID_TAGS = 4;
    /** The key's description: this, then the app's name as it was at create. */
    static final String DESCRIPTION = "Issued by devportal-webhook for the Developer Portal app ";
    /**
     * Journaled by an update before it changes the key: id = the key, name = a {@link KeyBefore}
     * (its plans, name and customerId then; version 0 rows hold only the plans, comma-separated).
     */
    static final String PLANS_BEFORE = "apigateway:usage-plans-before-update";
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
    AwsTargets targets;

    @Inject
    io.devportal.webhook.config.Targets targetsConfig;

    @Inject
    AwsClients clients;

    @Inject
    WebhookConfig config;

    @Inject
    AwsPlaces places;

    Issued create(AwsTarget t, CredentialSpec spec, String value, ResourceJournal journal) {
        List<String> plans = spec.usagePlans();
        String name = name(spec.appName(), spec.developer(), spec.appId());
        ResourceRef planned = new ResourceRef(TYPE, null, name, spec.operationId(), t.name());
        journal.intend(planned);

        // Round trip 1: the key, and every plan (its existence and API stages), at once.
        List<Object> first = new ArrayList<>();
        first.add(null);
        first.addAll(plans);
        List<Object> results = Parallel.map(clients.executor(), config.aws().maxConcurrency() + 1, first,
                item -> item == null ? createKey(t, planned, spec, value, journal) : readPlan(t, (String) item));
        CreateApiKeyResponse created = (CreateApiKeyResponse) results.get(0);
        ResourceRef made = planned.withId(created.id());
        Map<String, UsagePlanStages> read = new LinkedHashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            read.put(plans.get(i), (UsagePlanStages) results.get(i + 1));
        }
        refuseWhatAwsWouldRefuse(t, spec, read);
        // Round trip 2: every attachment at once.
        attach(t, created.id(), plans, true);
        return new Issued(made, value != null ? value : created.value());
    }

    /** A key in the target of the spec's first API, with a value AWS generates (a spec of one target). */
    Issued create(CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = spec.apis().isEmpty() ? targets.defaultTarget() : targets.forApi(spec.apis().get(0).apiId());
        return create(t, spec, null, journal);
    }

    /** The key's value, for an idempotent retry. */
    String value(AwsTarget t, String keyId) {
        return provenMissing(t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                () -> t.apiGateway().getApiKey(b -> b.apiKey(keyId).includeValue(true))).value());
    }

    /**
     * Runs a call whose NOT_FOUND means "the key is gone"; before that is believed, the Region is
     * proved ({@link AwsPlaces#proveApiGatewayRegion}), else 503.
     */
    private <T> T provenMissing(AwsTarget t, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                places.proveApiGatewayRegion(t);
            }
            throw e;
        }
    }

    /**
     * Converges the key to the spec: its name and customer, and exactly the spec's usage plans,
     * diffed against AWS's real state. AWS lets a key be in one plan per API stage, so the plans
     * that leave are detached before the new ones are attached (a tier move bronze to gold on the
     * same stage never needs both). The plans the key had are journaled first, so that a failure
     * half-way is restored ({@link #restore}) at once by the caller, or by the sweeper.
     */
    void converge(ResourceRef ref, CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = targets.of(ref);
        String keyId = ref.id();
        GetApiKeyResponse key = provenMissing(t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                AwsErrors.Missing.CREDENTIAL, () -> t.apiGateway().getApiKey(b -> b.apiKey(keyId))));
        if (!Boolean.TRUE.equals(key.enabled())) {
            throw new WebhookException(WebhookException.Kind.NOT_FOUND, "apiKeyId: API key " + keyId
                    + " is disabled (revoked)");
        }
        List<String> desired = spec.usagePlans();
        List<UsagePlanStages> plans = Parallel.map(clients.executor(), config.aws().maxConcurrency(), desired,
                plan -> readPlan(t, plan));
        Map<String, UsagePlanStages> read = new LinkedHashMap<>();
        for (int i = 0; i < desired.size(); i++) {
            read.put(desired.get(i), plans.get(i));
        }
        refuseWhatAwsWouldRefuse(t, spec, read);

        Set<String> current = attachedPlans(t, keyId);
        journal.intend(new KeyBefore(keyId, current, key.name(), key.customerId()).toRef(spec.operationId(), t.name()));
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
                    () -> t.apiGateway().updateApiKey(b -> b.apiKey(keyId).patchOperations(patch)));
        }
        detach(t, keyId, current.stream().filter(p -> !desired.contains(p)).toList());
        attach(t, keyId, desired.stream().filter(p -> !current.contains(p)).toList(), false);
    }

    /**
     * Undoes a failed update from its journal entry ({@link KeyBefore}, either version): puts the
     * key back in exactly the plans it had (detaches first, then attaches), and back to the name and
     * customerId it had when the entry records them. A key that is gone is done, once the Region is
     * proved right.
     */
    void restore(ResourceRef journaled) {
        KeyBefore.from(journaled).ifPresent(before -> restore(targets.of(journaled), before));
    }

    void restore(AwsTarget t, KeyBefore before) {
        String keyId = before.keyId();
        Set<String> previous = before.plans();
        Set<String> current;
        GetApiKeyResponse key;
        try {
            key = provenMissing(t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                    AwsErrors.Missing.CREDENTIAL, () -> t.apiGateway().getApiKey(b -> b.apiKey(keyId))));
            current = attachedPlans(t, keyId);
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        List<PatchOperation> patch = new ArrayList<>();
        if (before.name() != null && !before.name().equals(key.name())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/name").value(before.name()).build());
        }
        if (before.customerId() != null && !before.customerId().equals(key.customerId())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/customerId").value(before.customerId()).build());
        }
        if (!patch.isEmpty()) {
            try {
                AwsErrors.run("apigateway:PATCH", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                        () -> t.apiGateway().updateApiKey(b -> b.apiKey(keyId).patchOperations(patch)));
            } catch (WebhookException e) {
                if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                    return;
                }
                throw e;
            }
        }
        detach(t, keyId, current.stream().filter(p -> !previous.contains(p)).toList());
        for (String plan : previous.stream().filter(p -> !current.contains(p)).toList()) {
            try {
                attach(t, keyId, List.of(plan), false);
            } catch (WebhookException e) {
                // the key gone, or the plan deleted since: nothing left to restore there
                if (e.kind() != WebhookException.Kind.NOT_FOUND && e.kind() != WebhookException.Kind.UNPROCESSABLE) {
                    throw e;
                }
            }
        }
    }

    /** The usage plans this key is in now, as AWS sees it. */
    Set<String> attachedPlans(AwsTarget t, String keyId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "usage plans of API key " + keyId,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> t.apiGateway().getUsagePlans(b -> b.keyId(keyId).limit(500).position(from))),
                        GetUsagePlansResponse::items, GetUsagePlansResponse::position)
                .stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    /**
     * Removes the key as {@code mode} says: ROLLBACK and DELETE always delete; REVOKE deletes, or
     * disables under {@code webhook.aws.revoke-mode=DISABLE}. A key known only by name (a crash came
     * before its id was journaled) is found by its exact name and operation tag. "Already gone" counts
     * as done only once the Region is proved right ({@link AwsPlaces}); otherwise 503.
     */
    void remove(ResourceRef ref, Removal mode) {
        AwsTarget t = targets.of(ref);
        List<String> ids = ref.hasId() ? List.of(ref.id()) : findByNameAndOperation(t, ref.name(), ref.operationId());
        if (ids.isEmpty()) {
            places.proveApiGatewayRegion(t);
        }
        boolean disable = mode == Removal.REVOKE && "DISABLE".equalsIgnoreCase(config.aws().revokeMode());
        for (String id : ids) {
            try {
                if (disable) {
                    t.apiGateway().updateApiKey(b -> b.apiKey(id).patchOperations(
                            PatchOperation.builder().op(Op.REPLACE).path("/enabled").value("false").build()));
                } else {
                    t.keyWrites().acquire();
                    t.apiGateway().deleteApiKey(b -> b.apiKey(id));
                }
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, disable ? "apigateway:PATCH" : "apigateway:DELETE", "API key " + id,
                            AwsErrors.Missing.CREDENTIAL);
                }
                places.proveApiGatewayRegion(t);
            }
        }
    }

    /** nameQuery is a prefix match: keep exact names, and only keys this operation tagged. */
    List<String> findByNameAndOperation(AwsTarget t, String name, String operationId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys named " + name,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> t.apiGateway().getApiKeys(b -> b.nameQuery(name).limit(500).position(from))),
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
    private CreateApiKeyResponse createKey(AwsTarget t, ResourceRef planned, CredentialSpec spec, String value,
                                           ResourceJournal journal) {
        String name = planned.name();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_MANAGED, "true");
        tags.put(TAG_APP, tagValue(spec.appId()));
        tags.put(TAG_DEVELOPER, tagValue(spec.developer()));
        tags.put(TAG_OPERATION, spec.operationId());
        if (spec.credentialId() != null) {
            tags.put(TAG_CREDENTIAL, tagValue(spec.credentialId()));
        }
        tags.putAll(appIdTags(spec.appId()));
        CreateApiKeyResponse created = IdempotentCreate.run(clients.maxAttempts(), config.aws().lookupSettle(), "apigateway:POST",
                "a new API key", AwsErrors.Missing.REQUESTED,
                () -> {
                    t.keyWrites().acquire();
                    // another target's key: the same value, so that one key works in every target
                    return t.apiGatewayOnce().createApiKey(b -> b.name(name).enabled(true)
                            .customerId(spec.developer())
                            .description(DESCRIPTION + spec.appName())
                            .value(value)
                            .tags(tags));
                },
                () -> findByNameAndOperation(t, name, spec.operationId()).stream().findFirst()
                        .map(id -> CreateApiKeyResponse.builder().id(id).value(value(t, id)).build()));
        journal.created(planned.withId(created.id()));
        return created;
    }

    /** A usage plan's API stages, as "apiId:stage"; {@code exists} false when AWS says there is no such plan. */
    record UsagePlanStages(String id, boolean exists, Set<String> stages) {
        boolean serves(String apiId) {
            return stages.stream().anyMatch(s -> s.startsWith(apiId + ":"));
        }
    }

    /** The plan and its API stages; a plan AWS does not have comes back with exists false. */
    private UsagePlanStages readPlan(AwsTarget t, String planId) {
        try {
            var response = t.apiGateway().getUsagePlan(b -> b.usagePlanId(planId));
            Set<String> stages = new TreeSet<>();
            response.apiStages().forEach(st -> stages.add(st.apiId() + ":" + st.stage()));
            return new UsagePlanStages(planId, true, stages);
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return new UsagePlanStages(planId, false, Set.of());
            }
            throw AwsErrors.map(e, "apigateway:GET", "usage plan " + planId, AwsErrors.Missing.REQUESTED);
        }
    }

    /**
     * What AWS would refuse, refused up front with a 422 that names it: a plan that does not exist,
     * two requested plans on one API stage, and (webhook.aws.check-plan-api-stage) a plan that
     * serves no stage of the API it is requested under.
     */
    private void refuseWhatAwsWouldRefuse(AwsTarget t, CredentialSpec spec, Map<String, UsagePlanStages> plans) {
        List<String> missing = plans.values().stream().filter(p -> !p.exists()).map(UsagePlanStages::id).toList();
        if (!missing.isEmpty()) {
            throw missingPlans(t, missing);
        }
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

    private void detach(AwsTarget t, String keyId, List<String> plans) {
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), plans, plan -> {
            try {
                t.apiGateway().deleteUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId));
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
    private void attach(AwsTarget t, String keyId, List<String> plans, boolean newKey) {
        Parallel.map(clients.executor(), config.aws().maxConcurrency(), plans, plan -> {
            try {
                t.apiGateway().createUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId).keyType("API_KEY"));
            } catch (SdkException e) {
                WebhookException failure = attachFailure(t, e, keyId, plan, newKey);
                if (failure != null) {
                    throw failure;
                }
            }
            return null;
        });
    }

    /** The failure to report, or null when the key turns out to be in the plan already. */
    private WebhookException attachFailure(AwsTarget t, SdkException e, String keyId, String plan, boolean newKey) {
        String code = AwsErrors.code(e);
        if (e instanceof ConflictException || "ConflictException".equals(code)) {
            if (attachedPlans(t, keyId).contains(plan)) {
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
            return missingPlans(t, List.of(plan));
        }
        if ("LimitExceededException".equals(code) && attachedPlans(t, keyId).size() >= config.maxUsagePlansPerKey()) {
            return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: API key " + keyId
                    + " is already in " + config.maxUsagePlansPerKey() + " usage plans, the most AWS allows per API key "
                    + "(webhook.max-usage-plans-per-key)", e);
        }
        return AwsErrors.map(e, "apigateway:POST", "usage plan " + plan, AwsErrors.Missing.REQUESTED);
    }

    private boolean keyExists(AwsTarget t, String keyId) {
        try {
            t.apiGateway().getApiKey(b -> b.apiKey(keyId));
            return true;
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return false;
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
    }

    /**
     * The key, when it exists and carries the tag devportal-webhook:managed: made by this webhook.
     * A key without it is never touched.
     */
    Optional<ResourceRef> findManaged(AwsTarget t, String keyId) {
        GetApiKeyResponse key;
        try {
            key = t.apiGateway().getApiKey(b -> b.apiKey(keyId));
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                places.proveApiGatewayRegion(t);
                return Optional.empty();
            }
            throw AwsErrors.map(e, "apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL);
        }
        if (!"true".equals(key.tags().get(TAG_MANAGED))) {
            return Optional.empty();
        }
        return Optional.of(new ResourceRef(TYPE, keyId, key.name(), key.tags().get(TAG_OPERATION), t.name()));
    }

    /**
     * The managed, enabled keys that belong with a managed app client (a hybrid's key): made by the
     * same operation when the client's name carries its operation marker ({@link AppClients#name}),
     * else (a client named before that marker existed) the keys of the same app, by the hash of
     * their {@code devportal-webhook:app} tag. Reads every page of GetApiKeys, without values.
     *
     * @param appHash       the 10 hex digits at the end of the client's name
     * @param operationHash the client's operation marker (8 hex digits), or null
     */
    List<ResourceRef> findManagedOfClient(AwsTarget t, String appHash, String operationHash) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys", AwsErrors.Missing.CONFIGURED,
                        () -> t.apiGateway().getApiKeys(b -> b.limit(500).position(from).includeValues(false))),
                        GetApiKeysResponse::items, GetApiKeysResponse::position)
                .stream()
                .filter(k -> k.tags() != null && "true".equals(k.tags().get(TAG_MANAGED))
                        && Boolean.TRUE.equals(k.enabled()))
                .filter(k -> operationHash != null
                        ? k.tags().get(TAG_OPERATION) != null
                                && operationHash.equals(AppClients.operationHash(k.tags().get(TAG_OPERATION)))
                        : k.tags().get(TAG_APP) != null
                                && appHash.equals(AppClients.appHash(k.tags().get(TAG_APP))))
                .map(k -> new ResourceRef(TYPE, k.id(), k.name(), k.tags().get(TAG_OPERATION), t.name()))
                .toList();
    }

    /** The tags that carry the exact app id ({@link #TAG_APP_ID}); none when it is too long for them. */
    static Map<String, String> appIdTags(String appId) {
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(appId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> tags = new LinkedHashMap<>();
        if (encoded.length() > MAX_TAG_VALUE * APP_ID_TAGS) {
            return tags;
        }
        for (int at = 0, part = 1; at < encoded.length(); at += MAX_TAG_VALUE, part++) {
            tags.put(part == 1 ? TAG_APP_ID : TAG_APP_ID + ":" + part,
                    encoded.substring(at, Math.min(encoded.length(), at + MAX_TAG_VALUE)));
        }
        return tags;
    }

    /** The exact app id from {@link #appIdTags}, or null when the key has none (or they do not decode). */
    static String appIdOf(Map<String, String> tags) {
        if (tags == null || tags.get(TAG_APP_ID) == null) {
            return null;
        }
        StringBuilder encoded = new StringBuilder(tags.get(TAG_APP_ID));
        for (int part = 2; part <= APP_ID_TAGS && tags.get(TAG_APP_ID + ":" + part) != null; part++) {
            encoded.append(tags.get(TAG_APP_ID + ":" + part));
        }
        try {
            return new String(java.util.Base64.getUrlDecoder().decode(encoded.toString()),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What a managed key says about its credential, for {@code reconcile --adopt}: the ledger id and
     * the exact app id from its tags, the app's name from its description (as it was at create),
     * the developer from its customerId (kept current by updates), and its usage plans now.
     */
    io.devportal.webhook.provider.CredentialProvider.Marks marks(AwsTarget t, String keyId) {
        GetApiKeyResponse key = provenMissing(t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                AwsErrors.Missing.CREDENTIAL, () -> t.apiGateway().getApiKey(b -> b.apiKey(keyId))));
        Map<String, String> tags = key.tags() == null ? Map.of() : key.tags();
        String appName = key.description() != null && key.description().startsWith(DESCRIPTION)
                ? key.description().substring(DESCRIPTION.length()) : key.name();
        String developer = key.customerId() != null ? key.customerId() : tags.get(TAG_DEVELOPER);
        return new io.devportal.webhook.provider.CredentialProvider.Marks(tags.get(TAG_CREDENTIAL), appIdOf(tags),
                appName, developer, List.copyOf(new TreeSet<>(attachedPlans(t, keyId))), List.of());
    }

    private WebhookException missingPlans(AwsTarget t, List<String> plans) {
        return new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis[].usagePlans: "
                + (plans.size() == 1 ? "usage plan " + plans.get(0) + " does not exist"
                : "usage plans " + String.join(", ", plans) + " do not exist") + " in API Gateway" + (targetsConfig.several() ? " of target " + t.label() : ""));
    }

    static String tagValue(String value) {
        String safe = TAG_UNSAFE.matcher(value.replace('\n', ' ')).replaceAll("_");
        return safe.length() <= MAX_TAG_VALUE ? safe : safe.substring(0, MAX_TAG_VALUE);
    }
}
