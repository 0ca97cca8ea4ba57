package io.devportal.webhook.config;

import io.devportal.webhook.support.BuiltService;
import io.devportal.webhook.support.CliJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Safe defaults of the built service beyond a laptop: the AWS provider refuses to start without a
 * portal account, a Region or credentials; the unauthenticated management interface listens on
 * loopback only unless opened on purpose; TLS without a load balancer (quarkus.http.ssl.*, plain
 * HTTP refused); the start-up line names the version; Quarkus's address forwarding (which would let a
 * caller choose its own address) refuses to start.
 */
class SafeDefaultsIT {
    private static final String AWS_ENV_MISSING = "webhook.provider=aws cannot start: no Region configured: set "
            + "AWS_REGION (or a region in the profile AWS_PROFILE names); no AWS credentials found: set "
            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance, task or Lambda role";

    @TempDir
    Path work;

    private BuiltService awsService() {
        return new BuiltService(work.resolve("data"), work).env("WEBHOOK_PROVIDER", "aws")
                .env("AWS_CONFIG_FILE", work.resolve("none").toString())
                .env("AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString())
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("AWS_REGION", null).env("AWS_DEFAULT_REGION", null).env("AWS_PROFILE", null)
                .env("AWS_ACCESS_KEY_ID", null).env("AWS_SECRET_ACCESS_KEY", null).env("AWS_SESSION_TOKEN", null);
    }

    @Test
    void theAwsProviderWithoutARegionOrCredentialsRefusesToStartNamingThem() throws Exception {
        try (BuiltService service = awsService()) {
            assertEquals(1, service.startExpectingExit(), service.log());
            assertTrue(service.log().contains(AWS_ENV_MISSING), service.log());
            assertFalse(service.log().contains("started in"), service.log());
        }
    }

    @Test
    void aLeaseThatDoesNotOutliveTheDeadlineUndoTimeAndSkewRefusesToStart() throws Exception {
        try (BuiltService service = new BuiltService(work.resolve("data"), work).env("WEBHOOK_LEASE_DURATION", "PT30S")) {
            assertEquals(1, service.startExpectingExit(), service.log());
            assertTrue(service.log().contains("webhook.lease.duration (PT30S) must be longer than "
                    + "webhook.request.deadline (PT15S) + webhook.request.undo-time (PT10S) + 2 x "
                    + "webhook.aws.attempt-timeout (PT5S) + webhook.lease.clock-skew (PT5S) = PT40S"), service.log());
            assertFalse(service.log().contains("started in"), service.log());
        }
    }

    @Test
    void quarkusAddressForwardingRefusesToStartNamingTheTrustedProxiesSetting() throws Exception {
        // with it, the connection's address would be the left-most X-Forwarded-For hop, which the caller writes
        try (BuiltService service = new BuiltService(work.resolve("data"), work)
                .env("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true")) {
            assertEquals(1, service.startExpectingExit(), service.log());
            assertTrue(service.log().contains("quarkus.http.proxy.proxy-address-forwarding=true lets a caller choose "
                    + "its own address (the left-most X-Forwarded-For hop): turn it off and set "
                    + "webhook.trusted-proxies to the load balancer's networks (docs/http-edge.md)"), service.log());
            assertFalse(service.log().contains("started in"), service.log());
        }
    }

    @Test
    void theAwsProviderWithoutAPortalAccountRefusesToStartNamingTheVariables() throws Exception {
        try (BuiltService service = awsService().env("AWS_REGION", "us-east-1")
                .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE").env("AWS_SECRET_ACCESS_KEY", "example")
                .env("WEBHOOK_USERNAME", null).env("WEBHOOK_PASSWORD", null)) {
            assertEquals(1, service.startExpectingExit(), service.log());
            assertTrue(service.log().contains("no webhook account is configured: set WEBHOOK_USERNAME and "
                    + "WEBHOOK_PASSWORD (or WEBHOOK_PASSWORD_HASH); a generated password is only for the local provider "
                    + "outside Lambda (here: webhook.provider=aws)"), service.log());
            assertFalse(Files.exists(work.resolve("data").resolve("generated-portal-password")));
        }
    }

    @Test
    void theManagementInterfaceListensOnLoopbackOnlyUnlessOpenedAndTheStartUpLineNamesTheVersion() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        try (BuiltService service = new BuiltService(work.resolve("data"), work).start()) {
            awaitStarted(service);
            assertTrue(service.log().contains("devportal-webhook " + CliJar.pomVersion() + " on JVM"), service.log());
            assertTrue(reachable(outside, service.port()), "the portal's port answers on " + outside);
            assertTrue(reachable(InetAddress.getLoopbackAddress(), service.managementPort()));
            assertFalse(reachable(outside, service.managementPort()), "metrics and health are not served on " + outside);
        }
        try (BuiltService opened = new BuiltService(work.resolve("data"), work)
                .env("QUARKUS_MANAGEMENT_HOST", "0.0.0.0").start()) {
            awaitStarted(opened);
            assertTrue(reachable(outside, opened.managementPort()), "QUARKUS_MANAGEMENT_HOST=0.0.0.0 opens it");
        }
    }

    @Test
    void tlsWithASelfSignedCertificateServesHttpsAndRefusesPlainHttp() throws Exception {
        Path keystore = work.resolve("webhook.p12");
        String storePassword = "keystore-password-1";
        keytool("-genkeypair", "-alias", "webhook", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", storePassword);
        int httpsPort = BuiltService.freePort();
        try (BuiltService service = new BuiltService(work.resolve("data"), work)
                .env("QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort))
                .env("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_FILE", keystore.toString())
                .env("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", storePassword)
                .env("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled").start()) {
            awaitStarted(service);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore, storePassword))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + httpsPort + "/v1/health"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (BuiltService.USER + ":" + BuiltService.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, health.statusCode(), health.body());
            assertEquals("TLSv1.3", health.sslSession().orElseThrow().getProtocol());
            assertFalse(reachable(InetAddress.getLoopbackAddress(), service.port()), "no plain HTTP port is open");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpsPort + "/v1/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP on the TLS port gets no answer");
            assertFalse(service.log().contains(storePassword), "the keystore password is not logged");
        }
    }

    /** Readiness is served on the management interface, which may listen before the portal's port does. */
    private static void awaitStarted(BuiltService service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!service.log().contains(" started in ") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(service.log().contains(" started in "), service.log());
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 3000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** An address of this machine that is not loopback (the container's, the host's). */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to test the binding from");
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
    }

    /** Trusts the one certificate of the keystore, as a client given the self-signed certificate would. */
    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("webhook", keys.getCertificate("webhook"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
