package io.devportal.webhook.ledger;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.support.Api;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever the request validator accepts is stored: the largest bodies and the longest
 * characters fit the ledger's and the local provider's columns, on every database. Run with
 * the usage-plan quota raised (as for an account whose quota was raised), so that the
 * validator's own limits (100 APIs, 50 plans each, 64 KiB) are what is reached.
 */
abstract class StorageLimitsContract {
    static final String EMOJI = "\\uD83D\\uDE00";
    static final String EMOJI_CHAR = "\uD83D\uDE00";

    @Inject
    Ledger ledger;

    /** The account's quota raised well beyond what a 64 KiB body can name. */
    public static class RaisedQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("webhook.max-usage-plans-per-key", "100000");
        }
    }

    private static Api.Raw post(String path, String asciiJson) {
        byte[] body = asciiJson.getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, body.length <= 64 * 1024, "the body must be one the validator accepts: " + body.length);
        return Api.rawPost(path, body, "Content-Type", "application/json");
    }

    private static String keyId(Api.Raw created) {
        assertEquals(200, created.status(), created.body());
        return created.body().replaceAll(".*\"apiKeyId\":\"([^\"]+)\".*", "$1");
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Create, retry (same credential), update to the same APIs, and revoke: every write path of a credential. */
    private CredentialRecord lifecycle(String createBody, String apisJson) {
        String keyId = keyId(post("/v1/createCredentials", createBody));
        assertEquals(keyId, keyId(post("/v1/createCredentials", createBody)), "a retry issued another credential");
        Api.Raw updated = post("/v1/updateCredentials", "{\"apiKeyId\":\"" + keyId + "\",\"apis\":" + apisJson + "}");
        assertEquals(204, updated.status(), updated.body());
        CredentialRecord stored = ledger.findByExternalId(CredentialKind.API_KEY, keyId).orElseThrow();
        Api.Raw revoked = post("/v1/revokeCredentials", "{\"apiKeyId\":\"" + keyId + "\"}");
        assertEquals(204, revoked.status(), revoked.body());
        return stored;
    }

    @Test
    void aHundredApisWithThirtyDistinctPlansEachAreStored() {
        String prefix = unique();
        String apis = IntStream.range(0, 100).mapToObj(a -> "{\"id\":\"api-" + a + "\",\"usagePlans\":["
                + IntStream.range(0, 30).mapToObj(p -> "{\"id\":\"" + String.format("plan-%05d", a * 30 + p) + "\"}")
                .collect(Collectors.joining(",")) + "]}").collect(Collectors.joining(",", "[", "]"));
        String body = Api.createBody("Thirty plans " + prefix, "plans@example.com", apis);
        assertEquals(true, body.length() > 56_000, "smaller than the reported body: " + body.length());
        CredentialRecord stored = lifecycle(body, apis);
        assertEquals(3000, ApiAccess.usagePlansOf(stored.apis()).size());
        assertEquals(100, stored.apis().size());
    }

    @Test
    void aHundredApisWithTheSameFortyPlansAreStored() {
        String prefix = unique();
        String plans = IntStream.range(0, 40).mapToObj(p -> "{\"id\":\"q" + p + "\"}")
                .collect(Collectors.joining(","));
        String apis = IntStream.range(0, 100).mapToObj(a -> "{\"id\":\"api-" + a + "\",\"usagePlans\":[" + plans + "]}")
                .collect(Collectors.joining(",", "[", "]"));
        CredentialRecord stored = lifecycle(Api.createBody("Forty plans " + prefix, "plans@example.com", apis), apis);
        assertEquals(40, ApiAccess.usagePlansOf(stored.apis()).size());
        assertEquals(100, stored.apis().size());
        assertEquals(40, stored.apis().get(99).usagePlans().size());
    }

    @Test
    void aTwoHundredFiftyFourCharacterEmojiEmailIsStored() {
        // 64 + "@" + 94 + "." + 94 = 254 code points: 508 UTF-16 units, 1012 bytes of UTF-8
        String developer = EMOJI.repeat(64) + "@" + EMOJI.repeat(94) + "." + EMOJI.repeat(94);
        String expected = EMOJI_CHAR.repeat(64) + "@" + EMOJI_CHAR.repeat(94) + "." + EMOJI_CHAR.repeat(94);
        assertEquals(254, expected.codePointCount(0, expected.length()));
        String apis = "[{\"id\":\"a1\",\"usagePlans\":[{\"id\":\"gold\"}]}]";
        String body = "{\"appName\":\"Emoji mail " + unique() + "\",\"developer\":\"" + developer + "\",\"apis\":" + apis + "}";
        CredentialRecord stored = lifecycle(body, apis);
        assertEquals(expected, stored.developer());
    }

    @Test
    void theLongestIdentityWithoutASlugIsStored() {
        // a 256-character name and a 254-character e-mail, nearly all four-byte characters
        String name = unique() + EMOJI.repeat(248);
        String developer = EMOJI.repeat(64) + "@" + EMOJI.repeat(94) + "." + EMOJI.repeat(94);
        String apis = "[{\"id\":\"a1\"}]";
        CredentialRecord stored = lifecycle("{\"appName\":\"" + name + "\",\"developer\":\"" + developer
                + "\",\"apis\":" + apis + "}", apis);
        assertEquals(256, stored.appName().codePointCount(0, stored.appName().length()));
        assertEquals("app:" + stored.appName() + "\n" + stored.developer(), stored.appId());
    }
}
