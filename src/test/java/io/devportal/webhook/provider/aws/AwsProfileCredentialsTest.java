package io.devportal.webhook.provider.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.profiles.ProfileFile;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code AWS_PROFILE=...} works the way operators log in: the SDK's profile credentials resolve an
 * assume-role profile (role_arn + source_profile) through STS, and an IAM Identity Center (SSO) profile
 * reaches the SSO token cache instead of failing for a missing SDK module. STS is a local stub.
 */
class AwsProfileCredentialsTest {
    private WireMockServer sts;

    @BeforeEach
    void start() {
        sts = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sts.start();
        System.setProperty("aws.endpointUrlSts", sts.baseUrl());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlSts");
        sts.stop();
    }

    private static ProfileFile config(String text) {
        return ProfileFile.builder().type(ProfileFile.Type.CONFIGURATION)
                .content(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).build();
    }

    @Test
    void anAssumeRoleProfileGetsSessionCredentialsFromStsWithItsSourceProfile() {
        sts.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
                        <Credentials><AccessKeyId>ASIAASSUMEDROLE</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey>
                        <SessionToken>assumed-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
                        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/ops/cli</Arn>
                        <AssumedRoleId>AROAOPS:cli</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>
                        <ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>""")));
        ProfileFile file = config("""
                [profile base]
                aws_access_key_id = AKIABASEPROFILE
                aws_secret_access_key = base-secret
                [profile ops]
                role_arn = arn:aws:iam::123456789012:role/ops
                source_profile = base
                region = eu-west-1
                """);
        try (ProfileCredentialsProvider provider = ProfileCredentialsProvider.builder()
                .profileFile(file).profileName("ops").build()) {
            AwsCredentials credentials = provider.resolveCredentials();
            assertEquals("ASIAASSUMEDROLE", credentials.accessKeyId());
            assertEquals("assumed-token", ((AwsSessionCredentials) credentials).sessionToken());
        }
        sts.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops"))
                .withHeader("Authorization", containing("Credential=AKIABASEPROFILE/")));
    }

    @Test
    void anSsoProfileIsServedByTheSsoModuleWhichLooksForItsCachedToken() {
        ProfileFile file = config("""
                [profile sso-ops]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = Operator
                region = eu-west-1
                [sso-session corp]
                sso_start_url = https://devportal-webhook-test-never-logged-in.awsapps.com/start
                sso_region = eu-west-1
                sso_registration_scopes = sso:account:access
                """);
        try (ProfileCredentialsProvider provider = ProfileCredentialsProvider.builder()
                .profileFile(file).profileName("sso-ops").build()) {
            SdkException e = assertThrows(SdkException.class, provider::resolveCredentials);
            // the sso and ssooidc modules read the token cache of the session: "run aws sso login"
            assertEquals("The SSO session associated with this profile has expired or is otherwise invalid. "
                    + "To refresh this SSO session run aws sso login with the corresponding profile.", e.getMessage());
        }
    }
}
