package io.devportal.webhook.api;

import io.devportal.webhook.api.auth.SaltedSha256;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.devportal.webhook.support.OpenApiContract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge as deployed: the documented default account (a generated password with its fast sha256$
 * hash), a bcrypt account for the same user (a password change in progress), an account whose UTF-8
 * password holds colons, the lockout on at its defaults, and the test client (127.0.0.1) a trusted
 * proxy, so that each test chooses the client's address with X-Forwarded-For.
 */
public class EdgeProfile implements QuarkusTestProfile {
    public static final String USER = "portal";
    /** As hash-password --generate makes them: 256 random bits, base64url. */
    public static final String PASSWORD = "Q2hhbmdlLW1lLXRoaXMtaXMtYS10ZXN0LW9ubHkta2V5";
    public static final String HASH = SaltedSha256.hash(PASSWORD);
    /** bcrypt of "rotated-password-2", cost 10. */
    public static final String BCRYPT_PASSWORD = "rotated-password-2";
    public static final String BCRYPT_HASH = "$2b$10$cwqsxr3VOCG.xAqAZ0DR2OKoiNJ2d9xhkf5p/0Bywaj1FD8y9rf22";
    public static final String COLON_USER = "zoë";
    public static final String COLON_PASSWORD = "pä:ss:wö:rd";

    private static final AtomicInteger NEXT = new AtomicInteger();

    @Override
    public Map<String, String> getConfigOverrides() {
        return base();
    }

    private Map<String, String> base() {
        return Map.ofEntries(
                Map.entry("webhook.username", USER),
                Map.entry("webhook.password", ""),
                Map.entry("webhook.password-hash", HASH),
                Map.entry("webhook.accounts.next.username", USER),
                Map.entry("webhook.accounts.next.password-hash", BCRYPT_HASH),
                Map.entry("webhook.accounts.colon.username", COLON_USER),
                Map.entry("webhook.accounts.colon.password", COLON_PASSWORD),
                Map.entry("webhook.auth.max-failures", "10"),
                Map.entry("webhook.trusted-proxies", "127.0.0.1/32,::1/128"),
                Map.entry("quarkus.datasource.jdbc.url", "jdbc:h2:mem:webhook-edge;DB_CLOSE_DELAY=-1"));
    }

    /** These overrides on top of the edge's, with an in-memory database of its own (one per profile). */
    protected final Map<String, String> plus(String database, String... keyValues) {
        Map<String, String> config = new java.util.HashMap<>(base());
        config.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    /** A client address no other request of the run used: a fresh lockout counter. */
    public static String freshAddress() {
        int n = NEXT.incrementAndGet();
        return "198.18." + (n / 250) % 250 + "." + (1 + n % 250);
    }

    /** A request from this client address (the trusted proxy's right-most X-Forwarded-For entry). */
    public static RequestSpecification from(String address) {
        return RestAssured.given().filter(OpenApiContract.FILTER).header("X-Forwarded-For", "203.0.113.250, " + address);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
