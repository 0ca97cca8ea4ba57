package io.devportal.webhook.provider.local;

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

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: issues real, random credentials and keeps them in the local database,
 * secrets encrypted. Nothing outside this service is called.
 */
@ApplicationScoped
@LookupIfProperty(name = "webhook.provider", stringValue = LocalCredentialProvider.NAME, lookupIfMissing = true)
public class LocalCredentialProvider implements CredentialProvider {
    static final String NAME = "local";
    static final String API_KEY = "local:api-key";
    static final String CLIENT = "local:client";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    @Inject
    LocalStore store;

    @Inject
    Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IssuedCredential issue(CredentialSpec spec, ResourceJournal journal) {
        List<ResourceRef> made = new ArrayList<>();
        String clientId = null;
        String clientSecret = null;
        String apiKeyId = null;
        String apiKey = null;
        if (spec.needsClient()) {
            clientId = base32(20);
            clientSecret = base64Url(32);
            made.add(create(CLIENT, clientId, CredentialKind.CLIENT_CREDENTIALS, clientSecret, spec, journal));
        }
        if (spec.needsApiKey()) {
            apiKeyId = "lk" + base32(10);
            apiKey = base64Url(32);
            made.add(create(API_KEY, apiKeyId, CredentialKind.API_KEY, apiKey, spec, journal));
        }
        return result(spec.kind(), apiKeyId, apiKey, clientId, clientSecret, spec.configuredScopes(), made);
    }

    @Override
    public IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources) {
        String apiKeyId = null;
        String apiKey = null;
        String clientId = null;
        String clientSecret = null;
        List<String> scopes = List.of();
        for (ResourceRef ref : resources) {
            LocalStore.Row row = store.find(ref.id())
                    .filter(LocalStore.Row::enabled)
                    .orElseThrow(() -> new WebhookException(WebhookException.Kind.NOT_FOUND,
                            "the credential " + ref.id() + " no longer exists"));
            if (CLIENT.equals(ref.type())) {
                clientId = ref.id();
                clientSecret = store.secret(row);
                scopes = row.scopes();
            } else {
                apiKeyId = ref.id();
                apiKey = store.secret(row);
            }
        }
        return result(kind, apiKeyId, apiKey, clientId, clientSecret, scopes, resources);
    }

    @Override
    public Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal) {
        for (ResourceRef ref : resources) {
            if (!store.update(ref.id(), name(desired), desired.apis(), desired.configuredScopes(), clock.instant())) {
                throw new WebhookException(WebhookException.Kind.NOT_FOUND,
                        "the credential " + ref.id() + " does not exist or was revoked");
            }
        }
        return new Convergence(resources, desired.configuredScopes());
    }

    /** Every mode disables: the local store keeps a revoked row so that its id is never reused. */
    @Override
    public void remove(List<ResourceRef> resources, Removal mode) {
        for (ResourceRef ref : resources) {
            if (ref.hasId()) {
                store.disable(ref.id(), clock.instant());
            }
        }
    }

    /** Everything in the local store was issued by this webhook. */
    @Override
    public List<ResourceRef> findManaged(CredentialKind kind, String externalId) {
        String type = kind == CredentialKind.API_KEY ? API_KEY : CLIENT;
        return store.find(externalId).filter(LocalStore.Row::enabled).filter(row -> row.kind() == kind)
                .map(row -> List.of(new ResourceRef(type, externalId, null, null))).orElse(List.of());
    }

    @Override
    public ProviderHealth health() {
        return store.reachable() ? ProviderHealth.UP : new ProviderHealth(Map.of("database", "unreachable"));
    }

    /** Every credential of the local store, enabled or not (a local "key" is live while enabled). */
    @Override
    public List<ObservedResource> inventory() {
        return store.list().stream().map(r -> new ObservedResource(typeOf(r.kind()), r.id(), r.name(), r.operationId(),
                r.enabled(), List.of(), List.of())).toList();
    }

    @Override
    public Optional<ObservedResource> observe(ResourceRef resource) {
        if (!resource.hasId()) {
            return Optional.empty();
        }
        return store.find(resource.id()).map(row -> new ObservedResource(typeOf(row.kind()), row.id(), resource.name(),
                resource.operationId(), row.enabled(),
                row.kind() == CredentialKind.API_KEY ? row.usagePlans().stream().sorted().toList() : List.of(),
                row.kind() == CredentialKind.API_KEY ? List.of() : row.scopes()));
    }

    private static String typeOf(CredentialKind kind) {
        return kind == CredentialKind.API_KEY ? API_KEY : CLIENT;
    }

    private ResourceRef create(String type, String id, CredentialKind kind, String secret, CredentialSpec spec,
                               ResourceJournal journal) {
        ResourceRef ref = new ResourceRef(type, id, name(spec), spec.operationId());
        journal.intend(ref);
        store.insert(id, kind, name(spec), spec.operationId(), secret, spec.apis(), spec.configuredScopes(),
                clock.instant());
        journal.created(ref);
        return ref;
    }

    private static IssuedCredential result(CredentialKind kind, String apiKeyId, String apiKey, String clientId,
                                           String clientSecret, List<String> scopes, List<ResourceRef> made) {
        Map<String, String> custom = new LinkedHashMap<>();
        if (kind == CredentialKind.CLIENT_CREDENTIALS) {
            custom.put("grantType", "client_credentials");
            if (!scopes.isEmpty()) {
                custom.put("scopes", String.join(" ", scopes));
            }
            if (apiKeyId != null) {
                custom.put("apiKeyId", apiKeyId);
                custom.put("apiKey", apiKey);
            }
        }
        return new IssuedCredential(kind, apiKeyId, apiKey, clientId, clientSecret, scopes, custom, made);
    }

    private static String name(CredentialSpec spec) {
        return spec.appName() + " (" + spec.developer() + ")";
    }

    private static String base64Url(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** {@code bytes} random bytes as lowercase base32 (5 bits a character). */
    static String base32(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : raw) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
