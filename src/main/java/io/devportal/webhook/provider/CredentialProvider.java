package io.devportal.webhook.provider;

import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.model.CredentialKind;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where credentials are really issued. The orchestration ({@code provisioning}) owns the journal,
 * the ledger and the rollback; a provider only acts and reports what it did.
 *
 * <p>Selected by {@code webhook.provider}; every implementation is looked up by that property.</p>
 */
public interface CredentialProvider {

    /** The value of {@code webhook.provider} that selects this provider; stored in the ledger. */
    String name();

    /**
     * Issues a new credential. Before each resource is created the provider calls
     * {@link ResourceJournal#intend}, and after it {@link ResourceJournal#created}. On failure it
     * throws without undoing: the caller tears down what the journal holds.
     */
    IssuedCredential issue(CredentialSpec spec, ResourceJournal journal);

    /** The credential again, secret included, for an idempotent retry of create. */
    IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources);

    /**
     * Brings an existing credential to {@code desired}: its APIs, usage plans, scopes and name.
     *
     * @throws WebhookException of kind NOT_FOUND when the credential no longer exists
     */
    Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal);

    /**
     * Removes every resource it is given, each on its own (one failure does not stop the others),
     * as {@code mode} says. "Already gone" counts as done only where the provider has proved that
     * the place it looked in exists (no silent success on a wrong pool or Region), so this serves
     * rollback, revoke and the sweeper alike, and may be repeated.
     */
    void remove(List<ResourceRef> resources, Removal mode);

    /**
     * Undoes a failed update: brings the credential back to the state that {@link #converge}
     * journaled before it changed anything (the AWS provider: the key's previous usage plans).
     * "Already gone" counts as done; may be repeated (the sweeper retries it).
     */
    default void restore(List<ResourceRef> journaled) {
    }

    /**
     * {@link #restore(List)} of the update {@code operationId}: also removes what that update made
     * itself (journaled with its operation id), such as an API key in a target the app had not used.
     */
    default void restore(List<ResourceRef> journaled, String operationId) {
        restore(journaled);
    }

    /**
     * Removes what the update {@code operationId} made itself (as {@link #restore(List, String)} does),
     * and puts nothing back: the update lost its lease to another process, which restores from the
     * journal it read then, and that journal may lack what this update made since.
     */
    default void removeMade(List<ResourceRef> journaled, String operationId) {
    }


    /**
     * A live credential of this webhook that the ledger does not know (a restored backup, a lost
     * row), by the id the portal holds: every resource it consists of (a hybrid's client and its
     * key). Empty when it does not exist, or when it exists but was not made by this webhook: such
     * a credential is never touched.
     */
    default List<ResourceRef> findManaged(CredentialKind kind, String externalId) {
        return List.of();
    }

    /**
     * What a managed credential's own resources say about it, to rebuild its ledger record after a
     * restore ({@code reconcile --adopt}). Any field may be null (or empty) when the resources do not
     * carry it: the credential id and the exact app id come from an API key's tags only.
     *
     * @param usagePlans an API key's usage plans now
     * @param scopes     a client's scopes now
     * @param usagePlansByTarget for a key that lives in several targets: each target's plans (first
     *                   target first); empty otherwise
     */
    record Marks(String credentialId, String appId, String appName, String developer, List<String> usagePlans,
                 List<String> scopes, Map<String, List<String>> usagePlansByTarget) {
        public Marks {
            usagePlans = usagePlans == null ? List.of() : List.copyOf(usagePlans);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            usagePlansByTarget = usagePlansByTarget == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(usagePlansByTarget));
        }

        /** Marks of resources in one target. */
        public Marks(String credentialId, String appId, String appName, String developer, List<String> usagePlans,
                     List<String> scopes) {
            this(credentialId, appId, appName, developer, usagePlans, scopes, Map.of());
        }
    }

    /**
     * The {@link Marks} of a managed credential's resources (as {@link #findManaged} returns them),
     * read from the provider now; empty when this provider keeps none.
     */
    default Optional<Marks> marks(List<ResourceRef> resources) {
        return Optional.empty();
    }

    /**
     * Throws a {@link WebhookException} (422) when a managed credential may not be adopted as it is:
     * it holds something the portal may no longer hand out (a usage plan the platform team has not
     * marked assignable). Nothing by default.
     */
    default void refuseAdoption(List<ResourceRef> resources) {
    }

    /**
     * Where a resource recorded before places is, when it is not in its target's configured place
     * ({@code reconcile --apply --settle-gone}, {@link #whereabouts}).
     *
     * @param found the resource where it was found now (its place is recorded), or null: provably
     *              absent from every configured place that could hold it
     * @param lived its target's place as configured now, where the operator says it lived (recorded
     *              when it was found nowhere)
     */
    record Whereabouts(ObservedResource found, Place lived) {
    }

    /**
     * A resource recorded before places that {@link #observe} did not find in its target's configured
     * place, looked for by id in every configured place that could hold it. Empty when this provider
     * records no places (there "not found" is "gone" already).
     *
     * @throws WebhookException when its absence cannot be proved somewhere (a place unreachable, access
     *                          denied, throttled, or the configured place not proved to exist)
     */
    default Optional<Whereabouts> whereabouts(ResourceRef resource) {
        return Optional.empty();
    }

    /** A cheap check of the provider's dependencies. */
    ProviderHealth health();

    /**
     * Every resource this provider manages that exists now, live or disabled, whoever holds it
     * (for the admin CLI's reconcile, which looks for orphans). The AWS provider lists the API
     * keys tagged {@code devportal-webhook:managed} and the app clients that carry the webhook's
     * name marker; usage plans are not read here ({@link #observe} reads them).
     */
    List<ObservedResource> inventory();

    /**
     * One resource as it is now: an API key with its usage plans, a client with its scopes.
     * Empty when it no longer exists.
     */
    Optional<ObservedResource> observe(ResourceRef resource);
}
