package io.devportal.webhook.config;

import io.devportal.webhook.model.ResourceRef;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where each API lives. A target is an account (reached with the service's own credentials, or
 * through an assumed role) and a Region, with optionally its own user pool:
 * {@code webhook.targets."<name>".*}. The service's own settings ({@code AWS_REGION},
 * {@code webhook.cognito.*}) form the target {@value ResourceRef#DEFAULT_TARGET}; an API mapped
 * nowhere lives there, so a configuration without targets means what it always meant.
 *
 * <p>An API is mapped by {@code webhook.apis."<id>".target} or by a target's {@code apis} list.
 * Every rule about the mapping is here, checked at start-up (the service refuses to start) and by
 * {@code check-config}.</p>
 */
@ApplicationScoped
public class Targets {
    /** A target's name: it appears in journal records, tags, metrics and customCredentials. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    /** STS: 2 to 1224 characters of [\w+=,.@:/-]. */
    static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    /**
     * One target.
     *
     * @param region empty for the default target: the SDK's own chain (AWS_REGION) decides
     */
    public record Target(String name, Optional<String> region, Optional<String> roleArn, Optional<String> externalId,
                         Optional<String> userPoolId, Optional<String> cognitoDomain) {
        public boolean isDefault() {
            return ResourceRef.DEFAULT_TARGET.equals(name);
        }
    }

    @Inject
    WebhookConfig config;

    /** The targets of this configuration, outside CDI (unit tests). */
    public static Targets of(WebhookConfig config) {
        Targets targets = new Targets();
        targets.config = config;
        return targets;
    }

    void onStart(@Observes StartupEvent event) {
        if (RunMode.current() != RunMode.CLI) {
            problem().ifPresent(p -> {
                throw new IllegalStateException(p);
            });
        }
    }

    /**
     * The API of a credential adopted from AWS ({@code reconcile --adopt}), whose real APIs are not
     * known: one per target its key lives in, {@value #RESTORED_API} in the default target.
     */
    public static final String RESTORED_API = "(restored from AWS)";

    /** The target an API lives in: its mapping, else the default target. */
    public String targetOf(String apiId) {
        if (apiId.startsWith(RESTORED_API + "@") && config.targets().containsKey(
                apiId.substring(RESTORED_API.length() + 1))) {
            return apiId.substring(RESTORED_API.length() + 1);
        }
        return mapping().getOrDefault(apiId, ResourceRef.DEFAULT_TARGET);
    }

    /** The adopted credential's API of one target ({@link #RESTORED_API}). */
    public static String restoredApi(String target) {
        return ResourceRef.DEFAULT_TARGET.equals(target) ? RESTORED_API : RESTORED_API + "@" + target;
    }

    /** Whether any target besides the default one is configured. */
    public boolean several() {
        return !config.targets().isEmpty();
    }

    /** Every target: the default first, then the configured ones by name. */
    public List<Target> all() {
        List<Target> all = new ArrayList<>();
        all.add(get(ResourceRef.DEFAULT_TARGET));
        new TreeMap<>(config.targets()).keySet().forEach(name -> all.add(get(name)));
        return all;
    }

    /** The target of that name; an IllegalArgumentException for a name that is not configured. */
    public Target get(String name) {
        if (ResourceRef.DEFAULT_TARGET.equals(name)) {
            return new Target(name, Optional.empty(), Optional.empty(), Optional.empty(),
                    config.cognito().userPoolId(), config.cognito().domain());
        }
        WebhookConfig.Target t = config.targets().get(name);
        if (t == null) {
            throw new IllegalArgumentException("no target named " + name + " is configured (webhook.targets)");
        }
        return new Target(name, t.region(), t.roleArn(), t.externalId(), t.userPoolId(), t.cognitoDomain());
    }

    /** The API id → target name of every mapped API (first mapping wins; {@link #problem} reports a second). */
    public Map<String, String> mapping() {
        Map<String, String> mapping = new LinkedHashMap<>();
        config.apis().forEach((api, settings) -> settings.target().ifPresent(t -> mapping.putIfAbsent(api, t)));
        new TreeMap<>(config.targets()).forEach((name, t) -> t.apis().orElse(List.of())
                .forEach(api -> mapping.putIfAbsent(api, name)));
        return mapping;
    }

    /** What is wrong with the targets and the mapping, or empty. */
    public Optional<String> problem() {
        List<String> problems = new ArrayList<>();
        new TreeMap<>(config.targets()).forEach((name, t) -> problems.addAll(problems(name, t)));
        // two targets with one Region and one role (or none) are one account and Region: one place twice
        Map<String, String> places = new LinkedHashMap<>();
        new TreeMap<>(config.targets()).forEach((name, t) -> {
            String place = t.region().orElse("") + " " + t.roleArn().orElse("(the webhook's own credentials)");
            String other = places.putIfAbsent(place, name);
            if (other != null) {
                problems.add("webhook.targets \"" + other + "\" and \"" + name + "\" are the same place (Region "
                        + t.region().orElse("") + ", " + t.roleArn().map(r -> "role " + r).orElse("no role")
                        + "): map their APIs to one target");
            }
        });
        Map<String, String> seen = new LinkedHashMap<>();
        config.apis().forEach((api, settings) -> settings.target().ifPresent(t -> {
            if (!ResourceRef.DEFAULT_TARGET.equals(t) && !config.targets().containsKey(t)) {
                problems.add("webhook.apis.\"" + api + "\".target names " + t + ", which is not a configured target");
            }
            seen.put(api, t);
        }));
        new TreeMap<>(config.targets()).forEach((name, t) -> t.apis().orElse(List.of()).forEach(api -> {
            String other = seen.putIfAbsent(api, name);
            if (other != null && !other.equals(name)) {
                problems.add("API " + api + " is mapped to two targets, " + other + " and " + name
                        + ": an API lives in one account and Region");
            }
        }));
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static List<String> problems(String name, WebhookConfig.Target t) {
        String at = "webhook.targets.\"" + name + "\"";
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add(at + ": a target's name must match " + NAME.pattern());
        }
        if (name.toLowerCase(Locale.ROOT).equals(ResourceRef.DEFAULT_TARGET)) {
            problems.add(at + ": the name " + ResourceRef.DEFAULT_TARGET + " is the service's own settings "
                    + "(AWS_REGION, webhook.cognito.*); name the target otherwise");
        }
        if (t.region().isEmpty()) {
            problems.add(at + ".region is required");
        } else if (!REGION.matcher(t.region().get()).matches()) {
            problems.add(at + ".region " + t.region().get() + " is not a Region name such as sa-east-1");
        }
        t.roleArn().filter(arn -> !ROLE_ARN.matcher(arn).matches()).ifPresent(arn ->
                problems.add(at + ".role-arn " + arn + " is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"));
        if (t.externalId().isPresent() && t.roleArn().isEmpty()) {
            problems.add(at + ".external-id is set without a role-arn to assume");
        }
        t.externalId().filter(id -> !EXTERNAL_ID.matcher(id).matches()).ifPresent(id ->
                problems.add(at + ".external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-_"));
        // a pool id begins with its Region: a pool of another Region is not in the target
        t.userPoolId().filter(pool -> t.region().isPresent() && pool.contains("_")
                && !pool.substring(0, pool.indexOf('_')).equals(t.region().get())).ifPresent(pool ->
                problems.add(at + ".user-pool-id " + pool + " is a pool of Region " + pool.substring(0, pool.indexOf('_'))
                        + ", not of the target's Region " + t.region().get()));
        if (t.cognitoDomain().isPresent() && t.userPoolId().isEmpty()) {
            problems.add(at + ".cognito-domain is set without the user-pool-id it belongs to");
        }
        return problems;
    }
}
