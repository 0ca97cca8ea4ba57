package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The keys made, the first target's first. */
    List<ApiKeys.Issued> create(CredentialSpec spec, ResourceJournal journal) {
        List<Map.Entry<AwsTarget, List<ApiAccess>>> groups = new ArrayList<>(groups(spec).entrySet());
        Map.Entry<AwsTarget, List<ApiAccess>> first = groups.get(0);
        ApiKeys.Issued primary = apiKeys.create(first.getKey(), only(spec, first.getValue()), null, journal);
        List<ApiKeys.Issued> made = new ArrayList<>();
        made.add(primary);
        made.addAll(Parallel.map(clients.executor(), groups.size(), groups.subList(1, groups.size()),
                group -> apiKeys.create(group.getKey(), only(spec, group.getValue()), primary.value(), journal)));
        return made;
    }

    /**
     * Brings the keys to the spec, target by target: a target the app still uses converges its key
     * (journaled before it changes, see {@link ApiKeys#converge}); a target it now uses gets the key,
     * with the value read back from a key it has; a target it no longer uses loses its key, last,
     * once everything else has succeeded (a delete cannot be undone).
     *
     * @return the keys now, the desired first target's first
     */
    List<ResourceRef> converge(List<ResourceRef> keys, CredentialSpec desired, ResourceJournal journal) {
        Map<String, ResourceRef> have = new LinkedHashMap<>();
        keys.forEach(k -> have.putIfAbsent(k.target(), k));
        Map<AwsTarget, List<ApiAccess>> want = new LinkedHashMap<>(groups(desired));
        if (desired.usagePlans().isEmpty()) {
            // no usage plan left at all: every key stays, in no plan (as a key in one target always did)
            want.clear();
            have.values().forEach(key -> want.putIfAbsent(targets.of(key), List.of()));
        }
        List<ResourceRef> now = new ArrayList<>();
        for (Map.Entry<AwsTarget, List<ApiAccess>> group : want.entrySet()) {
            ResourceRef key = have.get(group.getKey().name());
            if (key != null) {
                apiKeys.converge(key, only(desired, group.getValue()), journal);
                now.add(key);
            }
        }
        String value = null;
        for (Map.Entry<AwsTarget, List<ApiAccess>> group : want.entrySet()) {
            if (!have.containsKey(group.getKey().name())) {
                if (value == null) {
                    ResourceRef source = have.values().iterator().next();
                    value = apiKeys.value(targets.of(source), source.id());
                }
                now.add(apiKeys.create(group.getKey(), only(desired, group.getValue()), value, journal).ref());
            }
        }
        List<ResourceRef> dropped = have.values().stream().filter(k -> !now.contains(k)).toList();
        for (ResourceRef key : dropped) {
            apiKeys.remove(key, Removal.DELETE);
        }
        return order(now, want);
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

    private static List<ResourceRef> order(List<ResourceRef> keys, Map<AwsTarget, List<ApiAccess>> want) {
        List<ResourceRef> ordered = new ArrayList<>();
        for (AwsTarget target : want.keySet()) {
            keys.stream().filter(k -> k.target().equals(target.name())).findFirst().ifPresent(ordered::add);
        }
        return ordered;
    }
}
