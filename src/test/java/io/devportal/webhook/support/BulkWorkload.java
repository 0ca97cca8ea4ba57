package io.devportal.webhook.support;

import io.devportal.webhook.support.BulkPortal.Op;
import io.devportal.webhook.support.BulkPortal.Outcome;
import io.devportal.webhook.support.BulkPortal.Phase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The bulk workload of issue 21 as the portal sends it: approve API-key apps (each on two usage
 * plans) and client-credentials apps at once, move some keys to another tier (one of their two plans
 * swapped), then delete some apps of each kind. It remembers what the portal was told, so that a test
 * can say what must be live in AWS and the ledger at the end. Its size is {@link Scale#CI} unless the
 * system property {@code bulk.scale=full} asks for the issue's: 120 creates (90 keys, 30 clients),
 * 45 tier moves, 40 revokes (30 keys, 10 clients) over three processes.
 */
public final class BulkWorkload {

    /** How much work, over how many processes, how many requests at once, and how long a phase may retry. */
    public record Scale(String name, int keyApps, int clientApps, int moves, int keyRevokes, int clientRevokes,
                        int processes, int concurrency, Duration bound) {
        public static final Scale CI = new Scale("ci", 18, 6, 9, 6, 2, 2, 24, Duration.ofSeconds(90));
        public static final Scale FULL = new Scale("full", 90, 30, 45, 30, 10, 3, 40, Duration.ofSeconds(240));

        /** {@code bulk.scale} (ci or full), with {@code bulk.concurrency} (requests at once) if set. */
        public static Scale fromProperty() {
            Scale s = "full".equals(System.getProperty("bulk.scale")) ? FULL : CI;
            int concurrency = Integer.getInteger("bulk.concurrency", s.concurrency);
            return new Scale(s.name, s.keyApps, s.clientApps, s.moves, s.keyRevokes, s.clientRevokes, s.processes,
                    concurrency, s.bound);
        }

        public int creates() {
            return keyApps + clientApps;
        }

        public int revokes() {
            return keyRevokes + clientRevokes;
        }
    }

    /** One app of the portal, and what the portal was told about it. */
    public static final class App {
        final int n;
        final boolean key;
        String id;
        List<String> plans;
        boolean revoked;

        App(int n, boolean key, List<String> plans) {
            this.n = n;
            this.key = key;
            this.plans = plans;
        }
    }

    private final Scale scale;
    private final String run;
    private final List<String> plans;
    private final List<App> apps = new ArrayList<>();

    /**
     * @param plans the usage plans of {@link MotoResource} (each on its own stage of API {@value MotoResource#API})
     * @param run a word that makes this run's app names its own
     */
    public BulkWorkload(Scale scale, List<String> plans, String run) {
        this.scale = scale;
        this.plans = plans;
        this.run = run;
        for (int i = 0; i < scale.creates(); i++) {
            // keys and clients interleaved, as a migration would approve them
            boolean key = i * scale.clientApps() / scale.creates() == (i + 1) * scale.clientApps() / scale.creates();
            apps.add(new App(i, key, key ? List.of(plans.get(0), plans.get(1)) : List.of()));
        }
    }

    public Scale scale() {
        return scale;
    }

    public List<Op> creates() {
        return apps.stream().map(a -> new Op("/v1/createCredentials", "{\"appName\":\"Bulk " + run + " " + a.n
                + "\",\"developer\":\"dev" + a.n + "@example.com\",\"apis\":[" + (a.key ? apis(a.plans)
                : "{\"id\":\"" + BulkFleet.CC_API + "\",\"usagePlans\":[]}") + "]}")).toList();
    }

    /** Notes the ids the creates were answered with. */
    public void created(Phase phase) {
        for (int i = 0; i < apps.size(); i++) {
            Outcome o = phase.outcomes().get(i);
            if (o.confirmed()) {
                apps.get(i).id = o.json().path(apps.get(i).key ? "apiKeyId" : "clientId").asText();
            }
        }
    }

    private List<App> moved() {
        return keys().subList(0, scale.moves());
    }

    /** The first keys move from their two plans to the first and the third. */
    public List<Op> moves() {
        List<String> tier = List.of(plans.get(0), plans.get(2));
        return moved().stream().map(a -> new Op("/v1/updateCredentials", "{\"apiKeyId\":\"" + a.id
                + "\",\"apis\":[" + apis(tier) + "]}")).toList();
    }

    public void moved(Phase phase) {
        List<App> moved = moved();
        for (int i = 0; i < moved.size(); i++) {
            if (phase.outcomes().get(i).confirmed()) {
                moved.get(i).plans = List.of(plans.get(0), plans.get(2));
            }
        }
    }

    /** The last keys (half of them moved, when the scale allows) and the last clients. */
    private List<App> revoked() {
        List<App> keys = keys();
        List<App> clients = apps.stream().filter(a -> !a.key).toList();
        int firstKey = Math.max(0, Math.min(keys.size() - scale.keyRevokes(), scale.moves() - scale.keyRevokes() / 2));
        List<App> all = new ArrayList<>(keys.subList(firstKey, firstKey + scale.keyRevokes()));
        all.addAll(clients.subList(clients.size() - scale.clientRevokes(), clients.size()));
        return all;
    }

    public List<Op> revokes() {
        return revoked().stream().map(a -> new Op("/v1/revokeCredentials", "{\"" + (a.key ? "apiKeyId" : "clientId")
                + "\":\"" + a.id + "\"}")).toList();
    }

    public void revoked(Phase phase) {
        List<App> revoked = revoked();
        for (int i = 0; i < revoked.size(); i++) {
            if (phase.outcomes().get(i).confirmed()) {
                revoked.get(i).revoked = true;
            }
        }
    }

    /** The keys that must be live at the end, each with the plans it must be on. */
    public Map<String, Set<String>> liveKeys() {
        Map<String, Set<String>> live = new TreeMap<>();
        keys().stream().filter(a -> !a.revoked).forEach(a -> live.put(a.id, new TreeSet<>(a.plans)));
        return live;
    }

    public Set<String> liveClients() {
        return apps.stream().filter(a -> !a.key && !a.revoked).map(a -> a.id).collect(Collectors.toCollection(TreeSet::new));
    }

    private List<App> keys() {
        return apps.stream().filter(a -> a.key).toList();
    }

    private static String apis(List<String> plans) {
        return "{\"id\":\"" + MotoResource.API + "\",\"usagePlans\":[" + plans.stream().map(p -> "{\"id\":\"" + p + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }
}
