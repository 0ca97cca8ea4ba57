package io.devportal.webhook.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.devportal.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch embedded metric format: one JSON object per line on standard output, which Lambda
 * sends to CloudWatch Logs and CloudWatch turns into metrics (no API call, no agent). Each line
 * carries one figure, its dimensions as top-level fields.
 */
@ApplicationScoped
public class EmbeddedMetricFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookConfig config;

    @Inject
    Clock clock;

    private volatile PrintStream out = System.out;

    public boolean enabled() {
        return config.metrics().emf();
    }

    void count(String name, Map<String, String> dimensions) {
        write(name, "Count", 1, dimensions);
    }

    void timer(String name, Duration elapsed, Map<String, String> dimensions) {
        write(name, "Milliseconds", elapsed.toNanos() / 1_000_000.0, dimensions);
    }

    void gauge(String name, double value, Map<String, String> dimensions) {
        write(name, "Count", value, dimensions);
    }

    /** Where the lines go (standard output unless a test says otherwise). */
    void output(PrintStream out) {
        this.out = out;
    }

    private void write(String name, String unit, double value, Map<String, String> dimensions) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", config.metrics().namespace());
        directive.put("Dimensions", List.of(List.copyOf(dimensions.keySet())));
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("Name", name);
        metric.put("Unit", unit);
        directive.put("Metrics", List.of(metric));
        Map<String, Object> line = new LinkedHashMap<>();
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", clock.millis());
        aws.put("CloudWatchMetrics", List.of(directive));
        line.put("_aws", aws);
        line.putAll(dimensions);
        line.put(name, value);
        try {
            String json = JSON.writeValueAsString(line);
            synchronized (this) {
                out.println(json);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an embedded metric", e);
        }
    }
}
