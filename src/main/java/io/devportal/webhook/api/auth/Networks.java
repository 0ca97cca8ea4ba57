package io.devportal.webhook.api.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A set of IPv4 and IPv6 networks in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}; a
 * bare address is one host). Used for {@code webhook.trusted-proxies} and {@code webhook.allowed-sources}.
 * Addresses are parsed as literals only: nothing here ever asks DNS. An IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps.
 */
public final class Networks {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private final List<Network> networks;

    private Networks(List<Network> networks) {
        this.networks = networks;
    }

    /** No network at all: contains nothing. */
    public static Networks none() {
        return new Networks(List.of());
    }

    /**
     * The networks of a setting; throws naming the property and the entry when one is not a CIDR
     * block (a host part that is not zero counts as a mistake: {@code 10.0.0.1/8} is refused).
     */
    public static Networks parse(String property, Optional<List<String>> entries) {
        List<Network> parsed = new ArrayList<>();
        for (String raw : entries.orElse(List.of())) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(host).orElseThrow(() -> new IllegalStateException(
                    property + ": '" + entry + "' is not an IPv4 or IPv6 address or CIDR block"));
            int max = address.length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalStateException(property + ": '" + entry + "' has a prefix length outside 0.." + max);
            }
            Network network = new Network(address, bits);
            byte[] masked = address.clone();
            for (int i = 0; i < masked.length * 8; i++) {
                if (i >= bits) {
                    masked[i / 8] &= (byte) ~(0x80 >>> (i % 8));
                }
            }
            if (!java.util.Arrays.equals(masked, address)) {
                throw new IllegalStateException(property + ": '" + entry + "' has bits set after the prefix length"
                        + " (did you mean " + format(masked) + "/" + bits + "?)");
            }
            parsed.add(network);
        }
        return new Networks(List.copyOf(parsed));
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** Whether the address (a literal; anything else is in no network) is in one of the networks. */
    public boolean contains(String address) {
        if (networks.isEmpty() || address == null) {
            return false;
        }
        Optional<byte[]> bytes = literal(address.strip());
        if (bytes.isEmpty()) {
            return false;
        }
        for (Network n : networks) {
            if (n.contains(bytes.get())) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal (4 or 16), or empty for anything else; never a DNS lookup. */
    public static Optional<byte[]> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            return Optional.empty();
        }
        // InetAddress parses a literal only when it begins with a hex digit or a colon; anything
        // else (".:") would be looked up in DNS, on the caller's thread
        if (Character.digit(host.charAt(0), 16) < 0 && host.charAt(0) != ':') {
            return Optional.empty();
        }
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            // a literal of only digits, dots, hex and colons: InetAddress parses it without a lookup
            return Optional.of(InetAddress.getByName(host).getAddress());
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The canonical text of an IP literal (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
    public static String canonical(String text) {
        return literal(text).map(Networks::format).orElse(null);
    }

    /**
     * The network one client holds: an IPv4 address itself, an IPv6 address's /64 (the smallest
     * network a provider hands one customer), so that rotating addresses within it gains nothing.
     * Text that is not an address stays as it is.
     */
    public static String clientNetwork(String address) {
        return literal(address).map(bytes -> {
            if (bytes.length != 16) {
                return format(bytes);
            }
            byte[] prefix = java.util.Arrays.copyOf(bytes, 16);
            java.util.Arrays.fill(prefix, 8, 16, (byte) 0);
            return format(prefix) + "/64";
        }).orElse(address);
    }

    /** IPv4 dotted; IPv6 as RFC 5952 writes it (lower case, the longest run of zero groups as ::). */
    private static String format(byte[] address) {
        if (address.length == 4) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
