package io.pointbridge.audit;

import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the audit tests need beside the shared fixtures: tokens of the realm's users and the actors they
 * act as, and the audit rows as stored, read by the superuser past row-level security.
 */
final class AuditTestSupport {

    static final String DEMO_GROUP = "demo-group";
    static final String OTHER_GROUP = "other-group";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REUSE = Duration.ofMinutes(1);
    private static final Map<String, Issued> TOKENS = new HashMap<>();

    private AuditTestSupport() {
    }

    /** A tenant admin of {@code demo-group}. */
    static String demoAdmin() {
        return token("demo-admin");
    }

    /** A tenant admin of {@code other-group}. */
    static String otherAdmin() {
        return token("other-admin");
    }

    /** A brand manager of {@code demo-group}. */
    static String demoManager() {
        return token("demo-manager");
    }

    /** A platform operator, acting for no tenant. */
    static String operator() {
        return token("operator");
    }

    /** The actor a token's user is audited as: {@code user:<subject>}. */
    static String actorOf(String token) {
        var payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return "user:" + JSON.readTree(new String(payload, StandardCharsets.UTF_8)).path("sub").asString();
    }

    /** The actor an integration calling with the key is audited as: {@code api-key:<key id>}. */
    static String actorOfKey(String apiKey) {
        var hex = apiKey.substring("pbk_".length(), "pbk_".length() + 32);
        return "api-key:" + UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    }

    /** Tokens are reused for a minute: issuing one costs Keycloak a password hash, and one lives five minutes. */
    private static synchronized String token(String username) {
        var issued = TOKENS.get(username);
        if (issued == null || issued.at().plus(REUSE).isBefore(Instant.now())) {
            issued = new Issued(KeycloakServer.ensureRunning().token(username, username + "-pass"), Instant.now());
            TOKENS.put(username, issued);
        }
        return issued.token();
    }

    private record Issued(String token, Instant at) {
    }

    /** An audit row as stored, with its raw text to look for what must not be there. */
    record Row(UUID id, UUID tenantId, String actor, String action, String subject, @Nullable JsonNode before,
            @Nullable JsonNode after, Instant at, @Nullable String requestId, String raw) {
    }

    /** The audit trail of one tenant from the moment it is taken: what was added to it since. */
    static final class Trail {

        private final UUID tenantId;
        private final Set<UUID> known;

        private Trail(UUID tenantId, Set<UUID> known) {
            this.tenantId = tenantId;
            this.known = known;
        }

        static Trail of(UUID tenantId) {
            var known = new HashSet<UUID>();
            rows(tenantId).forEach(row -> known.add(row.id()));
            return new Trail(tenantId, known);
        }

        /** The rows added since the trail was taken, oldest first. */
        List<Row> added() {
            return rows(tenantId).stream().filter(row -> !known.contains(row.id())).toList();
        }
    }

    /** Every audit row of the tenant, oldest first. */
    static List<Row> rows(UUID tenantId) {
        var rows = new ArrayList<Row>();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    select audit_id, tenant_id, actor, action, subject, before::text, after::text, at, request_id,
                           r::text as raw
                      from audit_records r where tenant_id = ? order by at, audit_id""")) {
            statement.setObject(1, tenantId);
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getObject("audit_id", UUID.class),
                        result.getObject("tenant_id", UUID.class),
                        result.getString("actor"), result.getString("action"), result.getString("subject"),
                        json(result.getString("before")), json(result.getString("after")),
                        result.getObject("at", OffsetDateTime.class).toInstant(), result.getString("request_id"),
                        result.getString("raw")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static @Nullable JsonNode json(@Nullable String text) {
        return text == null ? null : JSON.readTree(text);
    }
}
