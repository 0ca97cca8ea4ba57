package io.devportal.webhook.api;

/** The contract's endpoints by short name, for metrics: {@code create}, {@code update}, {@code revoke}, {@code health}. */
final class Endpoints {
    private Endpoints() {
    }

    /** The endpoint a path names, or {@code other} for any path outside the contract. */
    static String of(String path) {
        if (path == null) {
            return "other";
        }
        return switch (path) {
            case "/v1/createCredentials" -> "create";
            case "/v1/updateCredentials" -> "update";
            case "/v1/revokeCredentials" -> "revoke";
            case "/v1/health" -> "health";
            default -> "other";
        };
    }

    static boolean isOperation(String endpoint) {
        return endpoint.equals("create") || endpoint.equals("update") || endpoint.equals("revoke");
    }
}
