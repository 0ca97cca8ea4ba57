package io.devportal.webhook.api;

import io.devportal.webhook.config.RunMode;
import io.devportal.webhook.api.auth.BasicCredentials;
import io.devportal.webhook.api.auth.ClientAddress;
import io.devportal.webhook.api.auth.Networks;
import io.devportal.webhook.config.WebhookConfig;
import io.devportal.webhook.logging.LogSafe;
import io.devportal.webhook.metrics.Metrics;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The lock on the door, in this order: the source allow-list ({@code webhook.allowed-sources}, 403
 * {@code source_not_allowed}), the per-address lockout (429 {@code too_many_requests}), then Basic auth
 * ({@link BasicCredentials}, {@link Accounts}): plaintext, remembered and fast-hashed passwords at once;
 * a bcrypt verification only when one is left to try, while the instance's failure budget has room
 * (else 429 {@code too_many_requests}) and a slow-hash slot is free (else 429 {@code auth_busy}), on a
 * worker thread ({@link SlowVerifications}). Whatever a caller sends, the answer is one of these or 401,
 * in the contract's shape. The client's address is {@link ClientAddress}'s.
 */
@ApplicationScoped
@Startup
class AuthGate {
    private static final Logger LOG = Logger.getLogger("io.devportal.webhook.request");
    private static final Logger AUDIT = Logger.getLogger("audit");
    /** Where a request's address and, once authenticated, its account's label are kept for {@link HttpFilters}. */
    static final String ADDRESS = "devportal-webhook.address";
    static final String ACCOUNT = "devportal-webhook.account";
    static final String CHALLENGE = "Basic realm=\"devportal-webhook\", charset=\"UTF-8\"";

    @Inject
    Accounts accounts;

    @Inject
    AuthThrottle throttle;

    @Inject
    SlowVerifications slow;

    @Inject
    Metrics metrics;

    @Inject
    WebhookConfig config;

    private Networks trusted;
    private Networks allowed;

    /** A network list that cannot be read stops the start, naming the setting and the entry. */
    @PostConstruct
    void readNetworks() {
        trusted = Networks.parse("webhook.trusted-proxies", config.trustedProxies());
        allowed = Networks.parse("webhook.allowed-sources", config.allowedSources());
        // Quarkus's forwarding makes the connection's address the left-most X-Forwarded-For hop,
        // which the caller writes: the allow-list and the lockout would trust the caller's word
        boolean forwarding = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class).orElse(false);
        if (forwarding && RunMode.current() != RunMode.CLI) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding=true lets a caller choose "
                    + "its own address (the left-most X-Forwarded-For hop): turn it off and set "
                    + "webhook.trusted-proxies to the load balancer's networks (docs/http-edge.md)");
        }
    }

    /** Null (or an item null) to go on, authenticated; otherwise the refusal. */
    Uni<Response> authenticate(ContainerRequestContext ctx, HttpServerRequest http, String requestId) {
        String address = address(ctx, http);
        ctx.setProperty(ADDRESS, address);
        if (!allowed.isEmpty() && !allowed.contains(address)) {
            AUDIT.infof("action=\"REFUSED\" reason=\"source_not_allowed\" address=%s requestId=\"%s\"",
                    LogSafe.quoted(address), requestId);
            return done(ApiExceptionMapper.builder(403, "source_not_allowed",
                    "this address may not call the webhook (webhook.allowed-sources)", requestId).build());
        }
        Duration wait = throttle.blocked(address);
        if (wait != null) {
            metrics.authLockout();
            return done(tooMany("too many failed authentication attempts from this address; retry later", wait,
                    requestId));
        }
        BasicCredentials credentials = BasicCredentials.read(ctx.getHeaders().get(HttpHeaders.AUTHORIZATION));
        if (!credentials.readable()) {
            return done(refuse(credentials.sent(), address, credentials.problem(), requestId));
        }
        String label = accounts.fastMatch(credentials.username(), credentials.password());
        if (label != null) {
            ctx.setProperty(ACCOUNT, label);
            return done(null);
        }
        if (!accounts.needsSlow()
                || credentials.password().getBytes(StandardCharsets.UTF_8).length > Accounts.BCRYPT_MAX_BYTES) {
            return done(refuse(true, address, "invalid username or password", requestId));
        }
        Duration spent = throttle.budgetSpent();
        if (spent != null) {
            metrics.authLockout();
            return done(tooMany("too many failed logins on this instance; retry later", spent, requestId));
        }
        Optional<Uni<String>> verified = slow.submit(
                () -> accounts.slowMatch(credentials.username(), credentials.password()));
        if (verified.isEmpty()) {
            Response.ResponseBuilder busy = ApiExceptionMapper.builder(429, "auth_busy",
                    "too many password verifications at once; retry in a second", requestId);
            ApiExceptionMapper.retryAfter(busy, Duration.ofSeconds(1));
            return done(busy.build());
        }
        return verified.get().onFailure().recoverWithNull().map(matched -> {
            if (matched != null) {
                ctx.setProperty(ACCOUNT, matched);
                return null;
            }
            return refuse(true, address, "invalid username or password", requestId);
        });
    }

    private static Uni<Response> done(Response response) {
        return Uni.createFrom().item(response);
    }

    private Response refuse(boolean sent, String address, String problem, String requestId) {
        // a request without credentials is the normal first half of the Basic challenge, not a guess:
        // only credentials that were sent and are wrong count towards the lockout and the budget
        if (sent) {
            throttle.failed(address);
            metrics.authFailure();
        }
        // while priming, the request log's category is off (priming.Priming): no line for the primed 401
        LOG.infof("authentication failed from %s: %s", LogSafe.escape(address), problem);
        return ApiExceptionMapper.builder(401, "unauthorized", problem, requestId)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    private static Response tooMany(String message, Duration wait, String requestId) {
        Response.ResponseBuilder refused = ApiExceptionMapper.builder(429, "too_many_requests", message, requestId);
        ApiExceptionMapper.retryAfter(refused, wait);
        return refused.build();
    }

    private String address(ContainerRequestContext ctx, HttpServerRequest http) {
        String peer = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String canonical = peer == null ? null : Networks.canonical(peer);
        return ClientAddress.resolve(canonical != null ? canonical : peer,
                ctx.getHeaders().get("X-Forwarded-For"), trusted);
    }
}
