package io.devportal.webhook.support;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** SDK clients for the tests' own view of AWS (moto), independent of the webhook's clients. */
public final class Aws {
    private Aws() {
    }

    public static ApiGatewayClient apiGateway() {
        return ApiGatewayClient.builder().httpClient(Apache5HttpClient.create()).build();
    }

    public static CognitoIdentityProviderClient cognito() {
        return CognitoIdentityProviderClient.builder().httpClient(Apache5HttpClient.create()).build();
    }
}
