package io.devportal.webhook.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link CallTimes}' measure of whether calls kept to a rate: the excess over a token bucket, the peak second. */
class CallTimesTest {

    private static List<Long> every(long fromMs, long stepMs, int n) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(fromMs + i * stepMs);
        }
        return times;
    }

    @Test
    void callsAtTheRateAfterAFullBurstAreNoExcess() {
        List<Long> times = new ArrayList<>(every(0, 0, 20));   // the whole burst at once
        times.addAll(every(200, 200, 50));                      // then 5 a second
        assertEquals(0, CallTimes.excess(times, 5, 20), 1e-9);
        assertEquals(24, CallTimes.peakPerSecond(times), "the burst and four more within its second");
    }

    @Test
    void tenASecondAgainstABudgetOfFiveBurstTwentyExceedsItByHalfTheCallsBeyondTheBurst() {
        List<Long> times = every(0, 100, 101);  // 10 s at 10 a second
        // after 10 s the bucket has let 20 + 50 through, and 101 came
        assertEquals(31, CallTimes.excess(times, 5, 20), 1e-9);
        assertEquals(10, CallTimes.peakPerSecond(times));
    }

    @Test
    void onlyTheCallsOfAStretchCount() {
        assertEquals(List.of(200L, 300L), CallTimes.between(List.of(100L, 200L, 300L, 400L), 150, 350));
        assertEquals(0, CallTimes.excess(List.of(), 1, 1), 1e-9);
        assertEquals(0, CallTimes.peakPerSecond(List.of()));
    }
}
