package io.devportal.webhook.provider;

/** What {@link CredentialProvider#remove} does to each resource it is given. */
public enum Removal {
    /** Undo of a failed or abandoned create: delete what that operation made. */
    ROLLBACK,
    /** A revoke: as configured (the AWS provider's {@code revoke-mode} may disable a key instead). */
    REVOKE,
    /** What the webhook no longer accounts for (an orphan, a forgotten credential): always deleted. */
    DELETE
}
