package io.devportal.webhook.ledger;

import io.devportal.webhook.ledger.CredentialRecord.Status;

/**
 * The ledger's one transition table, shared by every store: what a completion expects the
 * credential to be, what it makes of it and of the operation's journal row. A journal row moves
 * only from IN_PROGRESS; terminal credential states (REVOKED, ROLLED_BACK) have no way out.
 */
public enum Transition {
    COMPLETE_CREATE(Status.PENDING, Status.ACTIVE, Operation.Status.DONE),
    ROLL_BACK_CREATE(Status.PENDING, Status.ROLLED_BACK, Operation.Status.ROLLED_BACK),
    COMPLETE_UPDATE(Status.ACTIVE, Status.ACTIVE, Operation.Status.DONE),
    COMPLETE_REVOKE(Status.ACTIVE, Status.REVOKED, Operation.Status.DONE),
    /** An update or revoke that failed: the credential keeps its status (any live one). */
    FAIL(null, null, Operation.Status.FAILED);

    /** The longest error message a journal row keeps. */
    public static final int MAX_ERROR = 1000;

    private final Status from;
    private final Status to;
    private final Operation.Status operation;

    Transition(Status from, Status to, Operation.Status operation) {
        this.from = from;
        this.to = to;
        this.operation = operation;
    }

    /** The status the credential must have, or null when the transition keeps it as it is. */
    public Status from() {
        return from;
    }

    /** The status the credential gets, or null when it keeps its own. */
    public Status to() {
        return to;
    }

    /** What the operation's journal row becomes (from IN_PROGRESS only). */
    public Operation.Status operation() {
        return operation;
    }

    /** Whether the credential lets go of its app, so that the app may get a new one. */
    public boolean releasesApp() {
        return to == Status.REVOKED || to == Status.ROLLED_BACK;
    }

    /** The step name in errors and {@link LeaseLost}. */
    public String step() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** An error as the journal keeps it: at most {@link #MAX_ERROR} characters, never a split pair. */
    public static String error(String error) {
        if (error == null || error.length() <= MAX_ERROR) {
            return error;
        }
        int end = Character.isHighSurrogate(error.charAt(MAX_ERROR - 1)) ? MAX_ERROR - 1 : MAX_ERROR;
        return error.substring(0, end);
    }
}
