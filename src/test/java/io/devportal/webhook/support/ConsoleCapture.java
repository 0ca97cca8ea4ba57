package io.devportal.webhook.support;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The console output exactly as configured (quarkus.log.console.*: its filter and its formatter,
 * text or JSON), captured in memory: a handler on the root logger that applies the console
 * handler's own filter and formatter to every record.
 */
public final class ConsoleCapture extends Handler {
    private final Filter consoleFilter;
    private final Formatter consoleFormatter;
    private final StringBuilder out = new StringBuilder();

    private ConsoleCapture(ConsoleHandler console) {
        this.consoleFilter = console.getFilter();
        this.consoleFormatter = console.getFormatter();
    }

    public static ConsoleCapture install() {
        ConsoleHandler console = find(Logger.getLogger("").getHandlers());
        if (console == null) {
            throw new IllegalStateException("no console handler configured");
        }
        ConsoleCapture capture = new ConsoleCapture(console);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    private static ConsoleHandler find(Handler[] handlers) {
        for (Handler h : handlers) {
            if (h instanceof ConsoleHandler console) {
                return console;
            }
            if (h instanceof ExtHandler ext) {
                ConsoleHandler inner = find(ext.getHandlers());
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    public Filter consoleFilter() {
        return consoleFilter;
    }

    public Formatter consoleFormatter() {
        return consoleFormatter;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (consoleFilter == null || consoleFilter.isLoggable(record)) {
            out.append(consoleFormatter.format(record));
        }
    }

    public synchronized String text() {
        return out.toString();
    }

    /** The output split wherever a reader might see a line break. */
    public synchronized List<String> linesAsAnyReaderSplitsThem() {
        return new ArrayList<>(List.of(out.toString().split("\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]")));
    }

    public void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
