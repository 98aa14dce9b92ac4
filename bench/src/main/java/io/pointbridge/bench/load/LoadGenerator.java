package io.pointbridge.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Drives an {@link Operation} in one of two ways.
 * <ul>
 * <li><b>Closed model</b> for throughput: {@code clients} virtual threads each send the next request as soon as the
 * previous one answered. What it measures is the most the platform completes per second at that concurrency.</li>
 * <li><b>Open model</b> for latency: requests start at a fixed arrival rate whatever the platform does, each on its
 * own virtual thread, and a request's latency counts from the moment it was <em>due</em>, not from when it was
 * sent. A server that stalls for a second therefore shows a second of latency for every request due in that
 * second (the coordinated omission a closed-loop client hides).</li>
 * </ul>
 * Both run a warm-up first whose results are thrown away, then measure.
 */
public final class LoadGenerator {

    /** Open model: more requests in flight than this means the platform cannot keep up; the run stops counting. */
    static final int MAX_IN_FLIGHT = 4_096;

    private final Duration warmup;
    private final Duration measure;
    private final Consumer<String> progress;
    private final Set<Long> appPids;

    /** @param appPids the app processes, whose CPU time a closed-model measurement reports */
    public LoadGenerator(Duration warmup, Duration measure, Consumer<String> progress, Set<Long> appPids) {
        this.warmup = warmup;
        this.measure = measure;
        this.progress = progress;
        this.appPids = Set.copyOf(appPids);
    }

    public Measurement closed(String name, int clients, Operation operation) throws InterruptedException {
        runClosed(clients, operation, warmup, new Outcomes());
        var outcomes = new Outcomes();
        var cpuBefore = CpuMeter.sample(appPids);
        long elapsed = runClosed(clients, operation, measure, outcomes);
        var cpu = CpuMeter.sample(appPids).minus(cpuBefore);
        double seconds = elapsed / 1e9;
        var result = new Measurement(name, "closed", clients, 0, outcomes.succeeded() / seconds, outcomes.succeeded(),
            outcomes.failed(), outcomes.latency(), outcomes.firstFailure(), cpu);
        progress.accept(String.format("%-9s closed %4d clients: %8.1f ops/s  p99 %7.1f ms  failed %d", name, clients,
            result.throughput(), result.latency().p99(), result.failed()));
        return result;
    }

    /** Runs the operation with {@code clients} clients for a while and forgets the results: JIT, caches, pools. */
    public void warmUp(int clients, Duration length, Operation operation) throws InterruptedException {
        runClosed(clients, operation, length, new Outcomes());
    }

    /**
     * Calls every operation once, {@code clients} at a time, and forgets the results (but not the failures, which it
     * returns): a pass over a whole population, where {@link #warmUp} would pick members at random.
     */
    public long once(int clients, List<Operation> operations) throws InterruptedException {
        var next = new AtomicInteger();
        var outcomes = new Outcomes();
        var threads = new ArrayList<Thread>(clients);
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int n; (n = next.getAndIncrement()) < operations.size(); ) {
                    call(operations.get(n), System.nanoTime(), outcomes);
                }
            }));
        }
        for (var thread : threads) {
            thread.join();
        }
        return outcomes.failed();
    }

    public Measurement open(String name, double ratePerSecond, Operation operation) throws InterruptedException {
        runOpen(ratePerSecond, operation, warmup, new Outcomes());
        var outcomes = new Outcomes();
        var run = runOpen(ratePerSecond, operation, measure, outcomes);
        double seconds = run.elapsedNanos / 1e9;
        var result = new Measurement(name, "open", run.peakInFlight, ratePerSecond, outcomes.succeeded() / seconds,
            outcomes.succeeded(), outcomes.failed(), outcomes.latency(),
            run.overloaded ? "more than " + MAX_IN_FLIGHT + " requests in flight: the platform could not keep up"
                : outcomes.firstFailure(), null);
        progress.accept(String.format("%-9s open %8.1f/s: p50 %6.1f  p95 %6.1f  p99 %6.1f  max %7.1f ms  failed %d",
            name, ratePerSecond, result.latency().p50(), result.latency().p95(), result.latency().p99(),
            result.latency().max(), result.failed()));
        return result;
    }

    private static long runClosed(int clients, Operation operation, Duration length, Outcomes outcomes)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        var threads = new ArrayList<Thread>(clients);
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    call(operation, System.nanoTime(), outcomes);
                }
            }));
        }
        for (var thread : threads) {
            thread.join();
        }
        return System.nanoTime() - start;
    }

    private record OpenRun(long elapsedNanos, int peakInFlight, boolean overloaded) {
    }

    private static OpenRun runOpen(double ratePerSecond, Operation operation, Duration length, Outcomes outcomes)
            throws InterruptedException {
        long interval = Math.max(1, Math.round(1e9 / ratePerSecond));
        long count = Math.max(1, Math.round(length.toNanos() / (double) interval));
        var inFlight = new AtomicInteger();
        int peak = 0;
        boolean overloaded = false;
        var threads = new ArrayList<Thread>();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int now = inFlight.incrementAndGet();
            peak = Math.max(peak, now);
            if (now > MAX_IN_FLIGHT) {
                inFlight.decrementAndGet();
                overloaded = true;
                break;
            }
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    call(operation, due, outcomes);
                } finally {
                    inFlight.decrementAndGet();
                }
            }));
            if (threads.size() >= 10_000) {
                threads.removeIf(t -> !t.isAlive());
            }
        }
        for (var thread : threads) {
            thread.join();
        }
        return new OpenRun(Math.max(System.nanoTime() - start, count * interval), peak, overloaded);
    }

    private static void call(Operation operation, long dueNanos, Outcomes outcomes) {
        try {
            var response = operation.call();
            outcomes.record(dueNanos, System.nanoTime(), response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcomes.error(dueNanos, System.nanoTime(), e);
        } catch (Exception e) {
            outcomes.error(dueNanos, System.nanoTime(), e);
        }
    }

}
