package io.devportal.webhook.provider.aws;

import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUserPoolClientsResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UpdateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.List;
import java.util.Optional;

/**
 * Cognito app clients for the OAuth client-credentials grant, in the configured user pool.
 * Scopes come from {@code webhook.apis."<apiId>".scopes}, or by convention from the resource server
 * whose identifier is the API id.
 */
@ApplicationScoped
class AppClients {
    static final String TYPE = "cognito:app-client";
    static final int MAX_SCOPES = 50;

    /** A client, its secret and the scopes it was granted. */
    record Issued(ResourceRef ref, String secret, List<String> scopes) {
        @Override
        public String toString() {
            return "Issued[" + ref + ", scopes=" + scopes + ", secret=***]";
        }
    }

    @Inject
    AwsTargets targets;

    @Inject
    ClientScopes clientScopes;

    @Inject
    AwsClients clients;

    @Inject
    WebhookConfig config;

    @Inject
    AwsPlaces places;

    @Inject
    PlaceResolver where;

    @Inject
    ClientMarks clientMarks;

    @Inject
    ControlPlaneBudget budget;

    Issued create(CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = targets.poolFor(spec.apis());
        String pool = t.userPoolId();
        List<String> scopes = clientScopes.of(t, spec.apis());
        String name = clientMarks.name(spec.appName(), spec.appId(), spec.operationId());
        t.requireCredentials();
        ResourceRef planned = new ResourceRef(TYPE, null, name, spec.operationId(), t.name())
                .withPlace(where.ofClient(t, pool));
        budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_WRITE, 1, false);  // before the journal: a refusal leaves nothing to undo
        journal.intend(planned);
        int minutes = accessTokenMinutes();
        UserPoolClientType created = IdempotentCreate.run(clients.maxAttempts(), config.aws().lookupSettle(), "cognito-idp:CreateUserPoolClient",
                "user pool " + pool + " (a client with scopes " + String.join(" ", scopes) + ")",
                AwsErrors.Missing.CONFIGURED,
                () -> t.clientWrite(() -> t.cognitoOnce().createUserPoolClient(b -> b.userPoolId(pool).clientName(name)
                        .generateSecret(true)
                        .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                        .allowedOAuthFlowsUserPoolClient(true)
                        .allowedOAuthScopes(scopes)
                        .accessTokenValidity(minutes)
                        .tokenValidityUnits(TokenValidityUnitsType.builder().accessToken(TimeUnitsType.MINUTES).build())
                        .enableTokenRevocation(true))).userPoolClient(),
                () -> {
                    budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, 1, false);  // the lookup after an ambiguous failure
                    return findByName(t, pool, name).stream().findFirst().map(id -> {
                        budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, 1, false);
                        return describe(t, id);
                    });
                });
        ResourceRef made = planned.withId(created.clientId());
        journal.created(made);
        return new Issued(made, created.clientSecret(), scopes);
    }

    /**
     * The client as Cognito has it now, in its recorded place ({@link PlaceResolver}); NOT_FOUND when
     * it is gone from there (a row written before places: 503).
     */
    UserPoolClientType describe(ResourceRef client) {
        AwsTarget t = where.at(client);
        try {
            return describe(t, where.pool(client, t), client.id());
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                where.notFound(client, t);
            }
            throw e;
        }
    }

    private static UserPoolClientType describe(AwsTarget t, String pool, String clientId) {
        return AwsErrors.call("cognito-idp:DescribeUserPoolClient", "app client " + clientId,
                AwsErrors.Missing.CREDENTIAL,
                () -> t.clientRead(() -> t.cognito().describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId))).userPoolClient());
    }

    /** A client found in the target's own pool (no journal entry says where it lives); "gone" once the pool is proved. */
    UserPoolClientType describe(AwsTarget t, String clientId) {
        String pool = t.userPoolId();
        try {
            return describe(t, pool, clientId);
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                // Cognito says the same for a wrong pool: prove the pool before "gone" is believed
                places.proveUserPool(t, pool);
            }
            throw e;
        }
    }

    /**
     * Converges the client's scopes, name and token validity. UpdateUserPoolClient resets every
     * field it is not sent, so the request starts as a copy of every field the client has now.
     */
    List<String> converge(ResourceRef ref, CredentialSpec spec, ResourceJournal journal) {
        AwsTarget t = where.at(ref);
        requireSamePool(ref, spec);
        List<String> scopes = clientScopes.of(t, spec.apis());
        budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, 1, false);
        UserPoolClientType current = describe(ref);
        // journaled before the change, so that the update's undo puts the client back as it is now
        journal.intend(ClientBefore.entry(ref.placeRecorded() ? ref : ref.withPlace(where.ofClient(t,
                where.pool(ref, t))), current, spec.operationId()));
        UpdateUserPoolClientRequest.Builder update = UpdateUserPoolClientRequest.builder();
        copyMatchingFields(current, update);
        update.userPoolId(where.pool(ref, t))
                .clientId(ref.id())
                .clientName(clientMarks.rename(spec.appName(), spec.appId(), current.clientName()))
                .allowedOAuthScopes(scopes)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                .allowedOAuthFlowsUserPoolClient(true)
                .accessTokenValidity(accessTokenMinutes())
                .tokenValidityUnits(units(current.tokenValidityUnits()));
        UpdateUserPoolClientRequest request = update.build();
        budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_WRITE, 1, false);
        AwsErrors.run("cognito-idp:UpdateUserPoolClient", "app client " + ref.id(), AwsErrors.Missing.CREDENTIAL,
                () -> t.clientWrite(() -> t.cognito().updateUserPoolClient(request)));
        return scopes;
    }

    /** A 422 when the spec's client-credentials APIs need another pool than the client's: it cannot move. */
    void requireSamePool(ResourceRef ref, CredentialSpec spec) {
        AwsTarget t = where.at(ref);
        AwsTarget wanted = targets.poolFor(spec.apis());
        // a recorded client lives in its recorded pool, whatever its target is called or configured as now
        boolean same = ref.placeRecorded() && ref.place().userPool() != null
                ? where.reaches(wanted, ref.place()) && ref.place().userPool().equals(wanted.ownUserPool().orElse(null))
                : wanted.name().equals(t.name());
        if (!same) {
            String pool = ref.placeRecorded() && ref.place().userPool() != null ? ref.place().userPool()
                    : t.ownUserPool().orElse("(none)");
            throw new WebhookException(WebhookException.Kind.UNPROCESSABLE, "apis: the app's client-credentials APIs "
                    + "now need user pool " + wanted.ownUserPool().orElse("(none)") + " of target " + wanted.label()
                    + ", and its app client lives in user pool " + pool + " of target "
                    + t.label() + "; a client cannot move between pools: revoke and create the credential again");
        }
    }

    /**
     * Deletes the client. One known only by name (a crash came between the create call and its
     * journal entry) is found by its exact name <em>and</em> the operation marker in that name
     * ({@link ClientNames}): only the client this ref's operation made, never every client of the app. A
     * ref journaled before names carried the marker therefore matches nothing, and its client (if
     * one was made) is left for reconcile, which lists it as an orphan. "Already gone" counts as done
     * in its recorded place ({@link PlaceResolver}: its account, Region and pool); a row written before
     * places were recorded is never taken as gone from the configured pool (503).
     */
    void remove(ResourceRef ref) {
        AwsTarget t = where.at(ref);
        remove(ref, where.pool(ref, t));
    }

    /** {@link #remove(ResourceRef)} in {@code pool}: the recorded (or configured) pool, or (tests) another. */
    void remove(ResourceRef ref, String pool) {
        AwsTarget t = where.at(ref);
        if (!ref.hasId()) {
            budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_READ, 1, true);
        }
        List<String> ids = ref.hasId() ? List.of(ref.id()) : findOwnByName(t, pool, ref.name(), ref.operationId());
        budget.reserve(t, ControlPlaneBudget.Bucket.COGNITO_CLIENT_WRITE, ids.size(), true);
        if (ids.isEmpty()) {
            where.notFound(ref, t);
        }
        for (String id : ids) {
            try {
                t.clientRevoke(() -> t.cognito().deleteUserPoolClient(b -> b.userPoolId(pool).clientId(id)));
            } catch (SdkException e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw AwsErrors.map(e, "cognito-idp:DeleteUserPoolClient", "app client " + id,
                            AwsErrors.Missing.CREDENTIAL);
                }
                where.notFound(ref, t);
            }
        }
    }

    /** The clients named exactly {@code name} whose name carries the marker of {@code operationId}. */
    List<String> findOwnByName(AwsTarget t, String pool, String name, String operationId) {
        if (name == null || operationId == null
                || !ClientNames.operationHash(operationId).equals(ClientNames.operationHashOf(name))) {
            return List.of();
        }
        return findByName(t, pool, name);
    }

    private List<String> findByName(AwsTarget t, String pool, String name) {
        return Pages.all(from -> AwsErrors.call("cognito-idp:ListUserPoolClients", "user pool " + pool,
                        AwsErrors.Missing.CONFIGURED,
                        () -> t.clientRead(() -> t.cognito().listUserPoolClients(b -> b.userPoolId(pool).maxResults(60).nextToken(from)))),
                        ListUserPoolClientsResponse::userPoolClients, ListUserPoolClientsResponse::nextToken)
                .stream().filter(c -> name.equals(c.clientName())).map(UserPoolClientDescription::clientId).toList();
    }

    /**
     * The client, when it exists and is provably made by this webhook ({@link ClientMarks#proves}: a
     * mark in its name that verifies under the configured key, or for an unmarked name the marker of
     * before, and the webhook's shape). Any other client is never touched.
     */
    Optional<ResourceRef> findManaged(AwsTarget t, String clientId) {
        String pool = t.userPoolId();
        UserPoolClientType client;
        try {
            client = t.clientRead(() -> t.cognito().describeUserPoolClient(b -> b.userPoolId(pool).clientId(clientId))).userPoolClient();
        } catch (SdkException e) {
            if (AwsErrors.isNotFound(e)) {
                places.proveUserPool(t, pool);
                return Optional.empty();
            }
            throw AwsErrors.map(e, "cognito-idp:DescribeUserPoolClient", "app client " + clientId,
                    AwsErrors.Missing.CREDENTIAL);
        }
        return clientMarks.proves(client) ? Optional.of(new ResourceRef(TYPE, clientId, client.clientName(), null, t.name())
                .withPlace(where.ofClient(t, pool))) : Optional.empty();
    }

    /**
     * What a managed client's name and settings say about its credential, for {@code reconcile
     * --adopt}: the app's name as its name carries it (Cognito's alphabet, at most 107 characters),
     * and its scopes. The app id is not recoverable: the name holds only 10 hex digits of its hash.
     */
    CredentialProvider.Marks marks(ResourceRef ref) {
        UserPoolClientType client = describe(ref);
        String name = client.clientName() == null ? "" : client.clientName();
        var marker = ClientNames.OPERATION_MARKER.matcher(name);
        String appName = marker.find() ? name.substring(0, marker.start())
                : ClientNames.NAME_MARKER.matcher(name).replaceFirst("");
        return new CredentialProvider.Marks(null, null, appName, null, List.of(),
                client.allowedOAuthScopes() == null ? List.of() : List.copyOf(client.allowedOAuthScopes()));
    }

    /** The token endpoint developers call, from a domain prefix or a full custom-domain URL. */
    Optional<String> tokenUrl(AwsTarget t) {
        return t.config().cognitoDomain().map(String::strip).filter(d -> !d.isEmpty()).map(domain -> {
            if (domain.startsWith("https://") || domain.startsWith("http://")) {
                String base = domain.endsWith("/") ? domain.substring(0, domain.length() - 1) : domain;
                return base.endsWith("/oauth2/token") ? base : base + "/oauth2/token";
            }
            String region = t.region();
            return "https://" + domain + ".auth." + region + ".amazoncognito.com/oauth2/token";
        });
    }

    private int accessTokenMinutes() {
        long minutes = config.cognito().accessTokenValidity().toMinutes();
        return (int) Math.max(5, Math.min(1440, minutes));
    }

    private static TokenValidityUnitsType units(TokenValidityUnitsType current) {
        TokenValidityUnitsType.Builder units = current == null ? TokenValidityUnitsType.builder() : current.toBuilder();
        return units.accessToken(TimeUnitsType.MINUTES).build();
    }

    /** Copies every field that the described client and the update request share, by the SDK's own field model. */
    static void copyMatchingFields(UserPoolClientType from, UpdateUserPoolClientRequest.Builder to) {
        for (SdkField<?> field : to.sdkFields()) {
            from.getValueForField(field.memberName(), Object.class).ifPresent(value -> field.set(to, value));
        }
    }

}
