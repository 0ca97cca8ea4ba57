package io.devportal.webhook.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;

/**
 * Warms the request path of the REST layer without a request: the JSON parsing and validation of
 * the three portal calls (and a refusal), the response's JSON, and the Basic-auth check. Used by
 * the Lambda build's SnapStart hook before the snapshot. Nothing it does is recorded: the account
 * check runs with a made-up user name (no account matches, no bcrypt of a real hash runs, no
 * failure is counted: the throttle is not involved), and bcrypt is warmed on a throwaway hash.
 */
@ApplicationScoped
public class ApiPriming {
    /** bcrypt of "priming" at cost 4: only its code is warmed, not any configured hash. */
    private static final byte[] THROWAWAY_HASH =
            BCrypt.withDefaults().hash(4, new byte[16], "priming".getBytes(StandardCharsets.UTF_8));

    @Inject
    Accounts accounts;

    /** The REST layer's mapper, which writes the responses. */
    @Inject
    ObjectMapper json;

    /** Returns how many steps ran without an unexpected failure (all of them, normally). */
    public int prime() {
        int ok = 0;
        String apis = "\"apis\":[{\"id\":\"priming-api\",\"usagePlans\":[{\"id\":\"priming-plan\"}]}]";
        RequestParser.create(("{\"appName\":\"Priming app\",\"developer\":\"priming@example.com\","
                + "\"appSlug\":\"priming-app\"," + apis + "}").getBytes(StandardCharsets.UTF_8));
        ok++;
        RequestParser.update(("{\"credentialType\":\"API_KEY\",\"apiKeyId\":\"priming-key\",\"appName\":\"Priming app\","
                + apis + "}").getBytes(StandardCharsets.UTF_8));
        ok++;
        RequestParser.revoke("{\"clientId\":\"priming-client\",\"credentialType\":\"CLIENT_CREDENTIALS\"}"
                .getBytes(StandardCharsets.UTF_8));
        ok++;
        try {
            RequestParser.create("{\"appName\":1}".getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException refused) {
            ok++; // the validation error path, as a wrong request takes it
        }
        try {
            json.writeValueAsString(new CreateCredentialsResponse("API_KEY", "priming-key-id", "priming-key", null, null, null));
            ok++;
        } catch (Exception e) {
            // the response type changed: priming is best effort, the request path still works
        }
        if (accounts.fastMatch("priming-no-such-user", "priming-password") == null) {
            ok++;
        }
        BCrypt.verifyer().verify("priming".getBytes(StandardCharsets.UTF_8), THROWAWAY_HASH);
        ok++;
        return ok;
    }
}
