package io.devportal.webhook.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where and how AWS is reached: the targets, the AWS calls and Cognito ({@link WebhookConfig}). */
public interface AwsSettings {

    /**
     * Where APIs live besides the default target (the service's own Region and Cognito settings):
     * an account, reached through an assumed role, and a Region ({@link Targets}).
     */
    Map<String, Target> targets();

    interface Target {
        /** The target's Region (required). */
        Optional<String> region();

        /** A role to assume in the target's account; unset: the service's own credentials. */
        @WithName("role-arn")
        Optional<String> roleArn();

        /** The external id the role's trust policy demands. */
        @WithName("external-id")
        Optional<String> externalId();

        /** The target's user pool; unset: client credentials of its APIs use the default target's pool. */
        @WithName("user-pool-id")
        Optional<String> userPoolId();

        /** The domain of the target's user pool (a prefix, or a full custom-domain URL). */
        @WithName("cognito-domain")
        Optional<String> cognitoDomain();

        /** APIs that live in this target (the same as webhook.apis."<id>".target=<name>). */
        Optional<List<String>> apis();
    }

    /** webhook.targets in one JSON value, for environment-only deployments ({@link TargetsJson}). */
    @WithName("targets-json")
    Optional<String> targetsJson();

    Aws aws();

    Cognito cognito();

    interface Aws {
        /** Template of the API key name; {appName}, {developer} and {appId} are replaced. */
        @WithName("key-name-template")
        @WithDefault("{appName} ({developer})")
        String keyNameTemplate();

        /** {@code DELETE} (default) or {@code DISABLE}: what revoke does to an API key. */
        @WithName("revoke-mode")
        @WithDefault("DELETE")
        String revokeMode();

        @WithName("connect-timeout")
        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Time limit of one attempt of an AWS call. */
        @WithName("attempt-timeout")
        @WithDefault("PT5S")
        Duration attemptTimeout();

        /** Time limit of an AWS call, retries included. */
        @WithName("call-timeout")
        @WithDefault("PT15S")
        Duration callTimeout();

        @WithName("max-attempts")
        @WithDefault("4")
        int maxAttempts();

        /** How many usage-plan attachments run at once for one key. */
        @WithName("max-concurrency")
        @WithDefault("10")
        int maxConcurrency();

        /**
         * API key creates and deletes a second, per instance: API Gateway allows 5 a second per
         * account, and spacing them here avoids a burst of approvals turning into 429s.
         */
        @WithName("key-writes-per-second")
        @WithDefault("5")
        double keyWritesPerSecond();

        /** How long /v1/health reuses its last AWS check. */
        @WithName("health-cache")
        @WithDefault("PT5S")
        Duration healthCache();

        /**
         * Refuse (422) a usage plan that serves no stage of the API it is requested under, as read
         * from the plan's apiStages.
         */
        @WithName("check-plan-api-stage")
        @WithDefault("true")
        boolean checkPlanApiStage();

        /**
         * After an ambiguous create failure, how long the lookup for what the lost attempt made keeps
         * looking: GetApiKeys and ListUserPoolClients are eventually consistent.
         */
        @WithName("lookup-settle")
        @WithDefault("PT2S")
        Duration lookupSettle();

        /**
         * How long an answer AWS changes rarely (a usage plan's stages and tags, a resource server's
         * scopes) is reused, by every instance, after it was read; 0 reads it every time.
         */
        @WithName("cache-ttl")
        @WithDefault("PT5M")
        Duration cacheTtl();

        /**
         * Which usage plans the portal may hand out: {@code ANY} plan of the API's stage, or only
         * those {@code TAGGED} {@code devportal-webhook:assignable=true} by the platform team (the
         * SAM template's default). A per-API list ({@code webhook.apis."<apiId>".usage-plans})
         * narrows either. See docs/aws-rules.md.
         */
        @WithName("assignable-plans")
        @WithDefault("ANY")
        PlanRule assignablePlans();

        /**
         * The key of the mark the webhook puts in the name of every Cognito app client it makes
         * (an HMAC of the name's app and operation hashes): a client is deleted without the ledger
         * knowing it only when its name carries a mark made with this key. Unset: no mark, and the
         * rule of clients made before marks (docs/aws-rules.md).
         */
        @WithName("client-mark-key")
        Optional<String> clientMarkKey();

        /**
         * API Gateway calls a second that every instance and the CLI together may make in one account
         * and Region (a share of AWS's 10, shared with the account's other tools); 0: no shared budget.
         */
        @WithName("budget-per-second")
        @WithDefault("5")
        double budgetPerSecond();

        /** How many of those calls may go at once (the shared bucket's depth; AWS's is 40). */
        @WithName("budget-burst")
        @WithDefault("20")
        double budgetBurst();

        /** How many calls of the burst only revokes may use: creates and updates wait or get 429 first. */
        @WithName("budget-revoke-reserve")
        @WithDefault("5")
        double budgetRevokeReserve();

        /**
         * Cognito user-pool-client reads, and separately writes, a second that every instance and the
         * CLI together may make in one account and Region (AWS allows about 15 each, and 5 a second of
         * each client operation on one pool, which binds a webhook with one pool); 0: none.
         */
        @WithName("cognito-budget-per-second")
        @WithDefault("5")
        double cognitoBudgetPerSecond();

        /** How many of those may go at once. */
        @WithName("cognito-budget-burst")
        @WithDefault("5")
        double cognitoBudgetBurst();

        /** How many of that burst only revokes may use. */
        @WithName("cognito-budget-revoke-reserve")
        @WithDefault("2")
        double cognitoBudgetRevokeReserve();

        /**
         * When AWS throttles a call anyway: how long every instance's next call of that budget waits
         * (the budget is emptied, and this on top); a request whose deadline cannot take it is 429.
         */
        @WithName("throttle-backoff")
        @WithDefault("PT1S")
        Duration throttleBackoff();
    }

    /** {@link Aws#assignablePlans()}. */
    enum PlanRule { ANY, TAGGED }

    interface Cognito {
        @WithName("user-pool-id")
        Optional<String> userPoolId();

        /** A domain prefix, or a full custom-domain URL. */
        Optional<String> domain();

        @WithName("access-token-validity")
        @WithDefault("PT1H")
        Duration accessTokenValidity();
    }
}
