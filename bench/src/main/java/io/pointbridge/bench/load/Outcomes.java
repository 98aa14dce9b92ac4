package io.pointbridge.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What a measurement saw: the latency of every completed operation (in microseconds, 3 significant digits, up
 * to a minute) and how many failed, by status; the first failure's body is kept to say why.
 */
final class Outcomes {

    private final Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);
    private final LongAdder succeeded = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private volatile String firstFailure;

    void record(long startNanos, long endNanos, Http.Response response) {
        long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(endNanos - startNanos));
        latencies.recordValue(Math.min(micros, latencies.getHighestTrackableValue()));
        if (response.ok()) {
            succeeded.increment();
        } else {
            fail(String.valueOf(response.status()), response.status() + " " + abbreviate(response.body()));
        }
    }

    void error(long startNanos, long endNanos, Exception e) {
        long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(endNanos - startNanos));
        latencies.recordValue(Math.min(micros, latencies.getHighestTrackableValue()));
        fail(e.getClass().getSimpleName(), e.toString());
    }

    private void fail(String kind, String detail) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (firstFailure == null) {
            firstFailure = detail;
        }
    }

    long succeeded() {
        return succeeded.sum();
    }

    long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    String firstFailure() {
        return firstFailure;
    }

    Latency latency() {
        return new Latency(millis(latencies.getValueAtPercentile(50)), millis(latencies.getValueAtPercentile(95)),
            millis(latencies.getValueAtPercentile(99)), millis(latencies.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
