package io.devportal.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * When each call that {@link StrictAws} let through reached AWS (moto), per account and Region and
 * service of the signature, in milliseconds of the twin's clock (throttled calls are not in it: AWS
 * did no work for them). With it a test checks that several processes together kept to a rate: the
 * calls are fed to a token bucket of that rate and depth ({@link #excess}).
 */
public final class CallTimes {
    /** "account/region service" → arrival times (ms). */
    private final Map<String, List<Long>> times = new ConcurrentHashMap<>();

    void record(String target, String service, long nanoTime) {
        times.computeIfAbsent(target + " " + service, k -> new CopyOnWriteArrayList<>()).add(nanoTime / 1_000_000);
    }

    void clear() {
        times.clear();
    }

    /** The arrival times of one target and service, oldest first, as a JSON array of milliseconds. */
    JsonNode json(String target, String service) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        List<Long> list = new ArrayList<>(times.getOrDefault(target + " " + service, List.of()));
        list.sort(Long::compare);
        list.forEach(all::add);
        return all;
    }

    /** {@link StrictAws#callTimes}' answer as a list of milliseconds, oldest first. */
    public static List<Long> of(JsonNode array) {
        List<Long> list = new ArrayList<>(array.size());
        array.forEach(n -> list.add(n.asLong()));
        return list;
    }

    /** The times within [from, to] (ms, inclusive). */
    public static List<Long> between(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t <= to).toList();
    }

    /**
     * How many calls more than a token bucket of {@code perSecond} and {@code burst} (full at the first
     * call) would have admitted: 0 when the calls kept to that rate. The bucket may go into debt, so
     * the figure is the largest excess over any stretch of time.
     */
    public static double excess(List<Long> times, double perSecond, double burst) {
        double tokens = burst;
        double worst = 0;
        Long last = null;
        for (long t : times) {
            if (last != null) {
                tokens = Math.min(burst, tokens + (t - last) / 1000.0 * perSecond);
            }
            tokens -= 1;
            worst = Math.max(worst, -tokens);
            last = t;
        }
        return worst;
    }

    /** How many calls came in each second from the first call on, e.g. "[20, 5, 6, 5]". */
    public static String perSecond(List<Long> times) {
        if (times.isEmpty()) {
            return "[]";
        }
        long first = times.get(0);
        int[] counts = new int[(int) ((times.get(times.size() - 1) - first) / 1000) + 1];
        times.forEach(t -> counts[(int) ((t - first) / 1000)]++);
        return java.util.Arrays.toString(counts);
    }

    /** The most calls within any one second. */
    public static int peakPerSecond(List<Long> times) {
        int peak = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= 1000) {
                start++;
            }
            peak = Math.max(peak, end - start + 1);
        }
        return peak;
    }
}
