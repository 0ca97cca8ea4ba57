package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API key value in every target an app's API-key APIs live in. The key is created in the
 * first target (that of the first API with usage plans, in request order), then in every other
 * target with the same value, name and tags, each attached to its own target's plans. Every key is
 * journaled where it lives ({@link ResourceRef#target()}), so a failure anywhere is torn down
 * everywhere by the caller, and revoke, the sweeper and reconcile reach every target.
 */
@ApplicationScoped
class KeyTargets {

    @Inject
    ApiKeys apiKeys;

    @Inject
    AwsTargets targets;

    @Inject
    AwsClients clients;

    @Inject
    KeyLookup keyLookup;

    @Inject
    PlaceResolver where;

    /** The keys made, the first target's first. */
    List<ApiKeys.Issued> create(CredentialSpec spec, ResourceJournal journal) {
        List<Map.Entry<AwsTarget, List<ApiAccess>>> groups = new ArrayList<>(groups(spec).entrySet());
        Map.Entry<AwsTarget, List<ApiAccess>> first = groups.get(0);
        ApiKeys.Issued primary = apiKeys.create(first.getKey(), only(spec, first.getValue()), null, null, journal);
        List<ApiKeys.Issued> made = new ArrayList<>();
        made.add(primary);
        made.addAll(Parallel.map(clients.executor(), groups.size(), groups.subList(1, groups.size()),
                group -> apiKeys.create(group.getKey(), only(spec, group.getValue()), primary.value(),
                        primary.ref().id(), journal)));
        return made;
    }

    /** The keys after a converge, the portal's key first, and the keys to delete once it is confirmed. */
    record Converged(List<ResourceRef> keys, List<ResourceRef> retired) {
    }

    /**
     * Brings the keys to the spec, target by target, so that every change can be undone until the
     * update is confirmed: a target the app still uses converges its key (journaled before it
     * changes, see {@link ApiKeys#converge}); a target it now uses gets the key, with the value read
     * back from the portal's key; a target it no longer uses has its key detached from every plan
     * (journaled too), and that key is deleted only once the update is confirmed ({@code retired}:
     * by the caller, under the lease again),
     * except the portal's own key (the id it holds), which stays in no plan until the revoke.
     *
     * @param keys the credential's keys, the portal's first
     */
    Converged converge(List<ResourceRef> keys, CredentialSpec desired, ResourceJournal journal) {
        ResourceRef held = keys.get(0);
        // each key by the target that reaches where it lives (its place), not by the name it was made under
        Map<String, ResourceRef> have = new LinkedHashMap<>();
        keys.forEach(k -> have.putIfAbsent(where.at(k).name(), k));
        Map<AwsTarget, List<ApiAccess>> want = new LinkedHashMap<>(groups(desired));
        if (desired.usagePlans().isEmpty()) {
            // no usage plan left at all: every key stays, in no plan (as a key in one target always did)
            want.clear();
            have.values().forEach(key -> want.putIfAbsent(where.at(key), List.of()));
        }
        List<ResourceRef> now = new ArrayList<>();
        List<ResourceRef> retired = new ArrayList<>();
        for (Map.Entry<AwsTarget, List<ApiAccess>> group : want.entrySet()) {
            ResourceRef key = have.get(group.getKey().name());
            if (key != null) {
                apiKeys.converge(key, only(desired, group.getValue()), journal);
                now.add(key);
            }
        }
        for (Map.Entry<String, ResourceRef> had : have.entrySet()) {
            ResourceRef key = had.getValue();
            if (want.keySet().stream().noneMatch(t -> t.name().equals(had.getKey()))) {
                apiKeys.converge(key, only(desired, List.of()), journal);
                if (key.equals(held)) {
                    now.add(key);
                } else {
                    retired.add(key);
                }
            }
        }
        String value = null;
        for (Map.Entry<AwsTarget, List<ApiAccess>> group : want.entrySet()) {
            if (!have.containsKey(group.getKey().name())) {
                group.getKey().requireCredentials(); // a role that cannot be assumed is named as such
                Optional<ResourceRef> leftover = leftover(group.getKey(), desired, keys);
                if (leftover.isPresent()) {
                    // an earlier update's key of this target whose delete failed (in no plan): it has the
                    // value, and a second key with that value would be refused
                    apiKeys.converge(leftover.get(), only(desired, group.getValue()), journal);
                    now.add(leftover.get());
                    continue;
                }
                if (value == null) {
                    value = apiKeys.value(held);
                }
                now.add(apiKeys.create(group.getKey(), only(desired, group.getValue()), value, held.id(), journal).ref());
            }
        }
        List<ResourceRef> ordered = new ArrayList<>();
        ordered.add(held);
        now.stream().filter(k -> !k.equals(held)).forEach(ordered::add);
        return new Converged(ordered, retired);
    }

    /** A live key of this credential in the target that the credential no longer lists. */
    private Optional<ResourceRef> leftover(AwsTarget target, CredentialSpec desired, List<ResourceRef> keys) {
        if (desired.credentialId() == null) {
            return Optional.empty();
        }
        return keyLookup.findManagedOfCredential(target, desired.credentialId()).stream()
                .filter(k -> keys.stream().noneMatch(held -> held.id().equals(k.id()))).findFirst();
    }

    /** The APIs with usage plans, by target; none at all: the target of the first API (or the default). */
    Map<AwsTarget, List<ApiAccess>> groups(CredentialSpec spec) {
        Map<AwsTarget, List<ApiAccess>> groups = targets.byTarget(spec.apis().stream()
                .filter(a -> !a.usagePlans().isEmpty()).toList());
        if (groups.isEmpty()) {
            groups.put(spec.apis().isEmpty() ? targets.defaultTarget() : targets.forApi(spec.apis().get(0).apiId()),
                    List.of());
        }
        return groups;
    }

    /** The spec of one target: only its APIs. */
    static CredentialSpec only(CredentialSpec spec, List<ApiAccess> apis) {
        return new CredentialSpec(spec.kind(), spec.withApiKey(), spec.appId(), spec.appName(), spec.developer(),
                apis, spec.operationId(), spec.credentialId());
    }

}
