package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tokens of the running Keycloak are accepted and their roles enforced; forged, foreign, stale and missing credentials get 401. */
class KeycloakTokenIntegrationTests extends IntegrationTest {

    /** How long past its expiry the application still accepts a token (SecurityConfiguration#tokenLifetime). */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(10);

    private static KeycloakServer keycloak;
    private static KeycloakTestClients testClients;
    private static KeycloakRealm realm;
    private static String clientWithoutAudience;
    private static String clientWithShortTokens;

    @Autowired
    private TenantManagement tenancy;

    @Value("${pointbridge.security.metrics-password}")
    private String metricsPassword;

    private Group demo;
    private String demoAdmin;

    @BeforeAll
    static void keycloakWithTestClients() {
        keycloak = KeycloakServer.ensureRunning();
        testClients = new KeycloakTestClients(keycloak);
        realm = new KeycloakRealm(keycloak);
        clientWithoutAudience = testClients.create("no-audience", false, null);
        clientWithShortTokens = testClients.create("short-lived", true, 1);
    }

    @AfterAll
    static void deleteTestClients() {
        if (testClients != null) {
            testClients.close();
        }
        if (realm != null) {
            realm.close();
        }
    }

    /** The tenant demo-admin's organization names, so that its genuine tokens work. */
    @BeforeEach
    void demoGroupAndItsAdminsToken() {
        demo = fixtures.organization("demo-group");
        demoAdmin = keycloak.token("demo-admin", "demo-admin-pass");
    }

    @Test
    void acceptsAKeycloakTokenAndActsForItsOrganization() {
        var admin = api.withToken(demoAdmin);

        var brands = admin.get("/api/v1/brands");
        var tenant = admin.get("/api/v1/tenant");

        assertThat(brands.status()).isEqualTo(200);
        assertThat(brands.json().findValuesAsString("id"))
            .contains(demo.cafe().brand().id().toString(), demo.cinema().brand().id().toString());
        assertThat(tenant.text("slug")).isEqualTo("demo-group");
        assertThat(tenant.text("id")).isEqualTo(demo.tenantId().toString());
    }

    @Test
    void tenantAdminMayNotCreateTenants() {
        var slug = uniqueSlug();

        var refused = api.withToken(demoAdmin).post("/api/v1/tenants", newTenant(slug));

        assertForbidden(refused);
        assertThat(tenancy.tenantIdBySlug(slug)).isEmpty();
    }

    @Test
    void operatorCreatesATenantAndAReplayReturnsTheSameResult() {
        var operator = api.withToken(keycloak.token("operator", "operator-pass"));
        var slug = uniqueSlug();
        var key = "create-" + slug;

        realm.removesAfterwards(slug);
        var created = operator.post("/api/v1/tenants", newTenant(slug), key);
        var replayed = operator.post("/api/v1/tenants", newTenant(slug), key);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("slug")).isEqualTo(slug);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/tenants/" + created.text("id"));
        assertThat(tenancy.tenantIdBySlug(slug)).hasValue(UUID.fromString(created.text("id")));
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(created.json().path("admin").path("initialPassword").asString()).isNotBlank();
        assertThat(replayed.json().path("admin").has("initialPassword")).as("the password is shown once").isFalse();
        assertThat(replayed.json()).isEqualTo(withoutInitialPassword(created));
        assertThat(replayed.headers().firstValue("Location")).isEqualTo(created.headers().firstValue("Location"));
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void brandManagerMayNotCreateBrands() {
        var code = "by-manager-" + UUID.randomUUID().toString().substring(0, 8);

        var refused = api.withToken(keycloak.token("demo-manager", "demo-manager-pass"))
            .post("/api/v1/brands", Map.of("code", code, "name", "By a manager"));

        assertForbidden(refused);
        assertThat(api.withToken(demoAdmin).get("/api/v1/brands").json().findValuesAsString("code")).doesNotContain(code);
    }

    @Test
    void refusesARequestWithoutCredentials() {
        var refused = api.get("/api/v1/brands");

        assertUnauthenticated(refused);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void refusesATokenSignedByAnotherKey() throws Exception {
        var genuine = SignedJWT.parse(demoAdmin);
        var otherKey = new RSAKeyGenerator(2048).generate();
        var forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
            .keyID(genuine.getHeader().getKeyID()).build(), genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(otherKey));

        assertThat(api.withToken(demoAdmin).get("/api/v1/brands").status()).isEqualTo(200);
        assertUnauthenticated(api.withToken(forged.serialize()).get("/api/v1/brands"));
    }

    @Test
    void refusesAnUnsignedToken() throws Exception {
        var unsigned = new PlainJWT(claims(demoAdmin)).serialize();
        var noneWithKeyId = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\""
            + SignedJWT.parse(demoAdmin).getHeader().getKeyID() + "\"}") + "." + demoAdmin.split("\\.")[1] + ".";

        assertUnauthenticated(api.withToken(unsigned).get("/api/v1/brands"));
        assertUnauthenticated(api.withToken(noneWithKeyId).get("/api/v1/brands"));
    }

    @Test
    void refusesATokenOfAnotherIssuer() throws Exception {
        var master = testClients.masterRealmToken();

        assertThat(claims(master).getIssuer()).isNotEqualTo(keycloak.issuer());
        assertUnauthenticated(api.withToken(master).get("/api/v1/brands"));
    }

    @Test
    void refusesATokenWithoutTheApiAudience() throws Exception {
        var token = testClients.token(clientWithoutAudience, "demo-admin", "demo-admin-pass");
        var claims = claims(token);

        assertThat(claims.getIssuer()).isEqualTo(keycloak.issuer());
        assertThat(claims.getJSONObjectClaim("realm_access").get("roles")).asInstanceOf(LIST).contains("tenant-admin");
        assertThat(claims.getStringListClaim("organization")).containsExactly("demo-group");
        assertThat(claims.getAudience()).doesNotContain("pointbridge-api");
        assertUnauthenticated(api.withToken(token).get("/api/v1/brands"));
    }

    /** Waits, bounded, for a one-second token to pass its expiry and the validator's clock skew. */
    @Test
    void refusesAnExpiredToken() throws Exception {
        var token = testClients.token(clientWithShortTokens, "demo-admin", "demo-admin-pass");
        var expiry = claims(token).getExpirationTime().toInstant();
        var holder = api.withToken(token);

        assertThat(holder.get("/api/v1/brands").status()).as("the fresh token").isEqualTo(200);
        var refusedAt = await().atMost(Duration.between(Instant.now(), expiry.plus(CLOCK_SKEW).plusSeconds(15)))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> holder.get("/api/v1/brands").status() == 401 ? Instant.now() : null, Objects::nonNull);

        assertThat(refusedAt).isAfter(expiry).isBefore(expiry.plus(Duration.ofSeconds(60)));
        assertUnauthenticated(holder.get("/api/v1/brands"));
    }

    @Test
    void refusesInvalidAndRevokedApiKeys() {
        var key = demo.cafe().apiKey();
        var keyId = key.substring(4, 36);
        var wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        var unknown = "pbk_" + UUID.randomUUID().toString().replace("-", "") + key.substring(36);
        var uuid = UUID.fromString(keyId.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));

        assertThat(api.withApiKey(key).get("/api/v1/tenant").status()).as("the key before revocation").isEqualTo(200);
        assertUnauthenticated(api.withApiKey("not-a-key").get("/api/v1/tenant"));
        assertUnauthenticated(api.withApiKey(wrongSecret).get("/api/v1/tenant"));
        assertUnauthenticated(api.withApiKey(unknown).get("/api/v1/tenant"));

        var revoked = api.withToken(demoAdmin).delete("/api/v1/brands/" + demo.cafe().brand().id() + "/api-keys/" + uuid);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.text("revokedAt")).isNotBlank();
        assertUnauthenticated(api.withApiKey(key).get("/api/v1/tenant"));
        assertThat(api.withApiKey(demo.cinema().apiKey()).get("/api/v1/tenant").status())
            .as("another key of the tenant").isEqualTo(200);
    }

    @Test
    void healthAndTheApiDocumentNeedNoCredentials() {
        var health = api.get("/actuator/health");
        var document = api.get("/v3/api-docs");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().path("paths").has("/api/v1/brands")).isTrue();
    }

    @Test
    void metricsNeedTheScrapersBasicAuth() {
        var anonymous = api.get("/actuator/prometheus");
        var wrongPassword = api.send(basic(api.builder("/actuator/prometheus"), "prometheus", metricsPassword + "-wrong"));
        var bearer = api.withToken(demoAdmin).get("/actuator/prometheus");
        var scraper = api.send(basic(api.builder("/actuator/prometheus"), "prometheus", metricsPassword));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(scraper.status()).isEqualTo(200);
        assertThat(scraper.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    private static void assertUnauthenticated(Response response) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo("unauthenticated");
    }

    private static void assertForbidden(Response response) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo("forbidden");
    }

    private static Map<String, Object> newTenant(String slug) {
        return KeycloakRealm.newTenant(slug, "Tenant " + slug);
    }

    private static JsonNode withoutInitialPassword(Response response) {
        var json = response.json();
        ((ObjectNode) json.path("admin")).remove("initialPassword");
        return json;
    }

    private static String uniqueSlug() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpRequest.Builder basic(HttpRequest.Builder request, String user, String password) {
        return request.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }
}
