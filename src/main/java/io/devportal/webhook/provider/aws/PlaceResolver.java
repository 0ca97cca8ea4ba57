package io.devportal.webhook.provider.aws;

import io.devportal.webhook.model.Place;
import io.devportal.webhook.model.ResourceRef;
import io.devportal.webhook.provider.WebhookException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each resource lives ({@link Place}: account, Region, and a client's user pool), and the
 * one rule for acting on it later: through the configured target that reaches that account and
 * Region, whatever the target is called now, and a client in its recorded pool.
 * <ul>
 *   <li>The account of a target is its role's (from the role ARN); without a role, the webhook's
 *   own ({@link OwnAccount}: in Lambda the function's, else asked of STS once per process on first
 *   need; never before a SnapStart snapshot).</li>
 *   <li>A place no configured target reaches any more, or one whose target's credentials AWS now
 *   refuses there (a role scoped to the target's new place): 503 naming the place and the setting.</li>
 *   <li>A resource recorded before places were (place null) is acted on in its target's configured
 *   place, and there "not found" is never taken as gone: 503 until {@code reconcile --apply} records
 *   its place.</li>
 * </ul>
 */
@ApplicationScoped
class PlaceResolver {
    private static final Pattern ROLE_ACCOUNT = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

    @Inject
    AwsTargets targets;

    @Inject
    OwnAccount own;

    /** The account a target acts in: its role's, else the webhook's own. */
    String account(AwsTarget t) {
        Optional<String> role = t.config().roleArn();
        if (role.isPresent()) {
            Matcher m = ROLE_ACCOUNT.matcher(role.get());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return own.get();
    }

    /** Where a key (or anything but a client) made through target {@code t} lives. */
    Place of(AwsTarget t) {
        return new Place(account(t), t.region(), null);
    }

    /** Where a client made through target {@code t} in user pool {@code pool} lives. */
    Place ofClient(AwsTarget t, String pool) {
        return new Place(account(t), t.region(), pool);
    }

    /** Whether the target's credentials act in the place's account and Region. */
    boolean reaches(AwsTarget t, Place place) {
        return place.region().equals(t.region()) && (place.account() == null || place.account().equals(account(t)));
    }

    /**
     * The target to act on the resource through: the one that reaches its recorded place (the
     * target it was made through first, if it still does), else 503. A resource recorded before
     * places: its target by name, as configured now.
     */
    AwsTarget at(ResourceRef ref) {
        if (!ref.placeRecorded()) {
            return targets.of(ref);
        }
        Place place = ref.place();
        Optional<AwsTarget> named = named(ref.target());
        if (named.isPresent() && reaches(named.get(), place)) {
            return named.get();
        }
        for (AwsTarget t : targets.all()) {
            if (reaches(t, place)) {
                return t;
            }
        }
        throw new WebhookException(WebhookException.Kind.UNAVAILABLE, what(ref) + " lives in " + place.describe()
                + ", which no configured target reaches any more" + now(named, ref.target())
                + ": configure a target there again (AWS_REGION for the service's own settings, or "
                + "webhook.targets.\"<name>\".region and .role-arn); nothing was changed",
                AwsErrors.UNAVAILABLE_RETRY_AFTER, null);
    }

    /** The user pool a client is acted on in: its recorded one, else (a row before places) its target's. */
    String pool(ResourceRef ref, AwsTarget t) {
        return ref.placeRecorded() && ref.place().userPool() != null ? ref.place().userPool() : t.userPoolId();
    }

    /**
     * A resource was not found where {@link #at} sent the action: gone, when that is its recorded
     * place; for a row written before places, a 503 (it may live where an earlier configuration put it).
     */
    void notFound(ResourceRef ref, AwsTarget t) {
        if (ref.placeRecorded()) {
            return;
        }
        throw new WebhookException(WebhookException.Kind.UNAVAILABLE, what(ref) + " is not in target " + t.label()
                + ", and its ledger row was written before the webhook recorded where each resource lives: it may "
                + "live where an earlier configuration put it. Run reconcile --apply, which records the place of "
                + "every resource it finds (and reports the others as stale); nothing was changed",
                AwsErrors.UNAVAILABLE_RETRY_AFTER, null);
    }

    /**
     * A failure while acting on recorded resources: AWS's access denied for a resource whose target
     * has moved since (another Region, account or user pool) is the configuration no longer reaching
     * it, a 503 naming the place; anything else is returned as it is.
     */
    RuntimeException explain(List<ResourceRef> resources, RuntimeException failure) {
        if (!(failure instanceof WebhookException e) || e.kind() != WebhookException.Kind.UPSTREAM_DENIED) {
            return failure;
        }
        for (ResourceRef ref : resources) {
            if (ref.placeRecorded() && moved(ref)) {
                return new WebhookException(WebhookException.Kind.UNAVAILABLE, what(ref) + " lives in "
                        + ref.place().describe() + ", and AWS denied the webhook there (" + e.getMessage() + "): target "
                        + ref.target() + " is configured elsewhere now" + now(named(ref.target()), ref.target())
                        + "; give a target credentials for that place (webhook.targets.\"<name>\".role-arn, or the "
                        + "webhook's own role for AWS_REGION); nothing was changed",
                        AwsErrors.UNAVAILABLE_RETRY_AFTER, e);
            }
        }
        return failure;
    }

    /** Whether the target the resource was made through is configured for another place now. */
    private boolean moved(ResourceRef ref) {
        Optional<AwsTarget> named = named(ref.target());
        if (named.isEmpty()) {
            return true;
        }
        AwsTarget t = named.get();
        Place place = ref.place();
        return !reaches(t, place)
                || (place.userPool() != null && !Objects.equals(place.userPool(), t.ownUserPool().orElse(null)));
    }

    private Optional<AwsTarget> named(String name) {
        return targets.all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private String now(Optional<AwsTarget> named, String name) {
        if (named.isEmpty()) {
            return " (target " + name + " is no longer configured)";
        }
        AwsTarget t = named.get();
        return " (target " + name + " is Region " + t.region() + t.config().roleArn().map(r -> ", role " + r).orElse("")
                + t.ownUserPool().map(p -> ", user pool " + p).orElse("") + " now)";
    }

    private static String what(ResourceRef ref) {
        String kind = ApiKeys.TYPE.equals(ref.type()) ? "API key" : AppClients.TYPE.equals(ref.type()) ? "app client"
                : ref.type();
        return kind + " " + (ref.hasId() ? ref.id() : "named " + ref.name());
    }
}
