package io.devportal.webhook.provisioning;

import io.devportal.webhook.model.CredentialKind;

/** A validated revoke request. */
public record RevokeCommand(CredentialKind kind, String externalId) {
}
