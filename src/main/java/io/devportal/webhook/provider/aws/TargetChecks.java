package io.devportal.webhook.provider.aws;

import io.devportal.webhook.config.CredentialTypes;
import io.devportal.webhook.config.Targets;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.model.CredentialKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.apigateway.model.GetUsagePlansResponse;
import software.amazon.awssdk.services.apigateway.model.Stage;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code check-config} for every target besides the default: the target is reachable (its role
 * can be assumed, its usage plans read), every API mapped to a target exists there, every usage
 * plan of the target that serves the API names a stage the API has, an API-key API is served by
 * at least one plan, and the scopes of the APIs whose client lives in a target's pool exist there.
 */
@ApplicationScoped
class TargetChecks {

    @Inject
    Targets targets;

    @Inject
    AwsTargets awsTargets;

    @Inject
    WebhookConfig config;

    List<AwsConfigCheck.Finding> run(AwsConfigCheck owner) {
        List<AwsConfigCheck.Finding> findings = new ArrayList<>();
        Map<String, String> mapping = new TreeMap<>(targets.mapping());
        for (AwsTarget t : awsTargets.all()) {
            if (t.isDefault() && !mapping.containsValue(t.name())) {
                continue;
            }
            String subject = "target " + t.label();
            AwsConfigCheck.Finding access = AwsConfigCheck.probe(subject, () -> {
                t.apiGateway().getUsagePlans(b -> b.limit(1));
                return "reachable" + t.config().roleArn().map(r -> " through role " + r).orElse("")
                        + "; usage plans can be read";
            });
            findings.add(access);
            if (!access.ok()) {
                continue;
            }
            List<UsagePlan> plans = Pages.all(from -> t.apiGateway().getUsagePlans(b -> b.limit(500).position(from)),
                    GetUsagePlansResponse::items, GetUsagePlansResponse::position);
            mapping.forEach((api, target) -> {
                if (target.equals(t.name())) {
                    findings.add(api(t, api, plans));
                }
            });
            t.ownUserPool().ifPresent(pool -> findings.addAll(pool(owner, t, pool, mapping)));
        }
        return findings;
    }

    private AwsConfigCheck.Finding api(AwsTarget t, String api, List<UsagePlan> plans) {
        return AwsConfigCheck.probe("API " + api + " in target " + t.name(), () -> {
            Set<String> stages = t.apiGateway().getStages(b -> b.restApiId(api)).item().stream()
                    .map(Stage::stageName).collect(Collectors.toCollection(TreeSet::new));
            List<String> serving = new ArrayList<>();
            boolean tagRequired = config.aws().assignablePlans() == WebhookConfig.PlanRule.TAGGED;
            boolean tagged = false;
            for (UsagePlan plan : plans) {
                for (var stage : plan.apiStages()) {
                    if (api.equals(stage.apiId())) {
                        if (!stages.contains(stage.stage())) {
                            throw new IllegalStateException("usage plan " + plan.id() + " names stage " + stage.stage()
                                    + ", which API " + api + " does not have in " + t.label());
                        }
                        boolean assignable = AssignablePlans.tagged(plan.tags());
                        tagged |= assignable;
                        serving.add(plan.id() + " (" + stage.stage() + (tagRequired && assignable ? ", assignable" : "")
                                + ")");
                    }
                }
            }
            boolean keyed = CredentialTypes.of(config, api) == CredentialKind.API_KEY;
            if (serving.isEmpty() && keyed) {
                throw new IllegalStateException("exists, but no usage plan of " + t.label() + " serves a stage of it");
            }
            if (tagRequired && keyed && !tagged) {
                // the upgrade step of docs/aws-rules.md section 8, not yet done for this API
                throw new IllegalStateException("usage plans " + String.join(", ", serving) + " serve it, but none is "
                        + "tagged " + AssignablePlans.TAG + "=true (webhook.aws.assignable-plans=TAGGED): the portal "
                        + "can hand out none of them");
            }
            return "exists with stages " + stages + (serving.isEmpty() ? "" : "; usage plans " + String.join(", ", serving));
        });
    }

    private List<AwsConfigCheck.Finding> pool(AwsConfigCheck owner, AwsTarget t, String pool,
                                              Map<String, String> mapping) {
        List<AwsConfigCheck.Finding> findings = new ArrayList<>();
        AwsConfigCheck.Finding exists = AwsConfigCheck.probe("user pool " + pool + " of target " + t.name(), () -> {
            t.cognito().describeUserPool(b -> b.userPoolId(pool));
            return "exists";
        });
        findings.add(exists);
        if (!exists.ok()) {
            return findings;
        }
        mapping.forEach((api, target) -> {
            if (!awsTargets.poolFor(api).name().equals(t.name())) {
                return;
            }
            List<String> scopes = config.apis().containsKey(api)
                    ? config.apis().get(api).scopes().orElse(List.of()) : List.of();
            if (!scopes.isEmpty()) {
                for (String scope : scopes) {
                    String full = scope.contains("/") ? scope.strip() : api + "/" + scope.strip();
                    findings.add(owner.scope(t.cognito(), pool, "webhook.apis.\"" + api + "\".scopes", full));
                }
            } else if (CredentialTypes.of(config, api) == CredentialKind.CLIENT_CREDENTIALS) {
                findings.add(owner.conventionScopes(t.cognito(), pool, api));
            }
        });
        return findings;
    }
}
