package io.pointbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code pointbridge} realm as the master realm's bootstrap admin sees it, through Keycloak's admin REST
 * API: tests look at what onboarding provisioned, add users of their own, and on {@link #close()} delete the
 * organizations and users they made or named, so that reruns start clean.
 */
public final class KeycloakRealm implements AutoCloseable {

    private static final String REALM = "pointbridge";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Set<String> organizations = new LinkedHashSet<>();
    private final Set<String> users = new LinkedHashSet<>();

    public KeycloakRealm(KeycloakServer server) {
        this.base = server.issuer().substring(0, server.issuer().indexOf("/realms/"));
    }

    /** A body for {@code POST /api/v1/tenants} whose first admin is {@code admin@<slug>.example}. */
    public static Map<String, Object> newTenant(String slug, String name) {
        return Map.of("slug", slug, "name", name, "settlementCurrency", "EUR",
            "admin", Map.of("email", adminEmail(slug), "firstName", "Ada", "lastName", "Admin " + slug));
    }

    public static String adminEmail(String slug) {
        return "admin@" + slug + ".example";
    }

    /** Deletes the tenant's organization and its admin's account on {@link #close()}. */
    public KeycloakRealm removesAfterwards(String slug) {
        organizations.add(slug);
        users.add(adminEmail(slug));
        return this;
    }

    public Optional<JsonNode> organization(String alias) {
        var found = get("/organizations?q=" + encode("alias:" + alias));
        for (var organization : found) {
            if (alias.equals(organization.path("alias").asString())) {
                return Optional.of(organization);
            }
        }
        return Optional.empty();
    }

    public Optional<JsonNode> user(String email) {
        var found = get("/users?exact=true&email=" + encode(email));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The aliases of the organizations the user is a member of. */
    public List<String> organizationsOf(String userId) {
        var aliases = new ArrayList<String>();
        get("/organizations/members/" + userId + "/organizations").forEach(org -> aliases.add(org.path("alias").asString()));
        return aliases;
    }

    public List<String> realmRoles(String userId) {
        var roles = new ArrayList<String>();
        get("/users/" + userId + "/role-mappings/realm").forEach(role -> roles.add(role.path("name").asString()));
        return roles;
    }

    /** Stands in for the user's first sign-in: drops the required actions, such as changing a temporary password. */
    public void clearRequiredActions(String userId) {
        send(admin("/users/" + userId).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"requiredActions\":[]}")), 204);
    }

    /** A user with a password, a realm role and membership of an organization; deleted on {@link #close()}. */
    public String createUser(String username, String password, String realmRole, String organizationAlias) {
        return createUser(username, password, realmRole, organizationAlias, username + "@users.example", true);
    }

    /**
     * A user with a password, a realm role, membership of an organization, and the given email, verified or not;
     * deleted on {@link #close()}.
     */
    public String createUser(String username, String password, String realmRole, String organizationAlias, String email,
            boolean emailVerified) {
        var user = Map.of("username", username, "email", email, "emailVerified", emailVerified, "enabled", true,
            "firstName", "Test", "lastName", username, "requiredActions", List.of(),
            "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        send(admin("/users").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(user))), 201);
        users.add(email);
        var id = user(email).orElseThrow().path("id").asString();
        var role = JSON.readTree(send(admin("/roles/" + realmRole).GET(), 200).body());
        send(admin("/users/" + id + "/role-mappings/realm").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[" + JSON.writeValueAsString(role) + "]")), 204);
        var organization = organization(organizationAlias).orElseThrow().path("id").asString();
        send(admin("/organizations/" + organization + "/members").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("\"" + id + "\"")), 201);
        return id;
    }

    @Override
    public void close() {
        for (var email : users) {
            user(email).ifPresent(user -> send(admin("/users/" + user.path("id").asString()).DELETE(), 204));
        }
        for (var alias : organizations) {
            organization(alias).ifPresent(org -> send(admin("/organizations/" + org.path("id").asString()).DELETE(), 204));
        }
        users.clear();
        organizations.clear();
    }

    private JsonNode get(String path) {
        return JSON.readTree(send(admin(path).GET(), 200).body());
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM + path)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + masterToken());
    }

    private String masterToken() {
        var form = "grant_type=password&client_id=admin-cli&username=" + encode(env("KC_BOOTSTRAP_ADMIN_USERNAME", "admin"))
            + "&password=" + encode(env("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin"));
        var response = send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)), 200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
        try {
            var built = request.build();
            var response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(built.method() + " " + built.uri() + ": HTTP " + response.statusCode()
                    + " " + response.body());
            }
            return response;
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
