package io.devportal.webhook.api.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The address a request comes from, for the lockout, the failure budget and the source allow-list.
 * It is the connection's address (in Lambda: the function URL event's {@code requestContext.http.sourceIp},
 * which the Lambda HTTP extension makes the connection's address), unless that connection comes from a
 * trusted proxy ({@code webhook.trusted-proxies}). Then it is the right-most {@code X-Forwarded-For}
 * entry that is not itself a trusted proxy: the entry the trusted proxy appended (or the last trusted
 * hop before it did). Entries to its left were written by the client and are never believed. Quarkus's
 * own forwarded-header support takes the left-most entry, so it must stay off.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * @param connection the connection's address (may be null: "unknown")
     * @param forwardedFor every {@code X-Forwarded-For} header value, in the order received
     * @param trusted the trusted proxies
     */
    public static String resolve(String connection, List<String> forwardedFor, Networks trusted) {
        String peer = connection == null ? "unknown" : connection;
        if (trusted.isEmpty() || !trusted.contains(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            if (header != null) {
                for (String hop : header.split(",", -1)) {
                    hops.add(hop.strip());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = Networks.canonical(stripPort(hops.get(i)));
            if (hop == null) {
                // not an address: a trusted proxy does not write that, so the client did; stop at what we know
                return client;
            }
            client = hop;
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} as some proxies write them: the address. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
