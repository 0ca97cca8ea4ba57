package io.devportal.webhook.logging;

/**
 * The one escaping rule for text that reaches a log line: every character that could end a line,
 * start a new one, or hide or reorder text on a terminal is written as {@code \\uXXXX}. That is
 * every C0 and C1 control (line feed, carriage return, NEL U+0085, CSI U+009B...), DEL, the line
 * and paragraph separators U+2028/U+2029, every format character (the bidi controls U+202A-U+202E
 * and U+2066-U+2069, zero-width characters, U+FEFF...) and lone surrogates. Everything else,
 * other non-ASCII letters included, is kept as it is. The output never holds such a character,
 * so escaping twice changes nothing.
 */
public final class LogSafe {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogSafe() {
    }

    /** The text with every dangerous character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(text, i)) {
                appendEscaped(out, c);
            } else if (Character.isHighSurrogate(c)) {
                // a valid pair (unsafe() checked it): keep both halves, unless it is a format character
                char low = text.charAt(i + 1);
                if (Character.getType(Character.toCodePoint(c, low)) == Character.FORMAT) {
                    appendEscaped(out, c);
                    appendEscaped(out, low);
                } else {
                    out.append(c).append(low);
                }
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * For a value inside double quotes on a log line ({@code app="..."}): also escapes the
     * backslash and the quote, so the value cannot end early or fake an escape.
     */
    public static String quoted(String text) {
        if (text == null) {
            return "-";
        }
        return "\"" + escape(text.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }

    /** Whether the text holds anything {@link #escape} would change. */
    public static boolean isSafe(String text) {
        return text == null || firstUnsafe(text) < 0;
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(text, i)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (Character.getType(Character.toCodePoint(c, text.charAt(i + 1))) == Character.FORMAT) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** A char that is dangerous by itself (a high surrogate with its low half is judged by the caller). */
    private static boolean unsafe(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return true; // a low half whose high half was not just before it
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static void appendEscaped(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
