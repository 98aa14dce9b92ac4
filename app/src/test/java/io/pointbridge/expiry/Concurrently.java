package io.pointbridge.expiry;

import io.pointbridge.tenant.expiry.RunOptions.ItemHook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the same work on two threads, as two app instances would, and makes them overlap: each thread's first
 * item waits, inside its batch's open transaction, until the other thread is at its first item too.
 */
final class Concurrently {

    private Concurrently() {
    }

    /** Runs the work twice at once, each given a hook for the job's items; returns both results. */
    static <T> List<T> twice(Function<ItemHook, T> work) {
        var bothInABatch = new CyclicBarrier(2);
        return twice(() -> {
            var first = new AtomicBoolean(true);
            return work.apply(() -> {
                if (first.getAndSet(false)) {
                    await(bothInABatch);
                }
            });
        });
    }

    /**
     * Runs the work twice, released at once, without holding either back: for work whose overlap the database
     * itself forces (a second insert of a unique key waits for the first one's transaction).
     */
    static <T> List<T> twice(Supplier<T> work) {
        var start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(2)) {
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < 2; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return work.get();
                }));
            }
            start.countDown();
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the other thread; if it never reaches an item of its own (the first thread claimed all there was),
     * the wait gives up and the run goes on: overlap is then impossible, and the test still checks the outcome.
     */
    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException | TimeoutException e) {
            barrier.reset();
        }
    }
}
