package io.devportal.webhook.provisioning;

import java.util.List;
import java.util.Locale;

/** A validated create request. {@code appSlug} may be null. */
public record CreateCommand(String appSlug, String appName, String developer, List<RequestedApi> apis) {
    public CreateCommand {
        apis = List.copyOf(apis);
    }

    /** The app's identity: the portal's slug when sent, otherwise its name and developer. */
    public String appId() {
        return appId(appSlug, appName, developer);
    }

    static String appId(String appSlug, String appName, String developer) {
        if (appSlug != null) {
            return "slug:" + appSlug;
        }
        return "app:" + appName + "\n" + developer.toLowerCase(Locale.ROOT);
    }
}
