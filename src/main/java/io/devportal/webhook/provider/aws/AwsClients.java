package io.devportal.webhook.provider.aws;

import io.devportal.webhook.awssdk.AwsTransport;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.priming.SideEffect;
import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS SDK clients. Region, credentials and endpoint come from the SDK's own default chains
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, instance roles...). Timeouts and the retry strategy
 * (the standard one for faults; a throttled call is not retried by the SDK: {@link NoThrottleRetries})
 * are set here. Any
 * {@link ExecutionInterceptor} bean is added to both clients, which is how tests inject faults.
 */
@ApplicationScoped
public class AwsClients {

    @Inject
    WebhookConfig config;

    @Inject
    @Any
    Instance<ExecutionInterceptor> interceptors;

    @Inject
    AwsTransport transport;

    private SdkHttpClient http;
    private ExecutorService executor;
    private ApiGatewayClient apiGatewayOnce;
    private RateLimiter keyWrites;
    private CognitoIdentityProviderClient cognitoOnce;

    // @Singleton, not @ApplicationScoped, for the three SDK clients (here and DynamoDbClients): a normal
    // scope makes ArC generate a client proxy implementing every operation of the client's interface,
    // which would keep every operation's classes in the Lambda's shrunk SDK jars (docs/cold-start.md)
    @Produces
    @DefaultBean
    @Singleton
    ApiGatewayClient apiGateway() {
        return ApiGatewayClient.builder().httpClient(http()).credentialsProvider(transport.credentials())
                .overrideConfiguration(overrides(config.aws().maxAttempts(), ResourceRef.DEFAULT_TARGET)).build();
    }

    @Produces
    @DefaultBean
    @Singleton
    CognitoIdentityProviderClient cognito() {
        return CognitoIdentityProviderClient.builder().httpClient(http()).credentialsProvider(transport.credentials())
                .overrideConfiguration(overrides(config.aws().maxAttempts(), ResourceRef.DEFAULT_TARGET)).build();
    }

    /**
     * The clients of a configured target: in its Region, signed with the credentials of its role
     * (assumed through STS in that Region, with its external id) or, without a role, the service's
     * own. Nothing is resolved or connected before the first real call ({@link AwsTransport}).
     */
    AwsTarget target(Targets.Target target, ControlPlaneBudget budget) {
        Region region = Region.of(target.region().orElseThrow());
        AwsCredentialsProvider credentials = target.roleArn()
                .map(arn -> transport.credentials(() -> assumeRole(target, region, arn)))
                .orElse(transport.credentials());
        int attempts = config.aws().maxAttempts();
        return new AwsTarget(target,
                ApiGatewayClient.builder().region(region).httpClient(http()).credentialsProvider(credentials)
                        .overrideConfiguration(overrides(attempts, target.name(), target)).build(),
                ApiGatewayClient.builder().region(region).httpClient(http()).credentialsProvider(credentials)
                        .overrideConfiguration(overrides(1, target.name(), target)).build(),
                CognitoIdentityProviderClient.builder().region(region).httpClient(http()).credentialsProvider(credentials)
                        .overrideConfiguration(overrides(attempts, target.name(), target)).build(),
                CognitoIdentityProviderClient.builder().region(region).httpClient(http()).credentialsProvider(credentials)
                        .overrideConfiguration(overrides(1, target.name(), target)).build(),
                RateLimiter.perSecond(config.aws().keyWritesPerSecond()),
                target.roleArn().isPresent() ? credentials : null, budget);
    }

    /**
     * One refreshing provider of a target's role: STS of the target's Region (its regional
     * endpoint), the external id, a session name that names the webhook and the target. Credentials
     * are fetched when first needed and refreshed before they expire, by the caller that needs them
     * (no background thread).
     */
    private StsAssumeRoleCredentialsProvider assumeRole(Targets.Target target, Region region, String roleArn) {
        StsClient sts = StsClient.builder().region(region).httpClient(http())
                .credentialsProvider(transport.credentials())
                .overrideConfiguration(stsOverrides(target.name())).build();
        String session = "devportal-webhook-" + target.name();
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(session.length() <= 64 ? session : session.substring(0, 64));
                    target.externalId().ifPresent(r::externalId);
                })
                .build();
    }

    /**
     * The account of the webhook's own credentials (sts:GetCallerIdentity, in the service's Region):
     * {@link PlaceResolver} asks once per process, when a place is first needed.
     */
    String callerAccount() {
        try (StsClient sts = StsClient.builder().httpClient(http()).credentialsProvider(transport.credentials())
                .overrideConfiguration(stsOverrides(ResourceRef.DEFAULT_TARGET)).build()) {
            return sts.getCallerIdentity().account();
        }
    }

    /**
     * A client that never retries, for the calls that create something: a retry after a lost
     * answer would create a second key or client. {@link IdempotentCreate} retries those itself,
     * looking first for what the lost attempt may have made.
     */
    synchronized ApiGatewayClient apiGatewayOnce() {
        if (apiGatewayOnce == null) {
            apiGatewayOnce = ApiGatewayClient.builder().httpClient(http()).credentialsProvider(transport.credentials())
                    .overrideConfiguration(overrides(1, ResourceRef.DEFAULT_TARGET)).build();
        }
        return apiGatewayOnce;
    }

    synchronized CognitoIdentityProviderClient cognitoOnce() {
        if (cognitoOnce == null) {
            cognitoOnce = CognitoIdentityProviderClient.builder().httpClient(http())
                    .credentialsProvider(transport.credentials())
                    .overrideConfiguration(overrides(1, ResourceRef.DEFAULT_TARGET)).build();
        }
        return cognitoOnce;
    }

    /**
     * Waits for a slot of target {@code t}'s key-write pace before an API key create or delete. A side
     * effect: a primed write (answered in the process) takes no slot a real request would wait for.
     */
    @SideEffect
    void paceKeyWrite(AwsTarget t) {
        t.keyWrites().acquire();
    }

    /** The pace of API key creates and deletes (the account allows 5 a second). */
    synchronized RateLimiter keyWrites() {
        if (keyWrites == null) {
            keyWrites = RateLimiter.perSecond(config.aws().keyWritesPerSecond());
        }
        return keyWrites;
    }

    int maxAttempts() {
        return config.aws().maxAttempts();
    }

    /** Threads for concurrent AWS calls of one request; each request bounds its own share. */
    synchronized ExecutorService executor() {
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory threads = r -> {
                Thread t = new Thread(r, "aws-call-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            executor = Executors.newCachedThreadPool(threads);
        }
        return executor;
    }

    private synchronized SdkHttpClient http() {
        if (http == null) {
            WebhookConfig.Aws aws = config.aws();
            // built on first use, and dropped with its connections before a SnapStart snapshot (AwsTransport)
            http = transport.http(() -> Apache5HttpClient.builder()
                    .connectionTimeout(aws.connectTimeout())
                    .socketTimeout(aws.attemptTimeout())
                    .maxConnections(Math.max(50, aws.maxConcurrency() * 4))
                    // small JSON bodies: no "Expect: 100-continue" and its wait for the interim answer
                    .expectContinueEnabled(false)
                    .build());
        }
        return http;
    }

    /** STS is no part of the shared budgets: its throttling is retried by the SDK, as its faults are. */
    private ClientOverrideConfiguration stsOverrides(String target) {
        return overrides(config.aws().maxAttempts(), target).toBuilder().retryStrategy(AwsRetryStrategy
                .standardRetryStrategy().toBuilder().maxAttempts(config.aws().maxAttempts()).build()).build();
    }

    private ClientOverrideConfiguration overrides(int maxAttempts, String target) {
        return overrides(maxAttempts, target, null);
    }

    private ClientOverrideConfiguration overrides(int maxAttempts, String target, Targets.Target denialsOf) {
        WebhookConfig.Aws aws = config.aws();
        ClientOverrideConfiguration.Builder builder = ClientOverrideConfiguration.builder()
                .putExecutionAttribute(AwsCallMetrics.TARGET, target)
                .apiCallAttemptTimeout(aws.attemptTimeout())
                .apiCallTimeout(aws.callTimeout())
                .retryStrategy(NoThrottleRetries.of(maxAttempts));
        for (ExecutionInterceptor interceptor : interceptors) {
            builder.addExecutionInterceptor(interceptor);
        }
        if (denialsOf != null) {
            builder.addExecutionInterceptor(new TargetDenials.Interceptor(denialsOf));
        }
        return builder.build();
    }

    @PreDestroy
    synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (apiGatewayOnce != null) {
            apiGatewayOnce.close();
        }
        if (cognitoOnce != null) {
            cognitoOnce.close();
        }
        if (http != null) {
            http.close();
        }
    }
}
