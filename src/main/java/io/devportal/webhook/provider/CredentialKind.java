package io.devportal.webhook.provider;

/** The contract's credential types. */
public enum CredentialKind {
    API_KEY,
    CLIENT_CREDENTIALS
}
