package io.devportal.webhook.awssdk;

import io.devportal.webhook.priming.Priming;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every AWS SDK client of the service connects and signs with, made safe for a SnapStart
 * snapshot (docs/cold-start.md):
 * <ul>
 * <li>{@link #http}: an HTTP client whose real (apache5) client is built on first use and can be
 * {@linkplain #beforeCheckpoint() dropped with all its pooled connections}, so that no connection
 * opened in the init phase is in the snapshot; the next call after a restore connects anew.</li>
 * <li>{@link #credentials()}: the SDK's default credentials chain, replaced by a new chain after a
 * restore, so that no credential resolved before the snapshot (and no cached one) is ever used.</li>
 * <li>{@link #prime}: while it runs, every call of those clients is signed with static fake
 * credentials and answered in the process ({@link PrimingAnswers}; {@code 200 {}} unless told
 * otherwise), without a connection: the request
 * marshallers, the signer and the response unmarshallers of each operation run, nothing reaches
 * AWS and no real credential is resolved.</li>
 * </ul>
 */
@ApplicationScoped
public class AwsTransport {
    /** The only credentials a priming call is signed with; never valid anywhere. */
    static final AwsCredentials PRIMING_CREDENTIALS =
            AwsBasicCredentials.create("AKIAPRIMINGPRIMING00", "priming-secret-not-a-credential");

    private final List<Restorable> clients = new CopyOnWriteArrayList<>();
    private final Credentials credentials = new Credentials();
    private final List<Renewable> renewables = new CopyOnWriteArrayList<>();
    private volatile PrimingAnswers answers = PrimingAnswers.EMPTY;

    /** An HTTP client for one SDK client; the caller closes it with the SDK client, or it is closed here. */
    public SdkHttpClient http(Supplier<SdkHttpClient> factory) {
        Restorable client = new Restorable(factory);
        clients.add(client);
        return client;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /**
     * Credentials of another provider (a target's assumed role), made safe the same way: built on
     * the first real resolve (never while priming, which signs with fake credentials), and dropped
     * with whatever it cached before a snapshot and after a restore.
     */
    public AwsCredentialsProvider credentials(Supplier<? extends AwsCredentialsProvider> factory) {
        Renewable renewable = new Renewable(factory);
        renewables.add(renewable);
        return renewable;
    }

    /** Runs the work with every call answered {@code 200 {}} in the process, signed with fake credentials. */
    public void prime(Runnable work) {
        prime(PrimingAnswers.EMPTY, work);
    }

    /**
     * Runs the work with every call answered in the process by {@code answers} (then {@code 200 {}}),
     * signed with fake credentials; the answers are forgotten when it ends.
     */
    public void prime(PrimingAnswers answers, Runnable work) {
        Priming.run(() -> {
            this.answers = answers;
            try {
                work.run();
            } finally {
                this.answers = PrimingAnswers.EMPTY;
            }
        });
    }

    /** Before the snapshot: every pooled connection closed, the credentials chain and its cache dropped. */
    public void beforeCheckpoint() {
        for (Restorable client : clients) {
            client.drop();
        }
        credentials.renew();
        renewables.forEach(Renewable::drop);
    }

    /** After a restore: a new credentials chain (the restored environment's); connections are made on demand. */
    public void afterRestore() {
        for (Restorable client : clients) {
            client.drop();
        }
        credentials.renew();
        renewables.forEach(Renewable::drop);
    }

    /** How many real HTTP clients were built so far, over all SDK clients (tests). */
    public int httpClientsBuilt() {
        return clients.stream().mapToInt(c -> c.built.get()).sum();
    }

    /** How many real HTTP clients are open now (tests). */
    public int httpClientsOpen() {
        return (int) clients.stream().filter(c -> c.delegate != null).count();
    }

    /** The chain credentials are resolved with now (tests). */
    public AwsCredentialsProvider currentChain() {
        return credentials.delegate;
    }

    @PreDestroy
    void close() {
        for (Restorable client : clients) {
            client.drop();
        }
        credentials.close();
        renewables.forEach(Renewable::drop);
    }

    /** How many assumed-role providers hold resolved credentials now (tests). */
    public int assumedRolesResolved() {
        return (int) renewables.stream().filter(r -> r.delegate != null).count();
    }

    private static final class Renewable implements AwsCredentialsProvider {
        private final Supplier<? extends AwsCredentialsProvider> factory;
        private volatile AwsCredentialsProvider delegate;

        Renewable(Supplier<? extends AwsCredentialsProvider> factory) {
            this.factory = factory;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            if (Priming.active()) {
                return PRIMING_CREDENTIALS;
            }
            AwsCredentialsProvider current = delegate;
            return (current != null ? current : build()).resolveCredentials();
        }

        private synchronized AwsCredentialsProvider build() {
            if (delegate == null) {
                delegate = factory.get();
            }
            return delegate;
        }

        synchronized void drop() {
            if (delegate instanceof SdkAutoCloseable closeable) {
                closeable.close();
            }
            delegate = null;
        }
    }

    private static final class Credentials implements AwsCredentialsProvider, SdkAutoCloseable {
        private volatile DefaultCredentialsProvider delegate = newChain();

        private static DefaultCredentialsProvider newChain() {
            // a chain of its own (not the shared DefaultCredentialsProvider.create()), so it can be replaced
            return DefaultCredentialsProvider.builder().build();
        }

        @Override
        public AwsCredentials resolveCredentials() {
            return Priming.active() ? PRIMING_CREDENTIALS : delegate.resolveCredentials();
        }

        synchronized void renew() {
            DefaultCredentialsProvider old = delegate;
            delegate = newChain();
            old.close();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final class Restorable implements SdkHttpClient {
        private final Supplier<SdkHttpClient> factory;
        private final AtomicInteger built = new AtomicInteger();
        private volatile SdkHttpClient delegate;

        Restorable(Supplier<SdkHttpClient> factory) {
            this.factory = factory;
        }

        private SdkHttpClient delegate() {
            SdkHttpClient current = delegate; // the request path: no lock once built
            return current != null ? current : build();
        }

        private synchronized SdkHttpClient build() {
            if (delegate == null) {
                delegate = factory.get();
                built.incrementAndGet();
            }
            return delegate;
        }

        synchronized void drop() {
            if (delegate != null) {
                delegate.close();
                delegate = null;
            }
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            if (Priming.active()) {
                return PrimingAnswers.respond(request, answers);
            }
            return delegate().prepareRequest(request);
        }

        @Override
        public String clientName() {
            return "Apache5";
        }

        @Override
        public void close() {
            drop();
        }
    }
}
