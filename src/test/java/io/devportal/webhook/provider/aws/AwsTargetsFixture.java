package io.devportal.webhook.provider.aws;

import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.provisioning.Reconciler;
import io.devportal.webhook.support.Aws;
import io.devportal.webhook.support.FaultInjector;
import io.devportal.webhook.support.MotoTargetsResource;
import io.devportal.webhook.support.StrictAws;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_ACCOUNT;
import static io.devportal.webhook.support.MotoTargetsResource.PARTNER_REGION;
import static io.devportal.webhook.support.MotoTargetsResource.WEST_REGION;

/**
 * What the test classes on {@link MotoTargetsResource}'s three targets share: the tests' own API
 * Gateway clients in each target (straight to moto), the estate's plan ids, the fault injector and
 * the twin reset before each test, and the request and look-up helpers. Each class keeps its own
 * test profile, so that it runs its own application.
 */
abstract class AwsTargetsFixture {
    static final String DEFAULT = Aws.DEFAULT_ACCOUNT + "/us-east-1";
    static final String PARTNER = PARTNER_ACCOUNT + "/" + PARTNER_REGION;
    static final String WEST = Aws.DEFAULT_ACCOUNT + "/" + WEST_REGION;

    static ApiGatewayClient home;
    static ApiGatewayClient partner;
    static ApiGatewayClient west;

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset")
    List<String> plans;

    @ConfigProperty(name = "test.partner-plans", defaultValue = "unset")
    List<String> partnerPlans;

    @ConfigProperty(name = "test.west-plans", defaultValue = "unset")
    List<String> westPlans;

    @Inject
    FaultInjector faults;

    @Inject
    Ledger ledger;

    @Inject
    Reconciler reconciler;

    @BeforeAll
    static void clients() {
        // after the resource reset moto: an assumed role's session dies with a reset
        home = Aws.apiGateway();
        partner = Aws.apiGateway(PARTNER_ACCOUNT, PARTNER_REGION);
        west = Aws.apiGateway(Aws.DEFAULT_ACCOUNT, WEST_REGION);
    }

    @AfterAll
    static void close() {
        home.close();
        partner.close();
        west.close();
    }

    @BeforeEach
    void clean() {
        faults.reset();
        StrictAws.reset();
    }

    static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 6);
    }

    static String api(String id, List<String> plans) {
        return "{\"id\":\"" + id + "\",\"usagePlans\":[" + plans.stream().map(p -> "{\"id\":\"" + p + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    static String apis(String... apis) {
        return "[" + String.join(",", apis) + "]";
    }

    static Set<String> plansOf(ApiGatewayClient aws, String keyId) {
        return aws.getUsagePlans(b -> b.keyId(keyId)).items().stream().map(UsagePlan::id).collect(Collectors.toSet());
    }

    static List<ApiKey> keysNamed(ApiGatewayClient aws, String name) {
        return aws.getApiKeys(b -> b.nameQuery(name).includeValues(true)).items().stream()
                .filter(k -> k.name().equals(name)).toList();
    }

    /** The keys of the customCredentials listing: target → key id, in its order. */
    static List<String[]> listed(JsonPath r) {
        List<String[]> keys = new ArrayList<>();
        for (String entry : r.getString("customCredentials.apiKeys").split(" ")) {
            keys.add(entry.split(":"));
        }
        return keys;
    }
}
