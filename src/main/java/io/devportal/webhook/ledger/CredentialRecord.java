package io.devportal.webhook.ledger;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;

import java.time.Instant;
import java.util.List;

/** One row of the ledger: a credential and everything needed to change or revoke it later. */
public record CredentialRecord(
        String id,
        CredentialKind kind,
        boolean hybrid,
        String provider,
        String appId,
        String appName,
        String developer,
        String apiKeyId,
        String clientId,
        List<ApiAccess> apis,
        List<String> scopes,
        List<ResourceRef> resources,
        Status status,
        Instant createdAt,
        Instant updatedAt,
        Instant revokedAt) {

    public enum Status {
        /** A create is under way. */
        PENDING,
        ACTIVE,
        REVOKED,
        /** A create failed or was abandoned, and what it made was torn down. */
        ROLLED_BACK
    }

    public CredentialRecord {
        apis = List.copyOf(apis);
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
    }
}
