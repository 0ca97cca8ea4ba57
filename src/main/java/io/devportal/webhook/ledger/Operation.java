package io.devportal.webhook.ledger;

import io.devportal.webhook.model.ResourceRef;

import java.time.Instant;
import java.util.List;

/** A journal row: the intent of one create, update or revoke, and what it has made so far. */
public record Operation(String id, Kind kind, String credentialId, Status status,
                        List<ResourceRef> resources, Instant startedAt) {

    /**
     * What an operation does. RETIRE is a revoke that always deletes (an orphan, a forgotten or
     * stale credential), whatever the configured revoke mode: the sweeper finishes it the same way.
     */
    public enum Kind { CREATE, UPDATE, REVOKE, RETIRE }

    public enum Status { IN_PROGRESS, DONE, FAILED, ROLLED_BACK }

    public Operation {
        resources = List.copyOf(resources);
    }
}
