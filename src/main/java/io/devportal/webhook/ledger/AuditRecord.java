package io.devportal.webhook.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One append-only audit record: what was done to which credential, for whom, by whom, and how it
 * ended. Ids only: never a secret.
 *
 * @param id            unique id of the record
 * @param at            when the operation ended
 * @param operation     CREATE, UPDATE, REVOKE, ROLLBACK, RETIRE, SWEEP, RECONCILE or ADOPT
 * @param outcome       {@code issued}, {@code idempotent}, {@code done}, or the error code of a failure
 * @param credentialId  the ledger's credential id (null when the ledger has none)
 * @param apiKeyId      the API key's id, if any
 * @param clientId      the app client's id, if any
 * @param appId         the app's identity, as the ledger keys it
 * @param appName       the app's name
 * @param developer     the developer's e-mail
 * @param resources     the ids of the AWS (or local) resources touched
 * @param account       the label of the portal account that called, {@code system} for the sweeper and CLI
 * @param clientAddress the caller's address, if any
 * @param requestId     the request id (also in the request's log line), if any
 */
public record AuditRecord(String id, Instant at, String operation, String outcome, String credentialId,
                          String apiKeyId, String clientId, String appId, String appName, String developer,
                          List<String> resources, String account, String clientAddress, String requestId) {

    public AuditRecord {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /**
     * Which audit records to read; a null field does not filter. {@code since} is inclusive;
     * {@code app} matches the app id or the app name exactly. Oldest first (by time, then in the order written);
     * with {@code limit > 0}, only the newest {@code limit} of them; {@code limit <= 0}: all.
     */
    public record Query(Instant since, String app, String credentialId, int limit) {
    }
}
