package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.apigateway.model.GetApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The undo of an update in AWS: every key back to what its journal entry ({@link KeyBefore}) recorded
 * before the update changed it, every client back as {@link ClientBefore} recorded it, and the keys the
 * update made in targets the app had not used before removed. The request's failure path and the
 * sweeper both come here ({@link AwsCredentialProvider#restore}); the update itself is
 * {@link ApiKeys#converge} and {@link AppClients#converge}.
 */
@ApplicationScoped
class UpdateUndo {

    @Inject
    ApiKeys apiKeys;

    @Inject
    PlanAttachments attachments;

    @Inject
    PlaceResolver where;

    @Inject
    ClientBefore clientBefore;

    void restore(List<ResourceRef> journaled, String operationId) {
        each(journaled, ref -> {
            if (ApiKeys.PLANS_BEFORE.equals(ref.type())) {
                restore(ref);
            } else if (ClientBefore.TYPE.equals(ref.type())) {
                clientBefore.restore(ref);
            } else if (madeBy(ref, operationId)) {
                apiKeys.remove(ref, Removal.ROLLBACK);
            }
        });
    }

    /**
     * Only the keys the update made itself, deleted; nothing put back. For an update whose lease another
     * process took over: that process restores from the journal it read, and a restore by this one
     * could undo a later operation's change.
     */
    void removeMade(List<ResourceRef> journaled, String operationId) {
        each(journaled, ref -> {
            if (madeBy(ref, operationId)) {
                apiKeys.remove(ref, Removal.ROLLBACK);
            }
        });
    }

    /** A key the update made (in a target the app had not used): journaled with the update's own operation id. */
    private static boolean madeBy(ResourceRef ref, String operationId) {
        return ApiKeys.TYPE.equals(ref.type()) && operationId != null && operationId.equals(ref.operationId());
    }

    /** {@code action} on every entry, each on its own; the first failure, explained, once all were tried. */
    private void each(List<ResourceRef> journaled, Consumer<ResourceRef> action) {
        RuntimeException failure = null;
        for (ResourceRef ref : journaled) {
            try {
                action.accept(ref);
            } catch (RuntimeException e) {
                failure = failure == null ? where.explain(List.of(ref), e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Undoes a failed update from its journal entry ({@link KeyBefore}, either version): puts the
     * key back in exactly the plans it had (detaches first, then attaches), and back to the name and
     * customerId it had when the entry records them. A key that is gone is done, once the Region is
     * proved right.
     */
    void restore(ResourceRef journaled) {
        KeyBefore.from(journaled).ifPresent(before -> restore(journaled, where.at(journaled), before));
    }

    private void restore(ResourceRef journaled, AwsTarget t, KeyBefore before) {
        String keyId = before.keyId();
        Set<String> previous = before.plans();
        Set<String> current;
        GetApiKeyResponse key;
        try {
            key = apiKeys.missing(journaled, t, () -> AwsErrors.call("apigateway:GET", "API key " + keyId,
                    AwsErrors.Missing.CREDENTIAL, () -> t.apiRevoke(() -> t.apiGateway().getApiKey(b -> b.apiKey(keyId)))));
            current = apiKeys.attachedPlans(t, keyId);
        } catch (WebhookException e) {
            if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        List<PatchOperation> patch = new ArrayList<>();
        if (before.name() != null && !before.name().equals(key.name())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/name").value(before.name()).build());
        }
        if (before.customerId() != null && !before.customerId().equals(key.customerId())) {
            patch.add(PatchOperation.builder().op(Op.REPLACE).path("/customerId").value(before.customerId()).build());
        }
        if (!patch.isEmpty()) {
            try {
                AwsErrors.run("apigateway:PATCH", "API key " + keyId, AwsErrors.Missing.CREDENTIAL,
                        () -> t.apiRevoke(() -> t.apiGateway().updateApiKey(b -> b.apiKey(keyId).patchOperations(patch))));
            } catch (WebhookException e) {
                if (e.kind() == WebhookException.Kind.NOT_FOUND) {
                    return;
                }
                throw e;
            }
        }
        attachments.detach(t, keyId, current.stream().filter(p -> !previous.contains(p)).toList());
        for (String plan : previous.stream().filter(p -> !current.contains(p)).toList()) {
            try {
                attachments.attach(t, keyId, List.of(plan), false);
            } catch (WebhookException e) {
                // the key gone, or the plan deleted since: nothing left to restore there
                if (e.kind() != WebhookException.Kind.NOT_FOUND && e.kind() != WebhookException.Kind.UNPROCESSABLE) {
                    throw e;
                }
            }
        }
    }
}
