package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.Targets;
import io.devportal.webhook.config.CredentialTypes;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.CredentialKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DomainDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Verifies the AWS side of the configuration against AWS itself: a Region, credentials, API Gateway
 * access, the user pool, its domain, and the resource servers and scopes that client credentials
 * will be granted. Run by {@code java -jar quarkus-run.jar check-config}.
 */
@ApplicationScoped
public class AwsConfigCheck {

    /** One line of the report. */
    public record Finding(boolean ok, String subject, String detail) {
        @Override
        public String toString() {
            return (ok ? "OK    " : "ERROR ") + subject + ": " + detail;
        }
    }

    // Instance, not the clients themselves: the clients are @Singleton beans (no client proxy, see
    // AwsClients), built when injected, and building one without a Region throws; run() reports a
    // missing Region before any client is made
    @Inject
    Instance<ApiGatewayClient> apiGatewayClient;

    @Inject
    Instance<CognitoIdentityProviderClient> cognitoClient;

    @Inject
    WebhookConfig config;

    @Inject
    Targets targets;

    @Inject
    AwsTargets awsTargets;

    @Inject
    TargetChecks targetChecks;

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        // before any client is made: without a Region or credentials every probe would say "AWS unreachable"
        Optional<String> region = AwsEnvironment.regionProblem();
        findings.add(new Finding(region.isEmpty(), "AWS Region", region.orElse("configured")));
        Optional<String> credentials = AwsEnvironment.credentialsProblem();
        findings.add(new Finding(credentials.isEmpty(), "AWS credentials", credentials.orElse("found")));
        if (region.isPresent() || credentials.isPresent()) {
            return findings;
        }
        // a configuration without targets reports exactly what it always did
        targets.problem().ifPresentOrElse(p -> findings.add(new Finding(false, "webhook.targets", p)), () -> {
            if (targets.several()) {
                findings.add(new Finding(true, "webhook.targets", (targets.all().size() - 1)
                        + " target(s) besides the default"));
            }
        });
        findings.addAll(defaultTarget());
        if (targets.problem().isEmpty()) {
            findings.addAll(targetChecks.run(this));
        }
        return findings;
    }

    /** The default target: the service's own Region and Cognito settings. */
    private List<Finding> defaultTarget() {
        ApiGatewayClient apiGateway = apiGatewayClient.get();
        CognitoIdentityProviderClient cognito = cognitoClient.get();
        List<Finding> findings = new ArrayList<>();
        findings.add(probe("API Gateway access", () -> {
            apiGateway.getUsagePlans(b -> b.limit(1));
            return "usage plans can be read";
        }));
        Optional<String> pool = config.cognito().userPoolId().map(String::strip).filter(p -> !p.isEmpty());
        boolean clientsUsed = CredentialTypes.defaultType(config) == CredentialKind.CLIENT_CREDENTIALS
                || config.apis().keySet().stream()
                .anyMatch(apiId -> CredentialTypes.of(config, apiId) == CredentialKind.CLIENT_CREDENTIALS);
        if (pool.isEmpty()) {
            findings.add(new Finding(!clientsUsed, "webhook.cognito.user-pool-id", clientsUsed
                    ? "not set, but some APIs need client credentials" : "not set; only API keys will be issued"));
            return findings;
        }
        String poolId = pool.get();
        Finding poolFinding = probe("user pool " + poolId, () -> {
            cognito.describeUserPool(b -> b.userPoolId(poolId));
            return "exists";
        });
        findings.add(poolFinding);
        if (!poolFinding.ok()) {
            return findings;
        }
        findings.add(domain(poolId));
        Map<String, WebhookConfig.ApiSettings> apis = new TreeMap<>(config.apis());
        apis.forEach((apiId, settings) -> {
            if (!awsTargets.poolFor(apiId).isDefault()) {
                return; // its scopes are checked in its target's pool (TargetChecks)
            }
            boolean client = CredentialTypes.of(config, apiId) == CredentialKind.CLIENT_CREDENTIALS;
            List<String> scopes = settings.scopes().orElse(List.of());
            if (scopes.size() > AppClients.MAX_SCOPES) {
                findings.add(new Finding(false, "webhook.apis.\"" + apiId + "\".scopes", scopes.size()
                        + " scopes; a Cognito app client can have at most " + AppClients.MAX_SCOPES));
            }
            if (!scopes.isEmpty()) {
                for (String scope : scopes) {
                    String full = scope.contains("/") ? scope.strip() : apiId + "/" + scope.strip();
                    findings.add(scope(cognito, poolId, "webhook.apis.\"" + apiId + "\".scopes", full));
                }
            } else if (client) {
                findings.add(conventionScopes(cognito, poolId, apiId));
            }
        });
        return findings;
    }

    private Finding domain(String poolId) {
        Optional<String> configured = config.cognito().domain().map(String::strip).filter(d -> !d.isEmpty());
        if (configured.isEmpty()) {
            return new Finding(false, "webhook.cognito.domain", "not set: developers get no token URL");
        }
        String domain = configured.get();
        String lookup = domain.startsWith("http") ? URI.create(domain).getHost() : domain;
        return probe("webhook.cognito.domain " + domain, () -> {
            DomainDescriptionType description = cognitoClient.get().describeUserPoolDomain(b -> b.domain(lookup)).domainDescription();
            if (description == null || description.userPoolId() == null) {
                throw new IllegalStateException("no user pool has the domain " + lookup);
            }
            if (!poolId.equals(description.userPoolId())) {
                throw new IllegalStateException("belongs to user pool " + description.userPoolId() + ", not " + poolId);
            }
            return "belongs to the user pool";
        });
    }

    Finding scope(CognitoIdentityProviderClient cognito, String poolId, String property, String fullScope) {
        int slash = fullScope.lastIndexOf('/');
        String server = fullScope.substring(0, slash);
        String name = fullScope.substring(slash + 1);
        return probe(property + " " + fullScope, () -> {
            ResourceServerType rs = resourceServer(cognito, poolId, server)
                    .orElseThrow(() -> new IllegalStateException("resource server " + server + " does not exist in "
                            + "user pool " + poolId));
            if (rs.scopes().stream().noneMatch(s -> s.scopeName().equals(name))) {
                throw new IllegalStateException("resource server " + server + " has no scope " + name);
            }
            return "exists";
        });
    }

    Finding conventionScopes(CognitoIdentityProviderClient cognito, String poolId, String apiId) {
        return probe("API " + apiId + " (client credentials, scopes by convention)", () -> {
            ResourceServerType rs = resourceServer(cognito, poolId, apiId)
                    .orElseThrow(() -> new IllegalStateException("no resource server with identifier " + apiId
                            + " and no webhook.apis.\"" + apiId + "\".scopes"));
            if (rs.scopes().isEmpty()) {
                throw new IllegalStateException("resource server " + apiId + " has no scopes");
            }
            if (rs.scopes().size() > AppClients.MAX_SCOPES) {
                throw new IllegalStateException("resource server " + apiId + " has " + rs.scopes().size()
                        + " scopes; a Cognito app client can have at most " + AppClients.MAX_SCOPES);
            }
            return "scopes " + rs.scopes().stream().map(ResourceServerScopeType::scopeName).toList();
        });
    }

    private static Optional<ResourceServerType> resourceServer(CognitoIdentityProviderClient cognito, String poolId,
                                                               String identifier) {
        try {
            return Optional.of(cognito.describeResourceServer(b -> b.userPoolId(poolId).identifier(identifier))
                    .resourceServer());
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    interface Check {
        String run();
    }

    static Finding probe(String subject, Check check) {
        try {
            return new Finding(true, subject, check.run());
        } catch (SdkException e) {
            String reason = switch (AwsErrors.map(e, "", subject, AwsErrors.Missing.CONFIGURED).kind()) {
                case UPSTREAM_DENIED -> "access denied (" + e.getMessage() + ")";
                case UNAVAILABLE -> AwsErrors.isNotFound(e) ? "does not exist" : "AWS unreachable (" + e.getMessage() + ")";
                default -> e.getMessage();
            };
            return new Finding(false, subject, reason);
        } catch (IllegalStateException e) {
            return new Finding(false, subject, e.getMessage());
        }
    }
}
