package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
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
    /** On the key of every target but the first: the id of the first target's key (the portal's). */
    static final String TAG_TWIN_OF = "devportal-webhook:twin-of";
    /** The key's description: this, then the app's name as it was at create. */
    static final String DESCRIPTION = "Issued by devportal-webhook for the Developer Portal app ";
    /**
     * Journaled by an update before it changes the key: id = the key, before = a {@link KeyBefore}
     * (its plans, name and customerId then; version 0 rows hold only the plans, comma-separated).
     */
    static final String PLANS_BEFORE = "apigateway:usage-plans-before-update";
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
    PlanChecks planChecks;

    @Inject
    PlanAttachments attachments;

    @Inject
    AssignablePlans assignablePlans;

    @Inject
    AwsClients clients;

    @Inject
    ControlPlaneBudget budget;

    @Inject
    WebhookConfig config;

    @Inject
    AwsPlaces places;

    @Inject
    PlaceResolver where;

    /**
     * A key in target {@code t} on the spec's plans.
     *
     * @param value  null: AWS generates it; else another target's key's value (one key everywhere)
     * @param twinOf with a value: the id of the key the portal holds, tagged so that an adoption
     *               after a restore knows which of the twins is the portal's
     */
    Issued create(AwsTarget t, CredentialSpec spec, String value, String twinOf, ResourceJournal journal) {
        List<String> plans = spec.usagePlans();
        String name = name(spec.appName(), spec.developer(), spec.appId());
        t.requireCredentials();
        // A plan the portal may not hand out is refused before any key exists: the plans are read
        // first whenever such a rule applies (AssignablePlans), else together with the key.
        boolean checkFirst = assignablePlans.inForce(spec);
        if (checkFirst) {
            planChecks.refuse(t, spec, planChecks.readAll(t, plans));
        }
        ResourceRef planned = new ResourceRef(TYPE, null, name, spec.operationId(), t.name()).withPlace(where.of(t));
        // before anything is journaled, in one write: the key, its attachments, and the plan reads that
        // will go to AWS; a refusal leaves nothing to undo
        Set<String> unknown = checkFirst ? Set.of() : planChecks.unknown(t, plans);
        budget.reserve(t, 1 + plans.size() + unknown.size());
        journal.intend(planned);

        // Round trip 1: the key, and (unless read already) every plan (its existence and API stages), at once.
        List<Object> first = new ArrayList<>();
        first.add(null);
        if (!checkFirst) {
            first.addAll(plans);
        }
        List<Object> results = Parallel.map(clients.executor(), config.aws().maxConcurrency() + 1, first,
                item -> item == null ? createKey(t, planned, spec, value, twinOf, journal)
                        : planChecks.read(t, (String) item, unknown.contains(item)));
        CreateApiKeyResponse created = (CreateApiKeyResponse) results.get(0);
        ResourceRef made = planned.withId(created.id());
        if (!checkFirst) {
            planChecks.refuse(t, spec, PlanChecks.byId(plans, results.subList(1, results.size())));
        }
        // Round trip 2: every attachment at once.
        attachments.attach(t, created.id(), plans, true);
        return new Issued(made, value != null ? value : created.value());
    }

    /** A key in the target of the spec's first API, with a value AWS generates (a spec of one target). */
    Issued create(CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = spec.apis().isEmpty() ? targets.defaultTarget() : targets.forApi(spec.apis().get(0).apiId());
        return create(t, spec, null, null, journal);
    }

    /** The key's value, for an idempotent retry: where it lives ({@link PlaceResolver}). */
    String value(ResourceRef key) {
        AwsTarget t = where.at(key);
        return missing(key, t, () -> readValue(t, key.id()));
    }

    /** The value of a key just found in target {@code t}. */
    String value(AwsTarget t, String keyId) {
        return provenMissing(t, () -> readValue(t, keyId));
    }

    private static String readValue(AwsTarget t, String keyId) {
        return AwsErrors.call("apigateway:GET", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                () -> t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId).includeValue(true)))).value();
    }

    /**
     * Runs a call on a journaled key in {@code t} (its place, {@link PlaceResolver#at}) whose NOT_FOUND
     * means "the key is gone": believed in its recorded place; for a row before places, 503.
     */
    <T> T missing(ResourceRef ref, AwsTarget t, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                where.notFound(ref, t);
            }
            throw e;
        }
    }

    /**
     * Runs a call whose NOT_FOUND means "the key is gone"; before that is believed, the Region is
     * proved ({@link AwsPlaces#proveApiGatewayRegion}), else 503.
     */
    <T> T provenMissing(AwsTarget t, java.util.function.Supplier<T> call) {
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
     * half-way is restored ({@link UpdateUndo}) at once by the caller, or by the sweeper.
     */
    void converge(ResourceRef ref, CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = where.at(ref);
        String keyId = ref.id();
        budget.reserve(t, 2);  // the key and its plans, read before the changes are known
        GetApiKeyResponse key = missing(ref, t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                AwsErrors.Missing.CREDENTIAL, () -> t.api(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)))));
        if (!Boolean.TRUE.equals(key.enabled())) {
            throw new WebhookException(WebhookException.Kind.NOT_FOUND, "apiKeyId: API key " + keyId
                    + " is disabled (revoked)");
        }
        List<String> desired = spec.usagePlans();
        planChecks.refuse(t, spec, planChecks.readAll(t, desired));

        Set<String> current = attachedPlans(t, keyId);
        journal.intend(new KeyBefore(keyId, current, key.name(), key.customerId()).toRef(spec.operationId(), t.name(),
                ref.placeRecorded() ? ref.place() : where.of(t)));
        String name = name(spec.appName(), spec.developer(), spec.appId());
        List<PatchOperation> patch = new ArrayList<>();
        if (!name.equals(key.name())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/name").value(name).build());
        }
        if (!spec.developer().equals(key.customerId())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/customerId").value(spec.developer()).build());
        }
        List<String> leaving = current.stream().filter(p -> !desired.contains(p)).toList();
        List<String> joining = desired.stream().filter(p -> !current.contains(p)).toList();
        budget.reserve(t, (patch.isEmpty() ? 0 : 1) + leaving.size() + joining.size());
        if (!patch.isEmpty()) {
            AwsErrors.run("apigateway:PATCH", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                    () -> t.api(() -> t.apiGateway().updateApiKey(b -> b.apiKey(keyId).patchOperations(patch))));
        }
        attachments.detach(t, keyId, leaving);
        attachments.attach(t, keyId, joining, false);
    }

    /** The usage plans this key is in now, as AWS sees it. */
    Set<String> attachedPlans(AwsTarget t, String keyId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "usage plans of API key " + keyId,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> t.api(() -> t.apiGateway().getUsagePlans(b -> b.keyId(keyId).limit(500).position(from)))),
                        GetUsagePlansResponse::items, GetUsagePlansResponse::position)
                .stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    /**
     * Removes the key as {@code mode} says: ROLLBACK and DELETE always delete; REVOKE deletes, or
     * disables under {@code webhook.aws.revoke-mode=DISABLE}. A key known only by name (a crash came
     * before its id was journaled) is found by its exact name and operation tag, in the place it was
     * recorded in ({@link PlaceResolver#at}). "Already gone" counts as done there; a row written before
     * places were recorded is never taken as gone (503, {@link PlaceResolver#notFound}).
     */
    void remove(ResourceRef ref, Removal mode) {
        AwsTarget t = where.at(ref);
        budget.reserveRevoke(t, ref.hasId() ? 1 : 2);
        List<String> ids = ref.hasId() ? List.of(ref.id()) : findByNameAndOperation(t, ref.name(), ref.operationId());
        if (ids.isEmpty()) {
            where.notFound(ref, t);
        }
        boolean disable = mode == Removal.REVOKE && "DISABLE".equalsIgnoreCase(config.aws().revokeMode());
        for (String id : ids) {
            try {
                if (disable) {
                    t.apiRevoke(() -> t.apiGateway().updateApiKey(b -> b.apiKey(id).patchOperations(
                            PatchOperation.builder().op(Op.REPLACE).path("/enabled").value("false").build())));
                } else {
                    t.apiRevoke(() -> {
                        clients.paceKeyWrite(t);
                        return t.apiGateway().deleteApiKey(b -> b.apiKey(id));
                    });
                }
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, disable ? "apigateway:PATCH" : "apigateway:DELETE", "API key " + id,
                            AwsErrors.Missing.CREDENTIAL);
                }
                where.notFound(ref, t);
            }
        }
    }

    /** nameQuery is a prefix match: keep exact names, and only keys this operation tagged. */
    List<String> findByNameAndOperation(AwsTarget t, String name, String operationId) {
        return Pages.all(from -> AwsErrors.call("apigateway:GET", "API keys named " + name,
                        AwsErrors.Missing.CREDENTIAL,
                        () -> t.api(() -> t.apiGateway().getApiKeys(b -> b.nameQuery(name).limit(500).position(from)))),
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
    private CreateApiKeyResponse createKey(AwsTarget t, ResourceRef planned, CredentialSpec spec, String value, String twinOf,
                                           ResourceJournal journal) {
        String name = planned.name();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_MANAGED, "true");
        tags.put(TAG_APP, KeyTags.tagValue(spec.appId()));
        tags.put(TAG_DEVELOPER, KeyTags.tagValue(spec.developer()));
        tags.put(TAG_OPERATION, spec.operationId());
        if (twinOf != null) {
            tags.put(TAG_TWIN_OF, twinOf);
        }
        if (spec.credentialId() != null) {
            tags.put(TAG_CREDENTIAL, KeyTags.tagValue(spec.credentialId()));
        }
        tags.putAll(KeyTags.appIdTags(spec.appId()));
        CreateApiKeyResponse created = IdempotentCreate.run(clients.maxAttempts(), config.aws().lookupSettle(), "apigateway:POST",
                "a new API key", AwsErrors.Missing.REQUESTED,
                () -> t.api(() -> {
                    clients.paceKeyWrite(t);
                    // another target's key: the same value, so that one key works in every target
                    return t.apiGatewayOnce().createApiKey(b -> b.name(name).enabled(true)
                            .customerId(spec.developer())
                            .description(DESCRIPTION + spec.appName())
                            .value(value)
                            .tags(tags));
                }),
                () -> {
                    budget.reserve(t, 1);  // the lookup after an ambiguous failure, and the value of what it finds
                    return findByNameAndOperation(t, name, spec.operationId()).stream().findFirst().map(id -> {
                        budget.reserve(t, 1);
                        return CreateApiKeyResponse.builder().id(id).value(value(t, id)).build();
                    });
                });
        journal.created(planned.withId(created.id()));
        return created;
    }

}
