package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real AWS credentials: an API Gateway API key on the app's usage plans, or a Cognito app client
 * for client credentials, or both (hybrid). Selected by {@code webhook.provider=aws}.
 */
@ApplicationScoped
@LookupIfProperty(name = "webhook.provider", stringValue = "aws")
public class AwsCredentialProvider implements CredentialProvider {

    @Inject
    ApiKeys apiKeys;

    @Inject
    UpdateUndo updateUndo;

    @Inject
    KeyLookup keyLookup;

    @Inject
    ManagedLookup managedLookup;

    @Inject
    AppClients appClients;

    @Inject
    AwsHealth awsHealth;

    @Inject
    AwsClients clients;

    @Inject
    AwsInventory inventory;

    @Inject
    PrePlaceSearch prePlaces;

    @Inject
    KeyTargets keyTargets;

    @Inject
    AwsTargets targets;

    @Inject
    PlaceResolver where;

    @Inject
    IssuedAnswers answers;

    @Inject
    AssignablePlans assignablePlans;

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public IssuedCredential issue(CredentialSpec spec, ResourceJournal journal) {
        if (!spec.needsClient()) {
            List<ApiKeys.Issued> keys = keyTargets.create(spec, journal);
            return answers.apiKey(refs(keys), keys.get(0).value());
        }
        // one user pool for every client-credentials API (a 422 otherwise), before anything is made
        targets.poolFor(spec.apis());
        if (!spec.withApiKey()) {
            AppClients.Issued client = appClients.create(spec, journal);
            return answers.client(client.ref(), client.secret(), client.scopes(), List.of(), null);
        }
        // Hybrid: the client and the key are independent; make them side by side.
        List<Object> made = Parallel.map(clients.executor(), 2, List.of(CredentialKind.CLIENT_CREDENTIALS,
                CredentialKind.API_KEY), kind -> kind == CredentialKind.API_KEY
                ? keyTargets.create(spec, journal) : appClients.create(spec, journal));
        AppClients.Issued client = (AppClients.Issued) made.get(0);
        @SuppressWarnings("unchecked")
        List<ApiKeys.Issued> keys = (List<ApiKeys.Issued>) made.get(1);
        return answers.client(client.ref(), client.secret(), client.scopes(), refs(keys), keys.get(0).value());
    }

    @Override
    public IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources) {
        try {
            return fetchWhereTheyLive(kind, resources);
        } catch (RuntimeException e) {
            throw where.explain(resources, e);
        }
    }

    private IssuedCredential fetchWhereTheyLive(CredentialKind kind, List<ResourceRef> resources) {
        List<ResourceRef> keys = all(resources, ApiKeys.TYPE);
        ResourceRef clientRef = find(resources, AppClients.TYPE);
        // every key read, in parallel: a key gone in any target is a credential that is not whole (NOT_FOUND)
        List<String> values = Parallel.map(clients.executor(), Math.max(1, keys.size()), keys,
                apiKeys::value);
        String keyValue = keys.isEmpty() ? null : values.get(0);
        if (kind == CredentialKind.API_KEY) {
            return answers.apiKey(keys, keyValue);
        }
        UserPoolClientType client = appClients.describe(clientRef);
        return answers.client(clientRef, client.clientSecret(), client.allowedOAuthScopes(), keys, keyValue);
    }

    @Override
    public Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal) {
        try {
            return convergeWhereTheyLive(resources, desired, journal);
        } catch (RuntimeException e) {
            throw where.explain(resources, e);
        }
    }

    private Convergence convergeWhereTheyLive(List<ResourceRef> resources, CredentialSpec desired,
                                              ResourceJournal journal) {
        for (ResourceRef ref : resources) {
            if (!ref.type().equals(ApiKeys.TYPE) && !ref.type().equals(AppClients.TYPE)) {
                throw unknownType(ref);
            }
        }
        // the keys first: their changes are checked up front, journaled and restored on failure; the
        // client's one write comes last, so a refused update (a hybrid's missing plan) leaves its
        // scopes as they were
        List<ResourceRef> keys = all(resources, ApiKeys.TYPE);
        List<ResourceRef> now = new ArrayList<>();
        List<String> scopes = List.of();
        ResourceRef client = find(resources, AppClients.TYPE);
        if (client != null) {
            // a client that would have to move to another pool is refused before any key changes
            appClients.requireSamePool(client, desired);
            now.add(client);
        }
        List<ResourceRef> retired = List.of();
        if (!keys.isEmpty()) {
            KeyTargets.Converged converged = keyTargets.converge(keys, desired, journal);
            now.addAll(converged.keys());
            retired = converged.retired();
        }
        if (client != null) {
            scopes = appClients.converge(client, desired, journal);
        }
        return new Convergence(now, scopes, retired);
    }

    /**
     * Puts every key back as the update journaled it before changing it: its usage plans, name and
     * customerId ({@link KeyBefore}); the client its name, scopes and token validity ({@link
     * ClientBefore}); and removes the keys the update made in targets the app had not used before
     * (journaled with the update's own operation id).
     */
    @Override
    public void restore(List<ResourceRef> journaled, String operationId) {
        updateUndo.restore(journaled, operationId);
    }

    @Override
    public void restore(List<ResourceRef> journaled) {
        restore(journaled, null);
    }

    /** The keys the update made in targets the app had not used before, deleted; nothing restored. */
    @Override
    public void removeMade(List<ResourceRef> journaled, String operationId) {
        updateUndo.removeMade(journaled, operationId);
    }

    /**
     * An API key tagged devportal-webhook:managed=true, or an app client with the webhook's name
     * marker and shape (see {@link AppClients#findManaged}), with a hybrid's key ({@link ManagedLookup}).
     */
    @Override
    public List<ResourceRef> findManaged(CredentialKind kind, String externalId) {
        return managedLookup.managedResourcesOf(kind, externalId);
    }

    /** The key's tags, description and plans, and the client's name and scopes ({@code reconcile --adopt}). */
    @Override
    public Optional<Marks> marks(List<ResourceRef> resources) {
        ResourceRef keyRef = find(resources, ApiKeys.TYPE);
        ResourceRef clientRef = find(resources, AppClients.TYPE);
        Marks key = keyRef == null ? null : keyLookup.marks(where.at(keyRef), keyRef.id());
        List<ResourceRef> keys = all(resources, ApiKeys.TYPE);
        if (key != null && keys.size() > 1) {
            // one key in several targets: each target's plans, so the adopted record maps them back
            Map<String, List<String>> byTarget = new LinkedHashMap<>();
            byTarget.put(keyRef.target(), key.usagePlans());
            for (ResourceRef other : keys.subList(1, keys.size())) {
                byTarget.put(other.target(), keyLookup.marks(where.at(other), other.id()).usagePlans());
            }
            key = new Marks(key.credentialId(), key.appId(), key.appName(), key.developer(), key.usagePlans(),
                    key.scopes(), byTarget);
        }
        Marks client = clientRef == null ? null : appClients.marks(clientRef);
        if (key == null) {
            return Optional.ofNullable(client);
        }
        return Optional.of(client == null ? key : new Marks(key.credentialId(), key.appId(), key.appName(),
                key.developer(), key.usagePlans(), client.scopes(), key.usagePlansByTarget()));
    }

    /** A key in a usage plan that the portal may not hand out ({@link AssignablePlans}) is not adopted. */
    @Override
    public void refuseAdoption(List<ResourceRef> resources) {
        for (ResourceRef key : all(resources, ApiKeys.TYPE)) {
            assignablePlans.refuseAdoption(where.at(key), key.id());
        }
    }

    @Override
    public ProviderHealth health() {
        return awsHealth.check();
    }

    @Override
    public List<ObservedResource> inventory() {
        return inventory.all();
    }

    @Override
    public Optional<ObservedResource> observe(ResourceRef resource) {
        try {
            return inventory.observe(resource);
        } catch (RuntimeException e) {
            throw where.explain(List.of(resource), e);
        }
    }

    @Override
    public Optional<Whereabouts> whereabouts(ResourceRef resource) {
        return Optional.of(prePlaces.of(resource));
    }

    /** Removes every resource, each on its own: one failure does not stop the others. */
    @Override
    public void remove(List<ResourceRef> resources, Removal mode) {
        RuntimeException failure = null;
        for (ResourceRef ref : resources) {
            try {
                switch (ref.type()) {
                    case ApiKeys.TYPE -> apiKeys.remove(ref, mode);
                    case AppClients.TYPE -> appClients.remove(ref);
                    default -> throw unknownType(ref);
                }
            } catch (RuntimeException e) {
                failure = failure == null ? where.explain(List.of(ref), e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static List<ResourceRef> refs(List<ApiKeys.Issued> keys) {
        return keys.stream().map(ApiKeys.Issued::ref).toList();
    }

    private static List<ResourceRef> all(List<ResourceRef> resources, String type) {
        return resources.stream().filter(r -> r.type().equals(type) && r.hasId()).toList();
    }

    private static ResourceRef find(List<ResourceRef> resources, String type) {
        return resources.stream().filter(r -> r.type().equals(type) && r.hasId()).findFirst().orElse(null);
    }

    private static WebhookException unknownType(ResourceRef ref) {
        return new WebhookException(WebhookException.Kind.INTERNAL,
                "resource type " + ref.type() + " belongs to another provider; was webhook.provider changed?");
    }
}
