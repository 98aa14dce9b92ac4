package io.pointbridge.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs one request per client on real threads, all released at once, for concurrency tests. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs the request once per client, each on its own thread, all released together once all are ready, and
     * answers in client order. Every wait is bounded, so a deadlock fails the test instead of hanging it.
     */
    public static <T> List<T> run(int clients, IntFunction<T> request) throws Exception {
        var ready = new CountDownLatch(clients);
        var go = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(clients);
        try {
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(30, SECONDS)) {
                        throw new IllegalStateException("client " + client + " was never released");
                    }
                    return request.apply(client);
                }));
            }
            assertThat(ready.await(30, SECONDS)).as("all %d clients ready", clients).isTrue();
            go.countDown();
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get(60, SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
