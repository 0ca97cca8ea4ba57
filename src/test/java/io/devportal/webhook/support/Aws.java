package io.devportal.webhook.support;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

import java.net.URI;

/** SDK clients for the tests' own view of AWS (moto), independent of the webhook's clients. */
public final class Aws {
    private Aws() {
    }

    public static ApiGatewayClient apiGateway() {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    public static CognitoIdentityProviderClient cognito() {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(MotoServer.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    /** An API Gateway client that goes through the strict twin and never retries: to test the twin itself. */
    public static ApiGatewayClient apiGatewayViaTwin() {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(StrictAws.endpoint())).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(CREDENTIALS).build();
    }

    /** A Cognito client that goes through the strict twin and never retries. */
    public static CognitoIdentityProviderClient cognitoViaTwin() {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create())
                .endpointOverride(URI.create(StrictAws.endpoint())).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(CREDENTIALS).build();
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
}
