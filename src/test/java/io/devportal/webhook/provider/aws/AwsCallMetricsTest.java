package io.devportal.webhook.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.support.Api;
import io.devportal.webhook.support.PromQl;
import io.devportal.webhook.support.Management;
import io.devportal.webhook.support.MotoResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every AWS call is timed by service, operation and outcome, failures with AWS's error code. */
@QuarkusTest
@WithTestResource(value = MotoResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AwsCallMetricsTest {

    @ConfigProperty(name = "test.usage-plans", defaultValue = "unset-outside-moto-tests")
    List<String> plans;

    @Test
    void aCreateTimesCreateApiKeyAndCreateUsagePlanKeyAndARevokeOfAGoneKeyCountsNotFound() {
        String before = Management.scrape();
        String name = "AwsMetrics " + UUID.randomUUID().toString().substring(0, 8);
        String keyId = Api.create(Api.createBody(name, "aws-metrics@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        String after = Management.scrape();

        assertEquals(1, grown(before, after, "ApiGateway", "CreateApiKey", "ok"), after);
        assertEquals(1, grown(before, after, "ApiGateway", "CreateUsagePlanKey", "ok"), after);
        assertEquals(1, grown(before, after, "ApiGateway", "DeleteApiKey", "ok"), after);
        assertTrue(after.contains("webhook_aws_calls_seconds_bucket{"), "a histogram for latency percentiles");
    }

    /** The shipped Grafana dashboard queries only metrics that the service exports. */
    @Test
    void everyMetricTheGrafanaDashboardQueriesIsExported() throws Exception {
        String name = "Dashboard " + UUID.randomUUID().toString().substring(0, 8);
        String keyId = Api.create(Api.createBody(name, "dashboard@example.com",
                        "[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"" + plans.get(0) + "\"}]}]"))
                .then().statusCode(200).extract().path("apiKeyId");
        Api.revoke("{\"apiKeyId\":\"" + keyId + "\"}").then().statusCode(204);
        String exported = Management.scrape();

        JsonNode dashboard = new ObjectMapper().readTree(Path.of("deploy/grafana/devportal-webhook.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queried.addAll(PromQl.metricNames(target.get("expr").asText()));
            }
        }
        assertTrue(queried.size() >= 8, "the dashboard's metrics: " + queried);
        for (String metric : queried) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(exported).find(),
                    "the dashboard queries " + metric + ", which the service does not export:\n" + exported);
        }
    }

    @Test
    void theDashboardCheckSeesAMisspelledMetric() {
        assertEquals(Set.of("webhook_credentials_activ", "http_server_requests_seconds_bucket"),
                PromQl.metricNames("sum by (type) (webhook_credentials_activ{type=\"API_KEY\"}) / "
                        + "histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket[5m])))"));
    }

    private static double grown(String before, String after, String service, String operation, String outcome) {
        String labels = "operation=\"" + operation + "\",outcome=\"" + outcome + "\",service=\"" + service + "\"";
        return value(after, labels) - value(before, labels);
    }

    private static double value(String exposition, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote("webhook_aws_calls_seconds_count{" + labels) + "[,}].*?\\s([0-9.eE+-]+)$")
                .matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
