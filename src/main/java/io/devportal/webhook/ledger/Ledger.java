package io.devportal.webhook.ledger;

import io.devportal.webhook.model.ApiAccess;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.model.ResourceRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The credentials ledger and the write-ahead operation journal. Every implementation keeps the
 * same promises:
 * <ul>
 *   <li>every write is durable when the method returns (a 2xx that follows survives a crash);</li>
 *   <li>one operation at a time changes a credential: it holds the credential's {@link Lease},
 *       taken by a compare-and-set, and every write it makes is conditional on that lease's fence
 *       and on the status its {@link Transition} expects; a refused write changes nothing and
 *       throws {@link LeaseLost};</li>
 *   <li>at most one pending or active credential per app, also under concurrent creates;</li>
 *   <li>no method takes or returns a secret.</li>
 * </ul>
 * The implementations live in their own packages ({@code ledger.jdbc}, {@code ledger.dynamodb}); {@code ledger.selection.LedgerSelection}
 * picks one from {@code webhook.ledger}.
 */
public interface Ledger {

    /** The pending or active credential of an app, if any. */
    Optional<CredentialRecord> findLive(String appId);

    Optional<CredentialRecord> find(String credentialId);

    /**
     * The newest active or revoked credential that the portal knows by this id. Pending and
     * rolled-back ones are never returned: the portal cannot hold their ids.
     */
    Optional<CredentialRecord> findByExternalId(CredentialKind kind, String externalId);

    /**
     * Writes the intent of a create: a pending credential that claims the app, its journal row,
     * and the credential's first lease, atomically. Empty when another credential of the app is live.
     */
    Optional<Lease> beginCreate(CredentialRecord pending, Duration leaseFor, Instant now);

    /**
     * Writes the intent of an operation on an existing credential and takes its lease, as one
     * compare-and-set: granted only when the credential is in status {@code expected} and no other
     * operation holds it. The journal row starts with the credential's resources as they are when
     * the lease is granted (read in the same compare-and-set): exactly what the operation, reading
     * the credential under the lease, acts on, whatever an operation that ran while this one waited
     * made of them. The write-ahead record of a revoke, a retire and an update.
     *
     * @throws LeaseRefused when the credential is held by another operation, or not in {@code expected}
     */
    Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                         Duration leaseFor, Instant now);

    /**
     * {@link #beginOperation(Operation.Kind, String, CredentialRecord.Status, Duration, Instant)} with a
     * journal row that starts with {@code resources} instead: for an operation that names what it acts
     * on only once it has decided under the lease (a re-check starts empty). Never a list read before
     * the lease: the credential may have changed since.
     */
    Lease beginOperation(Operation.Kind kind, String credentialId, CredentialRecord.Status expected,
                         List<ResourceRef> resources, Duration leaseFor, Instant now);

    /**
     * The sweeper's takeover of an operation whose lease has expired: the same compare-and-set,
     * raising the fence so that the old holder's every later write is refused. Empty when the
     * lease has not expired, or the operation no longer holds it (finished, or taken already).
     */
    Optional<Lease> takeOver(String operationId, Duration leaseFor, Instant now);

    /**
     * Gives the lease up at once without finishing the operation: its journal row stays in
     * progress and its lease is made expired, so the sweeper (or the next request on the
     * credential) takes it over at once. For an operation that could not be undone or completed.
     * Does nothing when the lease is no longer held.
     */
    void abandon(Lease lease);

    /** Who holds the credential now; empty when nobody does. */
    Optional<LeaseState> lease(String credentialId);

    /** Journals the resources an operation has planned or made so far (the whole list each time). */
    void journalResources(Lease lease, List<ResourceRef> resources, Instant now);

    /** The create succeeded: the pending credential becomes active, its operation done, its lease released. */
    void completeCreate(Lease lease, String apiKeyId, String clientId, List<String> scopes,
                        List<ResourceRef> resources, Instant now);

    /** The create was undone: the pending credential releases its app and its operation is rolled back. */
    void rollBackCreate(Lease lease, String error, Instant now);

    /** The update succeeded: the active credential takes the new APIs, name, scopes and resources. */
    void completeUpdate(Lease lease, String appName, String developer, List<ApiAccess> apis, List<String> scopes,
                        List<ResourceRef> resources, Instant now);

    /** The revoke succeeded: the active credential is revoked for good and releases its app. */
    void completeRevoke(Lease lease, Instant now);

    /** An operation failed and left the credential as it was: the row is closed FAILED, the lease released. */
    void failOperation(Lease lease, String error, Instant now);

    /**
     * Operations still in progress whose lease has expired (in the store's time, less its
     * clock-skew margin): left by a crash, or by a request that could not undo its work.
     */
    List<Operation> staleOperations(Instant now);

    /** Every operation in progress, leased or abandoned, oldest first (for reconcile). */
    List<Operation> operationsInProgress();

    /** One journal row, read strongly consistently. */
    Optional<Operation> findOperation(String operationId);

    /** Journal rows of one credential, oldest first. */
    List<Operation> operationsOf(String credentialId);

    /** Credentials matching the query (the admin CLI's list, reconcile and the gauges). */
    List<CredentialRecord> list(CredentialQuery query);

    /** What stands in for an erased app name or developer ({@link #erasePersonalData}). */
    String ERASED = "(erased)";

    /**
     * Data retention: erases the app's name, the developer's e-mail and the app id (which holds
     * them when there is no slug) from a credential that has ended (REVOKED or ROLLED_BACK) and from
     * its audit records, including the refused creates of the same app id. Ids, statuses, times,
     * outcomes and resources stay; the app id becomes {@code erased:<appHash>}. Does nothing to a
     * live credential.
     */
    void erasePersonalData(CredentialRecord ended);

    /** The app id that an erased record keeps: the hash of the real one, nothing readable. */
    static String erasedAppId(String appId) {
        return appId.startsWith("erased:") ? appId : "erased:" + appHash(appId);
    }

    /** Appends one audit record; records are never changed or removed, but for {@link #erasePersonalData}. */
    void appendAudit(AuditRecord record);

    /** Audit records matching the query, oldest first. */
    List<AuditRecord> audit(AuditRecord.Query query);

    /** SHA-256 hex of an app identity: the key that lets one app hold one live credential. */
    static String appHash(String appId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(appId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
