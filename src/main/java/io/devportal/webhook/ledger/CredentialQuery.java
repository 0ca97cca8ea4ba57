package io.devportal.webhook.ledger;

import io.devportal.webhook.model.CredentialKind;

/**
 * Which credentials to list; a null field does not filter. {@code app} matches the app id or the
 * app name exactly, {@code developer} the e-mail ignoring ASCII case. Oldest first, at most {@code limit}
 * ({@code limit <= 0}: all).
 */
public record CredentialQuery(String app, String developer, CredentialRecord.Status status, CredentialKind kind,
                              int limit) {

    public static CredentialQuery all(int limit) {
        return new CredentialQuery(null, null, null, null, limit);
    }
}
