package io.pointbridge.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's HTTP client: one JDK client with keep-alive connections, sending each request to the next of
 * the app instances in turn. Requests carry what a real integration sends: its API key and, for writes, an
 * {@code Idempotency-Key}.
 */
public final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final List<URI> instances;
    private final AtomicLong next = new AtomicLong();

    public Http(List<URI> instances) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("at least one app instance");
        }
        this.instances = List.copyOf(instances);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** A response's status and body. */
    public record Response(int status, String body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Response get(String path, String apiKey) throws IOException, InterruptedException {
        return send(request(path, apiKey).GET().build());
    }

    public Response post(String path, String apiKey, String idempotencyKey, String json)
            throws IOException, InterruptedException {
        var builder = request(path, apiKey).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build());
    }

    private HttpRequest.Builder request(String path, String apiKey) {
        var base = instances.get((int) Math.floorMod(next.getAndIncrement(), (long) instances.size()));
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("X-Api-Key", apiKey)
            .header("Accept", "application/json");
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        var response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
