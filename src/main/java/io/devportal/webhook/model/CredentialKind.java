package io.devportal.webhook.model;

/** The contract's credential types. */
public enum CredentialKind {
    API_KEY,
    CLIENT_CREDENTIALS
}
