package io.devportal.webhook.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where each API lives ({@link Targets}), on the configuration as the service maps it: the
 * properties (and webhook.apis-json, webhook.targets-json) through SmallRye's mapping of
 * {@link WebhookConfig}.
 */
class TargetsTest {

    /** The targets of the service configured with these properties (ordinal of an env var). */
    static Targets targets(Map<String, String> props) {
        WebhookConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(props, "test-env", 300))
                .withSources(new ApisJson())
                .withSources(new TargetsJson())
                .withMapping(WebhookConfig.class)
                .build()
                .getConfigMapping(WebhookConfig.class);
        Targets targets = new Targets();
        targets.config = config;
        return targets;
    }

    private static Map<String, String> partner(String... more) {
        Map<String, String> props = new HashMap<>(Map.of("webhook.targets.\"partner\".region", "sa-east-1"));
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        return props;
    }

    private static String problem(Map<String, String> props) {
        return targets(props).problem().orElseThrow(() -> new AssertionError("no problem found in " + props));
    }

    @Test
    void withoutTargetsEveryApiLivesInTheDefaultTargetMadeOfTodaysSettings() {
        Targets targets = targets(Map.of(
                "webhook.apis.\"orders\".credential-type", "CLIENT_CREDENTIALS",
                "webhook.apis.\"orders\".scopes", "read",
                "webhook.cognito.user-pool-id", "us-east-1_Pool1",
                "webhook.cognito.domain", "shop-auth"));
        assertEquals(Optional.empty(), targets.problem());
        assertFalse(targets.several());
        assertEquals(Map.of(), targets.mapping());
        assertEquals("default", targets.targetOf("orders"));
        assertEquals("default", targets.targetOf("any-api-at-all"));
        Targets.Target dflt = new Targets.Target("default", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("us-east-1_Pool1"), Optional.of("shop-auth"));
        assertEquals(List.of(dflt), targets.all());
        assertEquals(dflt, targets.get("default"));
        assertTrue(dflt.isDefault());
        // and a configuration with nothing at all
        assertEquals(List.of("default"), targets(Map.of()).all().stream().map(Targets.Target::name).toList());
        assertEquals(Optional.empty(), targets(Map.of()).problem());
    }

    @Test
    void anApiIsMappedByItsOwnSettingOrByItsTargetsListAndTheRestStayInTheDefaultTarget() {
        Targets targets = targets(partner(
                "webhook.targets.\"partner\".role-arn", "arn:aws:iam::111122223333:role/devportal-webhook-target",
                "webhook.targets.\"partner\".external-id", "ext-id-1",
                "webhook.targets.\"partner\".user-pool-id", "sa-east-1_Pool2",
                "webhook.targets.\"partner\".cognito-domain", "partner-auth",
                "webhook.targets.\"partner\".apis", "abc123,def456",
                "webhook.targets.\"Apac_2\".region", "ap-southeast-2",
                "webhook.apis.\"ghi789\".target", "Apac_2",
                // the same mapping twice, both ways, is no conflict
                "webhook.apis.\"abc123\".target", "partner"));
        assertEquals(Optional.empty(), targets.problem());
        assertTrue(targets.several());
        assertEquals("partner", targets.targetOf("abc123"));
        assertEquals("partner", targets.targetOf("def456"));
        assertEquals("Apac_2", targets.targetOf("ghi789"));
        assertEquals("default", targets.targetOf("unmapped"));
        assertEquals(Map.of("abc123", "partner", "def456", "partner", "ghi789", "Apac_2"), targets.mapping());
        assertEquals(List.of("default", "Apac_2", "partner"), targets.all().stream().map(Targets.Target::name).toList());
        assertEquals(new Targets.Target("partner", Optional.of("sa-east-1"),
                Optional.of("arn:aws:iam::111122223333:role/devportal-webhook-target"), Optional.of("ext-id-1"),
                Optional.of("sa-east-1_Pool2"), Optional.of("partner-auth")), targets.get("partner"));
        assertFalse(targets.get("partner").isDefault());
        assertEquals("no target named nowhere is configured (webhook.targets)",
                assertThrows(IllegalArgumentException.class, () -> targets.get("nowhere")).getMessage());
    }

    @Test
    void anApiMappedToTwoTargetsIsAProblemNamingBoth() {
        Map<String, String> props = partner("webhook.targets.\"partner\".apis", "orders",
                "webhook.targets.\"other\".region", "us-east-1",
                "webhook.apis.\"orders\".target", "other");
        assertEquals("API orders is mapped to two targets, other and partner: an API lives in one account and Region",
                problem(props));
        // by two targets' lists
        assertEquals("API orders is mapped to two targets, alpha and partner: an API lives in one account and Region",
                problem(partner("webhook.targets.\"partner\".apis", "pay,orders",
                        "webhook.targets.\"alpha\".region", "us-east-1",
                        "webhook.targets.\"alpha\".apis", "orders")));
        // to the default target by name, and to another by its list
        assertEquals("API orders is mapped to two targets, default and partner: an API lives in one account and Region",
                problem(partner("webhook.targets.\"partner\".apis", "orders",
                        "webhook.apis.\"orders\".target", "default")));
        // the same through the JSON settings
        assertEquals("API orders is mapped to two targets, other and partner: an API lives in one account and Region",
                problem(Map.of("webhook.targets-json", "{\"partner\":{\"region\":\"sa-east-1\",\"apis\":[\"orders\"]},"
                                + "\"other\":{\"region\":\"us-east-1\"}}",
                        "webhook.apis-json", "{\"orders\":{\"target\":\"other\"}}")));
    }

    @Test
    void anUnknownTargetNameIsAProblem() {
        assertEquals("webhook.apis.\"orders\".target names nowhere, which is not a configured target",
                problem(partner("webhook.apis.\"orders\".target", "nowhere")));
        // no targets at all: the same
        assertEquals("webhook.apis.\"orders\".target names partner, which is not a configured target",
                problem(Map.of("webhook.apis.\"orders\".target", "partner")));
        // the default target may be named: it is always there
        assertEquals(Optional.empty(), targets(Map.of("webhook.apis.\"orders\".target", "default")).problem());
    }

    @Test
    void aTargetNeedsARegionName() {
        assertEquals("webhook.targets.\"partner\".region is required",
                problem(Map.of("webhook.targets.\"partner\".apis", "orders")));
        for (String bad : List.of("saeast1", "SA-EAST-1", "sa-east", "sa-east-1a", "https://sts.sa-east-1.amazonaws.com")) {
            assertEquals("webhook.targets.\"partner\".region " + bad + " is not a Region name such as sa-east-1",
                    problem(Map.of("webhook.targets.\"partner\".region", bad)), bad);
        }
        for (String good : List.of("sa-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5", "eu-central-2")) {
            assertEquals(Optional.empty(), targets(Map.of("webhook.targets.\"partner\".region", good)).problem(), good);
        }
    }

    @Test
    void aRoleArnMustBeAnIamRole() {
        for (String bad : List.of("arn:aws:iam::12345:role/x", "arn:aws:iam::111122223333:user/x",
                "arn:aws:sts::111122223333:assumed-role/x/y", "devportal-webhook-target", "arn:aws:iam::111122223333:role/")) {
            assertEquals("webhook.targets.\"partner\".role-arn " + bad
                            + " is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
                    problem(partner("webhook.targets.\"partner\".role-arn", bad)), bad);
        }
        for (String good : List.of("arn:aws:iam::111122223333:role/devportal-webhook-target",
                "arn:aws-cn:iam::111122223333:role/path/to/role", "arn:aws-us-gov:iam::111122223333:role/a+b=c,d.e@f-g_h")) {
            assertEquals(Optional.empty(), targets(partner("webhook.targets.\"partner\".role-arn", good)).problem(), good);
        }
    }

    @Test
    void anExternalIdNeedsARoleToAssumeAndStsShape() {
        assertEquals("webhook.targets.\"partner\".external-id is set without a role-arn to assume",
                problem(partner("webhook.targets.\"partner\".external-id", "ext-id-1")));
        assertEquals("webhook.targets.\"partner\".external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-_",
                problem(partner("webhook.targets.\"partner\".role-arn", "arn:aws:iam::111122223333:role/r",
                        "webhook.targets.\"partner\".external-id", "x")));
    }

    @Test
    void aCognitoDomainNeedsTheUserPoolItBelongsTo() {
        assertEquals("webhook.targets.\"partner\".cognito-domain is set without the user-pool-id it belongs to",
                problem(partner("webhook.targets.\"partner\".cognito-domain", "partner-auth")));
        assertEquals(Optional.empty(), targets(partner("webhook.targets.\"partner\".user-pool-id", "sa-east-1_Pool2"))
                .problem());
    }

    @Test
    void aTargetsUserPoolMustBeInItsRegion() {
        assertEquals("webhook.targets.\"partner\".user-pool-id us-east-1_Pool2 is a pool of Region us-east-1, not of "
                + "the target's Region sa-east-1",
                problem(partner("webhook.targets.\"partner\".user-pool-id", "us-east-1_Pool2")));
    }

    @Test
    void twoTargetsOfOneRegionAndRoleAreOnePlaceTwice() {
        assertEquals("webhook.targets \"partner\" and \"partner2\" are the same place (Region sa-east-1, no role): map "
                + "their APIs to one target", problem(partner("webhook.targets.\"partner2\".region", "sa-east-1")));
        assertEquals(Optional.empty(), targets(partner("webhook.targets.\"partner2\".region", "sa-east-1",
                "webhook.targets.\"partner2\".role-arn", "arn:aws:iam::111122223333:role/r")).problem());
    }

    @Test
    void defaultIsReservedForTheServicesOwnSettings() {
        for (String name : List.of("default", "Default", "DEFAULT")) {
            assertEquals("webhook.targets.\"" + name + "\": the name default is the service's own settings "
                            + "(AWS_REGION, webhook.cognito.*); name the target otherwise",
                    problem(Map.of("webhook.targets.\"" + name + "\".region", "us-east-1")), name);
        }
    }

    @Test
    void aTargetsNameMustBeFitForRecordsAndTags() {
        assertEquals("webhook.targets.\"my target\": a target's name must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}",
                problem(Map.of("webhook.targets.\"my target\".region", "us-east-1")));
        assertEquals("webhook.targets.\"a:b\": a target's name must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}",
                problem(Map.of("webhook.targets.\"a:b\".region", "us-east-1")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String problem = problem(Map.of("webhook.targets.\"partner\".region", "nowhere",
                "webhook.targets.\"partner\".external-id", "ext-id-1",
                "webhook.targets.\"partner\".apis", "orders",
                "webhook.apis.\"orders\".target", "ghost"));
        assertEquals(List.of(
                "webhook.targets.\"partner\".region nowhere is not a Region name such as sa-east-1",
                "webhook.targets.\"partner\".external-id is set without a role-arn to assume",
                "webhook.apis.\"orders\".target names ghost, which is not a configured target",
                "API orders is mapped to two targets, ghost and partner: an API lives in one account and Region"),
                List.of(problem.split("; ")));
    }
}
