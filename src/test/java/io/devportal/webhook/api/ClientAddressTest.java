package io.devportal.webhook.api;

import io.devportal.webhook.api.auth.ClientAddress;
import io.devportal.webhook.api.auth.Networks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Items 5 and 6 of issue 20: which address a request comes from, and the CIDR lists. */
class ClientAddressTest {
    private static final Networks PROXIES = Networks.parse("webhook.trusted-proxies",
            Optional.of(List.of("10.0.0.0/8", "2001:db8::/32")));

    @Test
    void withoutATrustedProxyTheConnectionIsTheClientAndForwardedForIsIgnored() {
        assertEquals("192.0.2.7", ClientAddress.resolve("192.0.2.7", List.of("203.0.113.1"), PROXIES));
        assertEquals("192.0.2.7", ClientAddress.resolve("192.0.2.7", List.of("203.0.113.1"), Networks.none()));
        assertEquals("10.1.1.1", ClientAddress.resolve("10.1.1.1", List.of("203.0.113.1"), Networks.none()));
    }

    @Test
    void fromATrustedProxyTheClientIsTheRightMostHopThatIsNotAProxy() {
        assertEquals("198.51.100.9", ClientAddress.resolve("10.1.1.1", List.of("1.2.3.4, 198.51.100.9"), PROXIES));
        assertEquals("198.51.100.9", ClientAddress.resolve("10.1.1.1",
                List.of("1.2.3.4, 198.51.100.9, 10.2.2.2"), PROXIES), "a chain of trusted proxies is skipped");
        assertEquals("198.51.100.9", ClientAddress.resolve("10.1.1.1", List.of("1.2.3.4", "198.51.100.9"), PROXIES),
                "several headers are one list");
        assertEquals("198.51.100.9", ClientAddress.resolve("10.1.1.1", List.of("198.51.100.9:4711"), PROXIES));
        assertEquals("2001:db9::1", ClientAddress.resolve("2001:db8::5", List.of("[2001:db9::1]:443"), PROXIES));
        assertEquals("10.1.1.1", ClientAddress.resolve("10.1.1.1", List.of("not-an-address"), PROXIES),
                "what no proxy writes is not believed");
        assertEquals("10.1.1.1", ClientAddress.resolve("10.1.1.1", List.of(), PROXIES));
    }

    @Test
    void networksMatchIpv4AndIpv6AndRefuseWhatIsNotACidrBlock() {
        Networks n = Networks.parse("webhook.allowed-sources", Optional.of(List.of("192.0.2.0/24", " 2001:db8::/32",
                "198.51.100.7")));
        assertTrue(n.contains("192.0.2.255"));
        assertTrue(n.contains("::ffff:192.0.2.1"), "IPv4-mapped IPv6 is the IPv4 address");
        assertTrue(n.contains("2001:db8:ffff::1"));
        assertTrue(n.contains("198.51.100.7"));
        assertFalse(n.contains("198.51.100.8"));
        assertFalse(n.contains("192.0.3.0"));
        assertFalse(n.contains("example.com"), "never a DNS lookup: not an address, in no network");
        assertFalse(n.contains("unknown"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Networks.parse(
                "webhook.allowed-sources", Optional.of(List.of("192.0.2.1/24"))));
        assertEquals("webhook.allowed-sources: '192.0.2.1/24' has bits set after the prefix length (did you mean "
                + "192.0.2.0/24?)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Networks.parse("p", Optional.of(List.of("10.0.0.0/33"))));
        assertThrows(IllegalStateException.class, () -> Networks.parse("p", Optional.of(List.of("portal.example"))));
    }

    @Test
    void textThatIsNoAddressLiteralIsNeverLookedUpAndNeverAnAddress() {
        // InetAddress would resolve ".:" (it does not begin like a literal) through DNS
        assertEquals(Optional.empty(), Networks.literal(".:"));
        assertEquals(Optional.empty(), Networks.literal("."));
        assertEquals("2001:db8::1", Networks.canonical("2001:db8:0::1"));
        assertEquals("::1", Networks.canonical("::1"));
    }
}
