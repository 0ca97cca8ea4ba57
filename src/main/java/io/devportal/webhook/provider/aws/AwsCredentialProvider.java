package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceRef;
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
    ManagedLookup managedLookup;

    @Inject
    AppClients appClients;

    @Inject
    AwsHealth awsHealth;

    @Inject
    AwsClients clients;

    @Inject
    AwsInventory inventory;

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public IssuedCredential issue(CredentialSpec spec, ResourceJournal journal) {
        if (!spec.needsClient()) {
            ApiKeys.Issued key = apiKeys.create(spec, journal);
            return apiKeyCredential(key.ref(), key.value());
        }
        if (!spec.withApiKey()) {
            AppClients.Issued client = appClients.create(spec, journal);
            return clientCredential(client.ref(), client.secret(), client.scopes(), null, null);
        }
        // Hybrid: the client and the key are independent; make them side by side.
        List<Object> made = Parallel.map(clients.executor(), 2, List.of(CredentialKind.CLIENT_CREDENTIALS,
                CredentialKind.API_KEY), kind -> kind == CredentialKind.API_KEY
                ? apiKeys.create(spec, journal) : appClients.create(spec, journal));
        AppClients.Issued client = (AppClients.Issued) made.get(0);
        ApiKeys.Issued key = (ApiKeys.Issued) made.get(1);
        return clientCredential(client.ref(), client.secret(), client.scopes(), key.ref(), key.value());
    }

    @Override
    public IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources) {
        ResourceRef keyRef = find(resources, ApiKeys.TYPE);
        ResourceRef clientRef = find(resources, AppClients.TYPE);
        String keyValue = keyRef == null ? null : apiKeys.value(keyRef.id());
        if (kind == CredentialKind.API_KEY) {
            return apiKeyCredential(keyRef, keyValue);
        }
        UserPoolClientType client = appClients.describe(clientRef.id());
        return clientCredential(clientRef, client.clientSecret(), client.allowedOAuthScopes(), keyRef, keyValue);
    }

    @Override
    public Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal) {
        for (ResourceRef ref : resources) {
            if (!ref.type().equals(ApiKeys.TYPE) && !ref.type().equals(AppClients.TYPE)) {
                throw unknownType(ref);
            }
        }
        // the key first: its changes are checked up front, journaled and restored on failure; the
        // client's one write comes last, so a refused update (a hybrid's missing plan) leaves its
        // scopes as they were
        for (ResourceRef ref : resources) {
            if (ref.type().equals(ApiKeys.TYPE)) {
                apiKeys.converge(ref, desired, journal);
            }
        }
        List<String> scopes = List.of();
        for (ResourceRef ref : resources) {
            if (ref.type().equals(AppClients.TYPE)) {
                scopes = appClients.converge(ref, desired);
            }
        }
        return new Convergence(resources, scopes);
    }


    /**
     * Puts every key back as the update journaled it before changing it: its usage plans, name and
     * customerId ({@link KeyBefore}).
     */
    @Override
    public void restore(List<ResourceRef> journaled) {
        for (ResourceRef ref : journaled) {
            if (ApiKeys.PLANS_BEFORE.equals(ref.type())) {
                apiKeys.restore(ref);
            }
        }
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
        Marks key = keyRef == null ? null : apiKeys.marks(keyRef.id());
        Marks client = clientRef == null ? null : appClients.marks(clientRef.id());
        if (key == null) {
            return Optional.ofNullable(client);
        }
        return Optional.of(client == null ? key : new Marks(key.credentialId(), key.appId(), key.appName(),
                key.developer(), key.usagePlans(), client.scopes()));
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
        return inventory.observe(resource);
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
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private IssuedCredential apiKeyCredential(ResourceRef key, String value) {
        return new IssuedCredential(CredentialKind.API_KEY, key.id(), value, null, null, List.of(), Map.of(),
                List.of(key));
    }

    private IssuedCredential clientCredential(ResourceRef client, String secret, List<String> scopes,
                                              ResourceRef key, String keyValue) {
        Map<String, String> custom = new LinkedHashMap<>();
        appClients.tokenUrl().ifPresent(url -> custom.put("tokenUrl", url));
        custom.put("grantType", "client_credentials");
        custom.put("scopes", String.join(" ", scopes));
        List<ResourceRef> resources = new ArrayList<>();
        resources.add(client);
        if (key != null) {
            custom.put("apiKeyId", key.id());
            custom.put("apiKey", keyValue);
            resources.add(key);
        }
        return new IssuedCredential(CredentialKind.CLIENT_CREDENTIALS, key == null ? null : key.id(), keyValue,
                client.id(), secret, scopes, custom, resources);
    }

    private static ResourceRef find(List<ResourceRef> resources, String type) {
        return resources.stream().filter(r -> r.type().equals(type) && r.hasId()).findFirst().orElse(null);
    }

    private static WebhookException unknownType(ResourceRef ref) {
        return new WebhookException(WebhookException.Kind.INTERNAL,
                "resource type " + ref.type() + " belongs to another provider; was webhook.provider changed?");
    }
}
