package io.devportal.webhook.support;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;

/**
 * SDK clients for the tests' own view of AWS (moto), independent of the webhook's clients.
 *
 * <p>Without arguments: the default account ({@value #DEFAULT_ACCOUNT}) in us-east-1. With an account
 * and a Region: that account, reached as moto allows, by STS AssumeRole of
 * {@code arn:aws:iam::<account>:role/x} straight against moto (the default account uses the plain
 * test credentials), signed for that Region. The role is assumed once, when the client is made: a
 * moto reset forgets the session (its access key then acts in the default account), so make such a
 * client after the test resource has reset moto, e.g. in a {@code @BeforeAll}, not in a static
 * initializer.</p>
 */
public final class Aws {
    /** The account moto puts the plain test credentials in. */
    public static final String DEFAULT_ACCOUNT = "123456789012";

    private Aws() {
    }

    public static ApiGatewayClient apiGateway() {
        return apiGateway(DEFAULT_ACCOUNT, "us-east-1");
    }

    public static CognitoIdentityProviderClient cognito() {
        return cognito(DEFAULT_ACCOUNT, "us-east-1");
    }

    /** API Gateway of that account and Region, straight at moto. */
    public static ApiGatewayClient apiGateway(String account, String region) {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.of(region))
                .credentialsProvider(credentials(account)).build();
    }

    /** Cognito of that account and Region, straight at moto. */
    public static CognitoIdentityProviderClient cognito(String account, String region) {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.of(region))
                .credentialsProvider(credentials(account)).build();
    }

    /** An API Gateway client that goes through the strict twin and never retries: to test the twin itself. */
    public static ApiGatewayClient apiGatewayViaTwin() {
        return apiGatewayViaTwin(DEFAULT_ACCOUNT, "us-east-1");
    }

    /** The same, as that account in that Region. */
    public static ApiGatewayClient apiGatewayViaTwin(String account, String region) {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(StrictAws.endpoint())).region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(credentials(account)).build();
    }

    /** A Cognito client that goes through the strict twin and never retries. */
    public static CognitoIdentityProviderClient cognitoViaTwin() {
        return cognitoViaTwin(DEFAULT_ACCOUNT, "us-east-1");
    }

    /** The same, as that account in that Region. */
    public static CognitoIdentityProviderClient cognitoViaTwin(String account, String region) {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(StrictAws.endpoint())).region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(credentials(account)).build();
    }

    /** An STS client of that Region through the strict twin (as the default account), never retrying. */
    public static StsClient stsViaTwin(String region) {
        return StsClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(StrictAws.endpoint())).region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(CREDENTIALS).build();
    }

    /**
     * Credentials that act in that account: the plain test credentials for the default account,
     * else a session of arn:aws:iam::&lt;account&gt;:role/x assumed from moto now.
     */
    public static AwsCredentialsProvider credentials(String account) {
        if (DEFAULT_ACCOUNT.equals(account)) {
            return CREDENTIALS;
        }
        try (StsClient sts = StsClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build()) {
            Credentials c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/x")
                    .roleSessionName("devportal-webhook-tests")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                    c.sessionToken()));
        }
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
}
