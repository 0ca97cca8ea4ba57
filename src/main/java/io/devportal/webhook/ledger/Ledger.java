package io.devportal.webhook.ledger;

import io.devportal.webhook.provider.ApiAccess;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.ResourceRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The credentials ledger and the write-ahead operation journal. Every implementation keeps the
 * same promises:
 * <ul>
 *   <li>every write is durable when the method returns (a 2xx that follows survives a crash);</li>
 *   <li>at most one pending or active credential per app, also under concurrent creates;</li>
 *   <li>no method takes or returns a secret.</li>
 * </ul>
 * The implementations live in their own packages ({@code ledger.jdbc}, {@code ledger.dynamodb}); {@link LedgerSelection}
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
     * Writes the intent of a create: a pending credential that claims the app, and its journal
     * row, atomically. Returns the operation id, or empty when another credential of the app is live.
     */
    Optional<String> beginCreate(CredentialRecord pending, Instant now);

    /** Writes the intent of an update or revoke of an existing credential. */
    String beginOperation(Operation.Kind kind, String credentialId, List<ResourceRef> resources, Instant now);

    /** Journals the resources an operation has planned or made so far (the whole list each time). */
    void journalResources(String operationId, List<ResourceRef> resources, Instant now);

    /** The create succeeded: the credential becomes active and its operation done. */
    void completeCreate(String operationId, String credentialId, String apiKeyId, String clientId,
                        List<String> scopes, List<ResourceRef> resources, Instant now);

    /** The create was undone: the credential releases its app and its operation is rolled back. */
    void rollBackCreate(String operationId, String credentialId, String error, Instant now);

    /** The update succeeded: the ledger takes the new APIs, name, scopes and resources. */
    void completeUpdate(String operationId, String credentialId, String appName, String developer,
                        List<ApiAccess> apis, List<String> scopes, List<ResourceRef> resources, Instant now);

    /** The revoke succeeded: the credential is revoked for good and releases its app. */
    void completeRevoke(String operationId, String credentialId, Instant now);

    /** An update or revoke failed and left the credential as it was, or converging on retry. */
    void failOperation(String operationId, String error, Instant now);

    /** Operations still in progress that started before {@code startedBefore}: left by a crash. */
    List<Operation> staleOperations(Instant startedBefore);

    /** Journal rows of one credential, oldest first. */
    List<Operation> operationsOf(String credentialId);

    /** Credentials matching the query (the admin CLI's list, reconcile and the gauges). */
    List<CredentialRecord> list(CredentialQuery query);

    /** Appends one audit record; records are never changed or removed. */
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
