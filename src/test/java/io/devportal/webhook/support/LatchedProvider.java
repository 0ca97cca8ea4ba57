package io.devportal.webhook.support;

import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.provider.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.provider.ResourceRef;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local provider with latches at named points, for deterministic interleavings: a test parks
 * an operation at a point, runs another against the same credential, then releases the first.
 * Like the AWS provider's interceptor, it refuses to call the provider once the request's
 * deadline has passed, and it logs every call it lets through (with the time) for assertions.
 */
@ApplicationScoped
@LookupIfProperty(name = "webhook.provider", stringValue = "latched")
public class LatchedProvider implements CredentialProvider {

    public enum Point { BEFORE_ISSUE, BEFORE_CONVERGE, BEFORE_REMOVE, BEFORE_RESTORE }

    /** One parked point: {@link #arrived} once an operation waits there, {@link #release} lets it go on. */
    public static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no operation reached the gate");
            }
        }

        public void release() {
            released.countDown();
        }
    }

    @Inject
    LocalCredentialProvider local;

    private final Map<Point, Gate> gates = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();

    /** The next operation to reach {@code point} parks there until released. */
    public Gate park(Point point) {
        Gate gate = new Gate();
        gates.put(point, gate);
        return gate;
    }

    public void reset() {
        gates.values().forEach(Gate::release);
        gates.clear();
        synchronized (calls) {
            calls.clear();
        }
    }

    /** The provider calls let through, in order, as "operation@epochMillis". */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void at(Point point, String call) {
        Gate gate = gates.remove(point);
        if (gate != null) {
            gate.arrived.countDown();
            try {
                if (!gate.released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("gate " + point + " never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Deadline.checkCurrent("calling the provider's " + call);
        synchronized (calls) {
            calls.add(call + "@" + System.currentTimeMillis());
        }
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public IssuedCredential issue(CredentialSpec spec, ResourceJournal journal) {
        at(Point.BEFORE_ISSUE, "issue");
        return local.issue(spec, journal);
    }

    @Override
    public IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources) {
        return local.fetch(kind, resources);
    }

    @Override
    public Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal) {
        at(Point.BEFORE_CONVERGE, "converge");
        return local.converge(resources, desired, journal);
    }

    @Override
    public void remove(List<ResourceRef> resources, Removal mode) {
        at(Point.BEFORE_REMOVE, "remove");
        local.remove(resources, mode);
    }

    @Override
    public void restore(List<ResourceRef> journaled) {
        at(Point.BEFORE_RESTORE, "restore");
        local.restore(journaled);
    }

    @Override
    public List<ResourceRef> findManaged(CredentialKind kind, String externalId) {
        return local.findManaged(kind, externalId);
    }

    @Override
    public ProviderHealth health() {
        return local.health();
    }

    @Override
    public List<ObservedResource> inventory() {
        return new ArrayList<>(local.inventory());
    }

    @Override
    public Optional<ObservedResource> observe(ResourceRef resource) {
        return local.observe(resource);
    }
}
