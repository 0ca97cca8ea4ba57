package io.devportal.webhook.logging;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Applies {@link LogSafe#escape} to the whole message of every record the console writes, in the
 * text and the JSON format alike, whatever logger wrote it: no message can start a log line or
 * hide text. Installed with {@code quarkus.log.console.filter=log-safe}. It never drops a record.
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
        return true;
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
