package io.devportal.webhook.provisioning;

import java.util.List;

/** One entry of the portal's {@code apis}: an API id and the usage plan ids under it. */
public record RequestedApi(String id, List<String> usagePlans) {
    public RequestedApi {
        usagePlans = List.copyOf(usagePlans);
    }
}
