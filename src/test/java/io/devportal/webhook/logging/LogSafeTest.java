package io.devportal.webhook.logging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSafeTest {

    @Test
    void everyC0AndC1ControlAndDelIsEscaped() {
        for (char c = 0; c < 0xa0; c++) {
            if (c >= 0x20 && c < 0x7f) {
                continue;
            }
            String escaped = LogSafe.escape("a" + c + "b");
            assertEquals(String.format("a\\u%04xb", (int) c), escaped);
        }
    }

    @Test
    void lineAndParagraphSeparatorsBidiAndInvisibleFormatCharactersAreEscaped() {
        String all = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
                + "\u200b\u200d\u2060\ufeff\u00ad";
        String escaped = LogSafe.escape(all);
        assertTrue(escaped.chars().allMatch(c -> c >= 0x20 && c < 0x7f), escaped);
        assertEquals(all.length() * 6, escaped.length());
        assertTrue(escaped.startsWith("\\u2028\\u2029\\u202a"), escaped);
        // a format character outside the BMP (TAG LATIN SMALL LETTER A) and lone surrogates
        assertEquals("x\\udb40\\udc61y", LogSafe.escape("x\udb40\udc61y"));
        assertEquals("\\ud83d!\\ude00", LogSafe.escape("\ud83d!\ude00"));
    }

    @Test
    void ordinaryTextOfAnyScriptIsKeptAsItIs() {
        String text = "Zoë Ångström 日本語 Ελληνικά עברית 😀 app \"quoted\" back\\slash";
        assertEquals(text, LogSafe.escape(text));
        assertTrue(LogSafe.isSafe(text));
    }

    @Test
    void escapingTwiceChangesNothing() {
        String once = LogSafe.escape("a\u2028b\u0085c\u202e");
        assertEquals(once, LogSafe.escape(once));
        assertFalse(LogSafe.isSafe("a\u2028"));
    }

    @Test
    void aQuotedValueCannotEndEarlyOrFakeAnEscape() {
        assertEquals("\"a\\\" x=\\\"y\\\\u2028\\u2028\"", LogSafe.quoted("a\" x=\"y\\u2028\u2028"));
        assertEquals("-", LogSafe.quoted(null));
    }
}
