package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.WebhookException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one mapping from AWS failures to the contract's errors, case by case. */
class AwsErrorsTest {

    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("details from AWS").build())
                .build();
    }

    @ParameterizedTest
    @CsvSource({
        "429, TooManyRequestsException, REQUESTED, THROTTLED, 429",
        "429, LimitExceededException, REQUESTED, THROTTLED, 429",
        "400, TooManyRequestsException, CREDENTIAL, THROTTLED, 429",
        "400, ThrottlingException, REQUESTED, THROTTLED, 429",
        "403, AccessDeniedException, REQUESTED, UPSTREAM_DENIED, 502",
        "400, NotAuthorizedException, CREDENTIAL, UPSTREAM_DENIED, 502",
        "400, UnrecognizedClientException, CREDENTIAL, UPSTREAM_DENIED, 502",
        "404, NotFoundException, REQUESTED, UNPROCESSABLE, 422",
        "404, NotFoundException, CREDENTIAL, NOT_FOUND, 404",
        "400, ResourceNotFoundException, CONFIGURED, UNAVAILABLE, 503",
        "400, ResourceNotFoundException, CREDENTIAL, NOT_FOUND, 404",
        "400, LimitExceededException, REQUESTED, THROTTLED, 429",
        "400, InvalidParameterException, CONFIGURED, UNPROCESSABLE, 422",
        "400, BadRequestException, REQUESTED, UNPROCESSABLE, 422",
        "409, ConflictException, REQUESTED, UPSTREAM_FAILED, 502",
        "500, InternalFailure, REQUESTED, UPSTREAM_FAILED, 502",
        "503, ServiceUnavailable, CREDENTIAL, UNAVAILABLE, 503",
        "503, ServiceUnavailableException, REQUESTED, UNAVAILABLE, 503",
        "400, ConcurrentModificationException, CREDENTIAL, UNAVAILABLE, 503"})
    void serviceErrorsMapToTheContract(int status, String code, AwsErrors.Missing missing,
                                       WebhookException.Kind kind, int httpStatus) {
        WebhookException mapped = AwsErrors.map(aws(status, code), "apigateway:POST", "usage plan p1", missing);
        assertEquals(kind, mapped.kind());
        assertEquals(httpStatus, mapped.kind().status);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Usage plans per API key limit exceeded: maximum 10|at most 10 usage plans per API key",
        "Quota exceeded: 10000 API keys in this Region|at most 10,000 API keys per Region",
        "Cannot exceed the maximum number of API keys|at most 10,000 API keys per Region"})
    void apiGatewayHardCapsAre422NamingTheCapNeverRetryLater(String awsMessage, String cap) {
        AwsServiceException e = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceededException").errorMessage(awsMessage)
                        .build()).build();
        WebhookException mapped = AwsErrors.map(e, "apigateway:POST", "a new API key", AwsErrors.Missing.REQUESTED);
        assertEquals(WebhookException.Kind.UNPROCESSABLE, mapped.kind());
        assertEquals("an AWS quota was reached while acting on a new API key: " + cap + " (" + awsMessage + ")",
                mapped.getMessage());
        assertEquals(null, mapped.retryAfter());
    }

    @ParameterizedTest
    @CsvSource({"ConcurrentModificationException, cognito-idp:UpdateUserPoolClient",
        "ServiceUnavailableException, apigateway:PATCH"})
    void busyOrUnavailableOutsideCreateIs503WithRetryAfter(String code, String permission) {
        WebhookException mapped = AwsErrors.map(aws(400, code), permission, "app client c1", AwsErrors.Missing.CREDENTIAL);
        assertEquals(WebhookException.Kind.UNAVAILABLE, mapped.kind());
        assertEquals(10, mapped.retryAfter().toSeconds());
    }

    @ParameterizedTest
    @CsvSource({"timeout", "connection"})
    void clientSideFailuresAre503WithRetryAfter(String which) {
        SdkException e = which.equals("timeout") ? ApiCallTimeoutException.create(1000)
                : SdkClientException.create("Connection refused");
        WebhookException mapped = AwsErrors.map(e, "cognito-idp:CreateUserPoolClient", "user pool p", AwsErrors.Missing.CONFIGURED);
        assertEquals(WebhookException.Kind.UNAVAILABLE, mapped.kind());
        assertEquals(10, mapped.retryAfter().toSeconds());
        assertEquals("AWS could not be reached in time; retry shortly", mapped.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"403, AccessDeniedException"})
    void accessDeniedNamesThePermission(int status, String code) {
        assertEquals("AWS denied the webhook's role the permission cognito-idp:DeleteUserPoolClient (on app client c1); "
                        + "grant it as in deploy/iam-policy.json",
                AwsErrors.map(aws(status, code), "cognito-idp:DeleteUserPoolClient", "app client c1",
                        AwsErrors.Missing.CREDENTIAL).getMessage());
    }
}
