package io.devportal.webhook.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.devportal.webhook.config.WebhookConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Password rotation in Lambda: the environment variables the SAM template sets for the portal's
 * accounts, read by the service's real configuration mapping (SmallRye, environment variables as
 * Lambda passes them), make two accounts, so that the portal can switch to the next password
 * without a 401 in between.
 */
class TemplateAccountVariablesTest {
    static final String OLD = "old-password-1";
    static final String NEXT = "next-password-2";

    static JsonNode templateVariables() throws IOException {
        return new YAMLMapper().readTree(Path.of("deploy/sam/template.yaml").toFile())
                .at("/Resources/WebhookFunction/Properties/Environment/Variables");
    }

    static Accounts accounts(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(WebhookConfig.class)
                .withSources(new EnvConfigSource(env, 300)).build();
        return new Accounts(config.getConfigMapping(WebhookConfig.class));
    }

    static String bcrypt(String password) {
        return BCrypt.withDefaults().hashToString(4, password.toCharArray());
    }

    @Test
    void theTemplatesAccountVariablesAreThePrimaryAndTheNextAccount() throws IOException {
        Set<String> names = new TreeSet<>();
        templateVariables().fieldNames().forEachRemaining(n -> {
            if (n.startsWith("WEBHOOK_USERNAME") || n.startsWith("WEBHOOK_PASSWORD") || n.startsWith("WEBHOOK_ACCOUNTS_")) {
                names.add(n);
            }
        });
        assertEquals(Set.of("WEBHOOK_USERNAME", "WEBHOOK_PASSWORD_HASH", "WEBHOOK_ACCOUNTS_NEXT_USERNAME",
                "WEBHOOK_ACCOUNTS_NEXT_PASSWORD_HASH"), names);
    }

    @Test
    void whileTheNextHashIsSetBothPasswordsAreAcceptedEachAsItsOwnAccount() throws IOException {
        Map<String, String> env = new TreeMap<>();
        JsonNode vars = templateVariables();
        // the names as the template writes them; the values as CloudFormation resolves them
        env.put(name(vars, "WEBHOOK_USERNAME"), "portal");
        env.put(name(vars, "WEBHOOK_PASSWORD_HASH"), bcrypt(OLD));
        env.put(name(vars, "WEBHOOK_ACCOUNTS_NEXT_USERNAME"), "portal");
        env.put(name(vars, "WEBHOOK_ACCOUNTS_NEXT_PASSWORD_HASH"), bcrypt(NEXT));
        Accounts accounts = accounts(env);
        assertEquals(Accounts.PRIMARY_LABEL, accounts.match("portal", OLD));
        assertEquals("next", accounts.match("portal", NEXT));
        assertNull(accounts.match("portal", "another-password"));
        assertNull(accounts.match("someone", NEXT));
    }

    @Test
    void withoutTheNextVariablesOnlyThePrimaryPasswordIsAccepted() throws IOException {
        // HasNextAccount false: the template leaves both WEBHOOK_ACCOUNTS_NEXT_* out (AWS::NoValue)
        JsonNode vars = templateVariables();
        Accounts accounts = accounts(Map.of(name(vars, "WEBHOOK_USERNAME"), "portal",
                name(vars, "WEBHOOK_PASSWORD_HASH"), bcrypt(OLD)));
        assertEquals(Accounts.PRIMARY_LABEL, accounts.match("portal", OLD));
        assertNull(accounts.match("portal", NEXT));
    }

    static String name(JsonNode vars, String name) {
        assertEquals(true, vars.has(name), "the template sets no " + name);
        return name;
    }
}
