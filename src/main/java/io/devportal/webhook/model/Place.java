package io.devportal.webhook.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a resource lives, recorded with it when it is journaled, so that every later action
 * (update, revoke, undo, the sweeper, reconcile, adoption) acts there and nowhere else, whatever
 * the configuration says by then.
 *
 * @param account  the AWS account id (12 digits); null while it is not known yet (a target without
 *                 a role ARN before its account was resolved)
 * @param region   the Region, such as {@code us-east-1}
 * @param userPool for an app client, its user pool id; null for anything else
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Place(String account, String region, String userPool) {

    /** The same place with the account filled in when it was unknown. */
    public Place withAccount(String resolved) {
        return account != null || resolved == null ? this : new Place(resolved, region, userPool);
    }

    /** "account 123456789012, Region us-east-1, user pool ..." for messages. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("account ").append(account == null ? "(not resolved)" : account).append(", Region ").append(region);
        if (userPool != null) {
            s.append(", user pool ").append(userPool);
        }
        return s.toString();
    }
}
