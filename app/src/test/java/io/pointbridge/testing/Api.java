package io.pointbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the API under test, speaking JSON over a real connection. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final List<String> headers;

    public Api(String base) {
        this(base, List.of());
    }

    private Api(String base, List<String> headers) {
        this.base = base;
        this.headers = headers;
    }

    /** The same client sending one more header with every request. */
    public Api with(String name, String value) {
        var more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new Api(base, more);
    }

    public Api withApiKey(String key) {
        return with("X-Api-Key", key);
    }

    public Api withToken(String token) {
        return with("Authorization", "Bearer " + token);
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    /** POSTs a body (an object serialised as JSON, or a raw JSON string) with a fresh Idempotency-Key. */
    public Response post(String path, Object body) {
        return post(path, body, UUID.randomUUID().toString());
    }

    public Response post(String path, Object body, String idempotencyKey) {
        var builder = builder(path).header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder builder(String path) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder;
    }

    public static String json(Object body) {
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }

    /** A response: status, raw body, headers, and the body parsed as JSON on demand. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text(String field) {
            return json().path(field).asString();
        }

        public long number(String field) {
            return json().path(field).asLong();
        }

        /** The stable problem type without its base, e.g. {@code insufficient-points}. */
        public String problemType() {
            return text("type").replace("https://pointbridge.io/problems/", "");
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }
}
