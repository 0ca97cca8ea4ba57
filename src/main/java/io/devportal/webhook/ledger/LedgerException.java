package io.devportal.webhook.ledger;

/** The database failed; the message names the ledger step, never a value. */
public class LedgerException extends RuntimeException {
    public LedgerException(String step, Throwable cause) {
        super("ledger: " + step + " failed", cause);
    }
}
