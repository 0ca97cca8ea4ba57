package io.devportal.webhook.provisioning;

import io.devportal.webhook.model.CredentialKind;

import java.util.List;

/**
 * A validated update request: the credential, and the app's desired state. A null
 * {@code appName}, {@code developer} or {@code apis} keeps what the ledger holds.
 */
public record UpdateCommand(CredentialKind kind, String externalId, String appName, String developer,
                            List<RequestedApi> apis) {
}
