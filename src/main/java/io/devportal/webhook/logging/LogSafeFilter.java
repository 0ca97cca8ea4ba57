package io.devportal.webhook.logging;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Applies {@link LogSafe#escape} to the whole message of every record the console writes, in the
 * text and the JSON format alike, whatever logger wrote it: no message can start a log line or
 * hide text. The messages in a record's exception chain get the same treatment (the record then
 * carries a copy of the chain that prints the same class names and frames). Installed with
 * {@code quarkus.log.console.filter=log-safe}. It never drops a record.
 */
@LoggingFilter(name = "log-safe")
public final class LogSafeFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatted(record);
        if (message != null && !LogSafe.isSafe(message)) {
            String escaped = LogSafe.escape(message);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(escaped);
            }
            record.setParameters(null);
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && !chainIsSafe(thrown, new IdentityHashMap<>())) {
            record.setThrown(escapedCopy(thrown, new IdentityHashMap<>()));
        }
        return true;
    }

    private static boolean chainIsSafe(Throwable t, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return true;
        }
        if (!LogSafe.isSafe(t.getMessage())) {
            return false;
        }
        for (Throwable s : t.getSuppressed()) {
            if (!chainIsSafe(s, seen)) {
                return false;
            }
        }
        return chainIsSafe(t.getCause(), seen);
    }

    /** The same chain, class names, messages (escaped) and stack frames, for the stack trace of the record. */
    private static Throwable escapedCopy(Throwable t, Map<Throwable, Throwable> copies) {
        if (t == null) {
            return null;
        }
        Throwable done = copies.get(t);
        if (done != null) {
            return done;
        }
        Escaped copy = new Escaped(t.getClass().getName(), LogSafe.escape(t.getMessage()));
        copies.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        Throwable cause = escapedCopy(t.getCause(), copies);
        if (cause != null) {
            copy.initCause(cause);
        }
        for (Throwable s : t.getSuppressed()) {
            copy.addSuppressed(escapedCopy(s, copies));
        }
        return copy;
    }

    /** Prints as the original ({@code class: message}) with the message escaped. */
    static final class Escaped extends Throwable {
        private final String type;

        Escaped(String type, String message) {
            super(message);
            this.type = type;
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? type : type + ": " + message;
        }
    }

    private static String formatted(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters == null || parameters.length == 0) {
            return message;
        }
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }
}
