package io.devportal.webhook.logging;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console filter, with the console's pattern: messages and exception messages cannot break a line. */
class LogSafeFilterTest {
    private static final PatternFormatter CONSOLE = new PatternFormatter("%p %s%e%n");

    private static String logged(String format, Object parameter, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, format, ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {parameter});
        record.setThrown(thrown);
        assertTrue(new LogSafeFilter().isLoggable(record), "never drops a record");
        return CONSOLE.format(record);
    }

    @Test
    void aFormattedParameterCannotStartALine() {
        String out = logged("revoke of %s", "k1\u2028INFO forged\u0085x", null);
        assertEquals("INFO revoke of k1\\u2028INFO forged\\u0085x\n", out);
    }

    @Test
    void anExceptionMessageInTheChainCannotStartALine() {
        Exception cause = new IllegalArgumentException("Invalid id k1\u2029INFO forged");
        Exception top = new IllegalStateException("failed", cause);
        String out = logged("failed %s", "x", top);
        assertFalse(out.contains("\u2029"), out);
        assertTrue(out.contains("java.lang.IllegalStateException: failed"), out);
        assertTrue(out.contains("Caused by: java.lang.IllegalArgumentException: Invalid id k1\\u2029INFO forged"), out);
        assertTrue(out.contains("\tat io.devportal.webhook.logging.LogSafeFilterTest."), "frames are kept: " + out);
    }

    @Test
    void aSafeRecordIsLeftAsItIs() {
        Exception e = new IllegalStateException("plain");
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "hello %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"Zoë"});
        record.setThrown(e);
        new LogSafeFilter().isLoggable(record);
        assertEquals("hello Zoë", record.getFormattedMessage());
        assertTrue(record.getThrown() == e);
    }
}
