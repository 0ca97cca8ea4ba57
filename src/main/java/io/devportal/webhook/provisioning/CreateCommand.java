package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.AsciiCase;
import java.util.List;

/** A validated create request. {@code appSlug} may be null. */
public record CreateCommand(String appSlug, String appName, String developer, List<RequestedApi> apis) {
    public CreateCommand {
        apis = List.copyOf(apis);
    }

    /**
     * The app's identity: the portal's slug when sent, otherwise its name and developer. It is
     * exact: the only folding is of ASCII letter case in the e-mail ({@code Kim@Example.com} is
     * {@code kim@example.com}), so two requests share an identity only when they differ in
     * nothing else. Nothing is trimmed, normalised or replaced; the request parser has refused
     * invalid Unicode, so the UTF-8 bytes of the identity (what the ledger and the AWS provider
     * hash) are a one-to-one image of it. The parts cannot run into each other: the prefixes
     * differ and the name cannot contain the newline that separates it from the e-mail.
     */
    public String appId() {
        return appId(appSlug, appName, developer);
    }

    static String appId(String appSlug, String appName, String developer) {
        if (appSlug != null) {
            return "slug:" + appSlug;
        }
        return "app:" + appName + "\n" + asciiLowerCase(developer);
    }

    /** A-Z become a-z; every other character (U+212A KELVIN SIGN, U+00C9...) stays as it is. */
    static String asciiLowerCase(String text) {
        return AsciiCase.lower(text);
    }
}
