package io.devportal.webhook.provisioning;

import io.devportal.webhook.ledger.Lease;
import io.devportal.webhook.ledger.Ledger;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The provider's view of one journal row, written under its operation's lease. Every call rewrites the row's resource list before it
 * returns, so a crash at any point leaves enough behind for the sweeper to find what was made.
 */
final class OperationJournal implements ResourceJournal {
    private final Ledger ledger;
    private final Clock clock;
    private final Lease lease;
    private final List<ResourceRef> resources;

    OperationJournal(Ledger ledger, Clock clock, Lease lease, List<ResourceRef> initial) {
        this.ledger = ledger;
        this.clock = clock;
        this.lease = lease;
        this.resources = new ArrayList<>(initial);
    }

    @Override
    public synchronized void intend(ResourceRef planned) {
        resources.add(planned);
        ledger.journalResources(lease, List.copyOf(resources), clock.instant());
    }

    @Override
    public synchronized void created(ResourceRef made) {
        int planned = indexOfPlan(made);
        if (planned >= 0) {
            resources.set(planned, made);
        } else {
            resources.add(made);
        }
        ledger.journalResources(lease, List.copyOf(resources), clock.instant());
    }

    /** Journals entries that name what the operation is about to act on (one write for all). */
    synchronized void add(List<ResourceRef> entries) {
        resources.addAll(entries);
        ledger.journalResources(lease, List.copyOf(resources), clock.instant());
    }

    synchronized List<ResourceRef> resources() {
        return List.copyOf(resources);
    }

    String operationId() {
        return lease.operationId();
    }

    Lease lease() {
        return lease;
    }

    /** The plan this resource fulfils: the same id, or the same type, name and target with no id yet. */
    private int indexOfPlan(ResourceRef made) {
        for (int i = 0; i < resources.size(); i++) {
            ResourceRef r = resources.get(i);
            boolean sameId = r.hasId() && r.id().equals(made.id());
            // the same target too: one key has the same name in every target it lives in
            boolean namedPlan = !r.hasId() && r.type().equals(made.type()) && Objects.equals(r.name(), made.name())
                    && r.target().equals(made.target());
            if (sameId || namedPlan) {
                return i;
            }
        }
        return -1;
    }
}
