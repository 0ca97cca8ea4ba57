package io.devportal.webhook.provider;

import java.util.List;

/**
 * One API of an app: its id, the usage plans a key must join, and the OAuth scopes a client must
 * be granted (empty when none were configured; a provider may then derive them).
 */
public record ApiAccess(String apiId, List<String> usagePlans, List<String> scopes) {
    public ApiAccess {
        usagePlans = List.copyOf(usagePlans);
        scopes = List.copyOf(scopes);
    }
}
