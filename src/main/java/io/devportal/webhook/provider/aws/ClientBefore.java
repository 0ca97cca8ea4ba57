package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.Before;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UpdateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an update journals about an app client before UpdateUserPoolClient changes it: its name,
 * scopes and access-token validity then ({@link Before.Client}, {@code "client/1"}), so that the
 * update's undo (on the request's failure path, or in the sweeper) puts them back. It travels as a
 * {@link ResourceRef} of type {@link #TYPE}: {@code id} is the client, {@code operationId} the
 * update. An older version reading the row (a rollback) does not know the type and restores the
 * client's keys only, as it always did.
 */
@ApplicationScoped
class ClientBefore {
    static final String TYPE = "cognito:app-client-before-update";

    @Inject
    AppClients appClients;

    @Inject
    PlaceResolver where;

    /**
     * Undoes a failed update from its journal entry: puts back the client's name, scopes and
     * access-token validity as they were, in the place the entry records ({@link PlaceResolver}). A
     * client gone from there is done ({@link AppClients#describe}).
     */
    void restore(ResourceRef journaled) {
        Optional<Before.Client> before = of(journaled);
        if (before.isEmpty()) {
            return;
        }
        AwsTarget t = where.at(journaled);
        try {
            UserPoolClientType current = appClients.describe(journaled);
            restoring(current, before.get(), where.pool(journaled, t)).ifPresent(request ->
                    AwsErrors.run("cognito-idp:UpdateUserPoolClient", "app client " + journaled.id(),
                            AwsErrors.Missing.CREDENTIAL, () -> t.clientRevoke(() -> t.cognito().updateUserPoolClient(request))));
        } catch (WebhookException e) {
            if (e.kind() != WebhookException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** The entry for {@code client} as it is now ({@code current}), before {@code operationId} changes it. */
    static ResourceRef entry(ResourceRef client, UserPoolClientType current, String operationId) {
        Before.Client before = new Before.Client(current.clientName(),
                current.allowedOAuthScopes() == null ? List.of() : current.allowedOAuthScopes(),
                accessTokenMinutes(current));
        return new ResourceRef(TYPE, client.id(), null, operationId, client.target(), client.place(), before);
    }

    /** The journaled state of a client, when {@code ref} is such an entry. */
    static Optional<Before.Client> of(ResourceRef ref) {
        return TYPE.equals(ref.type()) && ref.before() instanceof Before.Client c ? Optional.of(c) : Optional.empty();
    }

    /**
     * The update that puts {@code before} back on the client as it is now ({@code current}: every
     * other field copied, since UpdateUserPoolClient resets what it is not sent); empty when the
     * client is already so.
     */
    static Optional<UpdateUserPoolClientRequest> restoring(UserPoolClientType current, Before.Client before,
                                                           String pool) {
        boolean sameName = before.name() == null || before.name().equals(current.clientName());
        boolean sameScopes = new TreeSet<>(before.scopes()).equals(new TreeSet<>(
                current.allowedOAuthScopes() == null ? List.of() : current.allowedOAuthScopes()));
        boolean sameToken = before.accessTokenMinutes() == null
                || before.accessTokenMinutes().equals(accessTokenMinutes(current));
        if (sameName && sameScopes && sameToken) {
            return Optional.empty();
        }
        UpdateUserPoolClientRequest.Builder update = UpdateUserPoolClientRequest.builder();
        AppClients.copyMatchingFields(current, update);
        update.userPoolId(pool).clientId(current.clientId()).allowedOAuthScopes(before.scopes());
        if (before.name() != null) {
            update.clientName(before.name());
        }
        if (before.accessTokenMinutes() != null) {
            TokenValidityUnitsType units = current.tokenValidityUnits() == null ? TokenValidityUnitsType.builder().build()
                    : current.tokenValidityUnits();
            update.accessTokenValidity(before.accessTokenMinutes())
                    .tokenValidityUnits(units.toBuilder().accessToken(TimeUnitsType.MINUTES).build());
        }
        return Optional.of(update.build());
    }

    /** The access token's validity in minutes (Cognito's unit for it is hours when none is set). */
    static Integer accessTokenMinutes(UserPoolClientType client) {
        Integer value = client.accessTokenValidity();
        if (value == null) {
            return null;
        }
        TimeUnitsType unit = client.tokenValidityUnits() == null || client.tokenValidityUnits().accessToken() == null
                ? TimeUnitsType.HOURS : client.tokenValidityUnits().accessToken();
        return switch (unit) {
            case SECONDS -> value % 60 == 0 ? value / 60 : null;
            case MINUTES -> value;
            case HOURS -> value * 60;
            case DAYS -> value * 1440;
            default -> null;
        };
    }
}
