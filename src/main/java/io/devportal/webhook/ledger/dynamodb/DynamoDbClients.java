package io.devportal.webhook.ledger.dynamodb;

import io.devportal.webhook.config.WebhookConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import io.devportal.webhook.awssdk.AwsTransport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client of the ledger. Like the provider's clients ({@code provider.aws.AwsClients}),
 * region, credentials and endpoint come from the SDK's default chains ({@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL}, the function's or task's role...) through {@link AwsTransport}, on the apache5 HTTP client, with the
 * {@code webhook.aws.*} timeouts and attempts and the adaptive retry mode. A test may replace the
 * bean (it is a {@link DefaultBean}); any {@link ExecutionInterceptor} bean is added, as for the
 * provider's clients.
 */
@ApplicationScoped
public class DynamoDbClients {

    @Inject
    WebhookConfig config;

    @Inject
    @Any
    Instance<ExecutionInterceptor> interceptors;

    @Inject
    AwsTransport transport;

    @Produces
    @DefaultBean
    @Singleton // no client proxy (see AwsClients.apiGateway)
    DynamoDbClient dynamoDb() {
        WebhookConfig.Aws aws = config.aws();
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(aws.attemptTimeout())
                .apiCallTimeout(aws.callTimeout())
                .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(aws.maxAttempts()).build());
        for (ExecutionInterceptor interceptor : interceptors) {
            overrides.addExecutionInterceptor(interceptor);
        }
        // built on first use, and dropped with its connections before a SnapStart snapshot (AwsTransport)
        http = transport.http(() -> Apache5HttpClient.builder()
                .connectionTimeout(aws.connectTimeout())
                .socketTimeout(aws.attemptTimeout())
                .maxConnections(50)
                .build());
        return DynamoDbClient.builder()
                .httpClient(http)
                .credentialsProvider(transport.credentials())
                .overrideConfiguration(overrides.build())
                .build();
    }

    private SdkHttpClient http;

    void close(@Disposes DynamoDbClient client) {
        client.close();
        if (http != null) {
            http.close();
        }
    }
}
