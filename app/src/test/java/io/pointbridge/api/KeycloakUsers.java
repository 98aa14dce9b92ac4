package io.pointbridge.api;

import io.pointbridge.testing.KeycloakServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Real access tokens of the realm's users, reused for a minute: issuing one costs Keycloak a password
 * hash, and a token lives five minutes.
 */
final class KeycloakUsers {

    static final String DEMO_GROUP = "demo-group";

    private static final Duration REUSE = Duration.ofMinutes(1);
    private static final Map<String, Issued> TOKENS = new HashMap<>();

    private KeycloakUsers() {
    }

    /** A platform operator, acting for no tenant. */
    static String operator() {
        return token("operator", "operator-pass");
    }

    /** A tenant admin of the organization {@code demo-group}, hence of the tenant with that slug. */
    static String demoAdmin() {
        return token("demo-admin", "demo-admin-pass");
    }

    private static synchronized String token(String username, String password) {
        var issued = TOKENS.get(username);
        if (issued == null || issued.at().plus(REUSE).isBefore(Instant.now())) {
            issued = new Issued(KeycloakServer.ensureRunning().token(username, password), Instant.now());
            TOKENS.put(username, issued);
        }
        return issued.token();
    }

    private record Issued(String token, Instant at) {
    }
}
