package io.devportal.webhook.support;

import io.devportal.webhook.provider.Convergence;
import io.devportal.webhook.model.CredentialKind;
import io.devportal.webhook.provider.CredentialProvider;
import io.devportal.webhook.provider.CredentialSpec;
import io.devportal.webhook.provider.Deadline;
import io.devportal.webhook.provider.IssuedCredential;
import io.devportal.webhook.provider.ObservedResource;
import io.devportal.webhook.provider.ProviderHealth;
import io.devportal.webhook.provider.Removal;
import io.devportal.webhook.provider.ResourceJournal;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.aws.AwsCredentialProvider;
import io.devportal.webhook.provider.local.LocalCredentialProvider;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A provider with latches at named points, for deterministic interleavings: a test parks an
 * operation at a point, runs another against the same credential, then releases the first. It
 * delegates to the local provider, or ({@code test.latched.delegate=aws}) to the AWS provider, and
 * then it is also an SDK interceptor of the webhook's AWS clients: {@link #parkAws} parks the next
 * call of one AWS operation before it is made (after the plan read = before the first write of an
 * update; after the detach = before its attach). Like the AWS provider's interceptor, it refuses to
 * call the provider once the request's deadline has passed, and it logs every call it lets through
 * (with the time) for assertions.
 */
@ApplicationScoped
@LookupIfProperty(name = "webhook.provider", stringValue = "latched")
public class LatchedProvider implements CredentialProvider, ExecutionInterceptor {

    /**
     * The provider-level points. BEFORE_* park before the delegate is called (and the deadline is
     * checked after the release); AFTER_* park once the delegate has done its work, before the
     * operation records it (AFTER_CONVERGE = before complete).
     */
    public enum Point {
        BEFORE_ISSUE, AFTER_ISSUE, BEFORE_FETCH, BEFORE_CONVERGE, AFTER_CONVERGE, BEFORE_REMOVE, AFTER_REMOVE,
        BEFORE_RESTORE,
        BEFORE_OBSERVE
    }

    /** One parked point: {@link #arrived} once an operation waits there, {@link #release} lets it go on. */
    public static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final String subject;

        private Gate(String subject) {
            this.subject = subject;
        }

        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no operation reached the gate");
            }
        }

        public boolean arrived() {
            return arrived.getCount() == 0;
        }

        public void release() {
            released.countDown();
        }

        boolean matches(String what) {
            return subject == null || (what != null && what.contains(subject));
        }

        void hold(String where) {
            arrived.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("gate " + where + " never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    LocalCredentialProvider local;

    /** A client proxy: the AWS provider and its clients are made only when it is first called. */
    @Inject
    AwsCredentialProvider aws;

    @ConfigProperty(name = "test.latched.delegate", defaultValue = "local")
    String delegateName;

    private final Map<Point, Gate> gates = new ConcurrentHashMap<>();
    private final Map<String, Gate> awsGates = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> awsCalls = new ArrayList<>();

    private CredentialProvider delegate() {
        return "aws".equals(delegateName) ? aws : local;
    }

    /** The next operation to reach {@code point} parks there until released. */
    public Gate park(Point point) {
        return park(point, null);
    }

    /**
     * The next operation to reach {@code point} about {@code subject} (a resource id it is given,
     * or the app name it issues for) parks there; others pass.
     */
    public Gate park(Point point, String subject) {
        Gate gate = new Gate(subject);
        gates.put(point, gate);
        return gate;
    }

    /**
     * The next call of the AWS operation {@code operation} (an SDK operation name such as
     * DeleteUsagePlanKey) whose request mentions {@code subject} (null: any) parks before it is made.
     */
    public Gate parkAws(String operation, String subject) {
        Gate gate = new Gate(subject);
        awsGates.put(operation, gate);
        return gate;
    }

    public void reset() {
        gates.values().forEach(Gate::release);
        gates.clear();
        awsGates.values().forEach(Gate::release);
        awsGates.clear();
        synchronized (calls) {
            calls.clear();
        }
        synchronized (awsCalls) {
            awsCalls.clear();
        }
    }

    /** The provider calls let through, in order, as "operation@epochMillis". */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /**
     * The webhook's AWS calls that were sent (after any gate, and past the deadline interceptor), as
     * "Operation@epochMillis", one per attempt.
     */
    public List<String> awsCalls() {
        synchronized (awsCalls) {
            return List.copyOf(awsCalls);
        }
    }

    private void hold(Point point, String subject) {
        Gate gate = gates.get(point);
        if (gate != null && gate.matches(subject) && gates.remove(point, gate)) {
            gate.hold(point.name());
        }
    }

    private void at(Point point, String call, String subject) {
        hold(point, subject);
        Deadline.checkCurrent("calling the provider's " + call);
        synchronized (calls) {
            calls.add(call + "@" + System.currentTimeMillis());
        }
    }

    private static String ids(List<ResourceRef> resources) {
        return resources.stream().map(r -> r.id() + " " + r.name()).toList().toString();
    }

    @Override
    public String name() {
        return delegate().name();
    }

    @Override
    public IssuedCredential issue(CredentialSpec spec, ResourceJournal journal) {
        at(Point.BEFORE_ISSUE, "issue", spec.appName());
        IssuedCredential issued = delegate().issue(spec, journal);
        hold(Point.AFTER_ISSUE, spec.appName());
        return issued;
    }

    @Override
    public IssuedCredential fetch(CredentialKind kind, List<ResourceRef> resources) {
        hold(Point.BEFORE_FETCH, ids(resources));
        return delegate().fetch(kind, resources);
    }

    @Override
    public Convergence converge(List<ResourceRef> resources, CredentialSpec desired, ResourceJournal journal) {
        at(Point.BEFORE_CONVERGE, "converge", ids(resources));
        Convergence done = delegate().converge(resources, desired, journal);
        hold(Point.AFTER_CONVERGE, ids(resources));
        return done;
    }

    @Override
    public void remove(List<ResourceRef> resources, Removal mode) {
        at(Point.BEFORE_REMOVE, "remove", ids(resources));
        delegate().remove(resources, mode);
        hold(Point.AFTER_REMOVE, ids(resources));
    }

    @Override
    public void restore(List<ResourceRef> journaled) {
        restore(journaled, null);
    }

    @Override
    public void restore(List<ResourceRef> journaled, String operationId) {
        at(Point.BEFORE_RESTORE, "restore", ids(journaled));
        delegate().restore(journaled, operationId);
    }

    /** Not gated: the loss path of an update (it only checks the deadline and logs the call). */
    @Override
    public void removeMade(List<ResourceRef> journaled, String operationId) {
        Deadline.checkCurrent("calling the provider's removeMade");
        synchronized (calls) {
            calls.add("removeMade@" + System.currentTimeMillis());
        }
        delegate().removeMade(journaled, operationId);
    }

    @Override
    public List<ResourceRef> findManaged(CredentialKind kind, String externalId) {
        return delegate().findManaged(kind, externalId);
    }

    @Override
    public Optional<Marks> marks(List<ResourceRef> resources) {
        return delegate().marks(resources);
    }

    @Override
    public ProviderHealth health() {
        return delegate().health();
    }

    @Override
    public List<ObservedResource> inventory() {
        return new ArrayList<>(delegate().inventory());
    }

    @Override
    public Optional<ObservedResource> observe(ResourceRef resource) {
        hold(Point.BEFORE_OBSERVE, ids(List.of(resource)));
        return delegate().observe(resource);
    }

    /** As an SDK interceptor (only where webhook.provider=latched): the AWS-level gates. */
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Gate gate = awsGates.get(operation);
        if (gate != null && gate.matches(context.request().toString()) && awsGates.remove(operation, gate)) {
            gate.hold(operation);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        synchronized (awsCalls) {
            awsCalls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + "@" + System.currentTimeMillis());
        }
    }
}
