package io.pointbridge.security;

import io.pointbridge.testing.KeycloakServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients of the {@code pointbridge} realm that tests create through Keycloak's admin REST API, as the master
 * realm's bootstrap admin, and delete on {@link #close()}; the realm's own clients and settings are left alone.
 */
final class KeycloakTestClients implements AutoCloseable {

    private static final String REALM = "pointbridge";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final List<String> created = new ArrayList<>();

    KeycloakTestClients(KeycloakServer server) {
        this.base = server.issuer().substring(0, server.issuer().indexOf("/realms/"));
    }

    /** An access token of the master realm's bootstrap admin: genuine, but issued by another realm with its own key. */
    String masterRealmToken() {
        return token("master", "admin-cli", env("KC_BOOTSTRAP_ADMIN_USERNAME", "admin"),
            env("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin"));
    }

    /**
     * Creates a public client with the password grant and the organization scope, like the console's;
     * with the {@code pointbridge-api} audience only if asked, and access tokens living the given seconds
     * (the realm's default when null). Returns its client id.
     */
    String create(String purpose, boolean apiAudience, Integer accessTokenLifespanSeconds) {
        var clientId = "test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        var client = new HashMap<String, Object>();
        client.put("clientId", clientId);
        client.put("publicClient", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", true);
        client.put("defaultClientScopes", List.of("basic", "roles", "organization"));
        if (accessTokenLifespanSeconds != null) {
            client.put("attributes", Map.of("access.token.lifespan", accessTokenLifespanSeconds.toString()));
        }
        if (apiAudience) {
            client.put("protocolMappers", List.of(Map.of("name", "audience pointbridge-api", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", "pointbridge-api", "access.token.claim", "true"))));
        }
        var response = send(admin("/clients").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))));
        var location = response.headers().firstValue("Location");
        if (response.statusCode() != 201 || location.isEmpty()) {
            throw new IllegalStateException("Keycloak did not create " + clientId + ": HTTP " + response.statusCode()
                + " " + response.body());
        }
        created.add(location.get().substring(location.get().lastIndexOf('/') + 1));
        return clientId;
    }

    /** An access token of the {@code pointbridge} realm for the user, by the password grant on the given client. */
    String token(String clientId, String username, String password) {
        return token(REALM, clientId, username, password);
    }

    @Override
    public void close() {
        for (var id : created) {
            send(admin("/clients/" + id).DELETE());
        }
        created.clear();
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM + path)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + masterRealmToken());
    }

    private String token(String realm, String clientId, String username, String password) {
        var form = "grant_type=password&client_id=" + encode(clientId) + "&username=" + encode(username)
            + "&password=" + encode(password);
        var response = send(HttpRequest.newBuilder(URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No token for " + username + " from " + realm + "/" + clientId + ": HTTP "
                + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        var value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
