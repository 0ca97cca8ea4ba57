package io.devportal.webhook.ledger;

/**
 * The one case folding the service does: ASCII A-Z to a-z, every other character (U+212A KELVIN
 * SIGN, U+00C9...) as it is. An app's identity folds its developer's e-mail this way, and so do
 * the ledgers' developer filters.
 */
public final class AsciiCase {
    private AsciiCase() {
    }

    public static String lower(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
