package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A live credential of this webhook that the ledger does not know, found by the id the portal
 * holds: every resource it consists of, so that a revoke of a forgotten hybrid removes its key
 * as well as its client. Nothing that was not made by this webhook is returned. A "not found" is
 * believed only once the pool or Region is proved ({@link AwsPlaces}); otherwise 503.
 */
@ApplicationScoped
class ManagedLookup {
    private static final Logger LOG = Logger.getLogger(ManagedLookup.class);

    @Inject
    ApiKeys apiKeys;

    @Inject
    KeyLookup keyLookup;

    @Inject
    AppClients appClients;

    @Inject
    AwsTargets targets;

    /** {@link #managedResourcesOf(CredentialKind, String, String)} without a key id from the portal. */
    List<ResourceRef> managedResourcesOf(CredentialKind kind, String externalId) {
        return managedResourcesOf(kind, externalId, null);
    }

    /**
     * An API key: the key, when it is tagged managed. A client: the client, when it carries the
     * webhook's name marker and shape, and then its hybrid key: {@code apiKeyId} (the key id the
     * portal sent in customCredentials) when that key is managed and of the same operation or app,
     * else the managed enabled key made by the client's own operation (the operation marker in its
     * name against the key's {@code devportal-webhook:operation} tag), or for a client named before
     * that marker, the one managed enabled key tagged with the same app. Several candidate keys for
     * an unmarked client are ambiguous: none is returned (and a warning logged) rather than a guess.
     */
    List<ResourceRef> managedResourcesOf(CredentialKind kind, String externalId, String apiKeyId) {
        if (externalId == null || externalId.isBlank()) {
            return List.of();
        }
        if (kind == CredentialKind.API_KEY) {
            // the key the portal holds is the first target's; its twins elsewhere carry its operation tag
            for (AwsTarget t : targets.all()) {
                Optional<ResourceRef> key = keyLookup.findManaged(t, externalId);
                if (key.isPresent()) {
                    return portalsFirst(twins(t, key.get()));
                }
            }
            return List.of();
        }
        Optional<ResourceRef> client = Optional.empty();
        AwsTarget pool = null;
        for (AwsTarget t : targets.all()) {
            if (t.ownUserPool().isPresent()) {
                client = appClients.findManaged(t, externalId);
                if (client.isPresent()) {
                    pool = t;
                    break;
                }
            }
        }
        if (client.isEmpty()) {
            return List.of();
        }
        List<ResourceRef> found = new ArrayList<>();
        found.add(client.get());
        String appHash = ClientNames.appHashOf(client.get().name());
        String operationHash = ClientNames.operationHashOf(client.get().name());
        List<ResourceRef> keys;
        if (apiKeyId != null && !apiKeyId.isBlank()) {
            keys = new ArrayList<>();
            for (AwsTarget t : targets.all()) {
                Optional<ResourceRef> key = keyLookup.findManaged(t, apiKeyId).filter(k -> belongs(k, operationHash));
                if (key.isPresent()) {
                    keys = twins(t, key.get());
                    break;
                }
            }
        } else {
            keys = new ArrayList<>();
            for (AwsTarget t : targets.all()) {
                keys.addAll(keyLookup.findManagedOfClient(t, appHash, operationHash));
            }
        }
        if (keys.size() == 1 || oneKeyInSeveralTargets(keys)) {
            // and the keys an update added in other targets: the same credential
            AwsTarget home = targets.of(keys.get(0));
            for (ResourceRef twin : twins(home, keys.get(0))) {
                if (keys.stream().noneMatch(k -> k.id().equals(twin.id()) && k.target().equals(twin.target()))) {
                    keys = new ArrayList<>(keys);
                    keys.add(twin);
                }
            }
            found.addAll(keys);
        } else if (keys.size() > 1) {
            LOG.warnf("client %s: %d managed keys of its app and none told apart by an operation marker (%s); "
                    + "none is removed with it", externalId, keys.size(), keys.stream().map(ResourceRef::id).toList());
        }
        return List.copyOf(found);
    }

    /**
     * The key and, in every other target, the managed keys of the same credential (the same value):
     * by the ledger id it was issued under (the {@code devportal-webhook:credential} tag, which the
     * keys an update adds carry too), else (a key tagged before that tag) by its operation tag. In
     * one target only: the key alone.
     */
    private List<ResourceRef> twins(AwsTarget home, ResourceRef key) {
        List<ResourceRef> all = new ArrayList<>();
        all.add(key);
        String credential = keyLookup.credentialOf(home, key.id());
        if (credential == null && key.operationId() == null) {
            return all;
        }
        for (AwsTarget t : targets.all()) {
            if (!t.name().equals(home.name())) {
                if (credential != null) {
                    all.addAll(keyLookup.findManagedOfCredential(t, credential));
                } else {
                    keyLookup.findManagedOfClient(t, null, ClientNames.operationHash(key.operationId())).stream()
                            .filter(k -> key.operationId().equals(k.operationId())).forEach(all::add);
                }
            }
        }
        return all;
    }

    /**
     * The twins with the key the portal holds first: the one no {@code devportal-webhook:twin-of} tag
     * marks as a twin; among keys made before that tag, the oldest (a create makes the portal's key
     * before the others, and an update adds keys later still). An adoption records it as the id.
     */
    private List<ResourceRef> portalsFirst(List<ResourceRef> keys) {
        if (keys.size() < 2) {
            return keys;
        }
        List<KeyLookup.Twin> twins = keys.stream().map(k -> keyLookup.twin(targets.of(k), k)).toList();
        KeyLookup.Twin portals = twins.stream().filter(t -> t.twinOf() == null)
                .min(java.util.Comparator.comparing(KeyLookup.Twin::created)).orElse(twins.get(0));
        List<ResourceRef> ordered = new ArrayList<>();
        ordered.add(portals.key());
        keys.stream().filter(k -> k != portals.key()).forEach(ordered::add);
        return ordered;
    }

    /** The same operation's key in each of several targets: one credential's key (one value everywhere). */
    private static boolean oneKeyInSeveralTargets(List<ResourceRef> keys) {
        return keys.size() > 1 && keys.get(0).operationId() != null
                && keys.stream().allMatch(k -> keys.get(0).operationId().equals(k.operationId()))
                && keys.stream().map(ResourceRef::target).distinct().count() == keys.size();
    }

    /** A key named by the portal goes with the client when both came from one operation (or the client predates markers). */
    private static boolean belongs(ResourceRef key, String operationHash) {
        return operationHash == null
                || (key.operationId() != null && operationHash.equals(ClientNames.operationHash(key.operationId())));
    }
}
