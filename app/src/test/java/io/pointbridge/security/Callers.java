package io.pointbridge.security;

import io.pointbridge.security.PermissionMatrix.Caller;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The callers of the permission matrix as clients of the API, acting for the Keycloak organization
 * {@code demo-group}: the realm's demo users with real tokens (reused for a minute: issuing one costs Keycloak a
 * password hash, and a token lives five minutes), the users a test made (a support agent, a member), an integration
 * with a brand's API key, and no credentials at all.
 */
public final class Callers {

    private static final Duration TOKEN_REUSE = Duration.ofMinutes(1);

    private final Api api;
    private final String apiKey;
    private final Map<Caller, Login> logins = new EnumMap<>(Caller.class);
    private final Map<Caller, Token> tokens = new ConcurrentHashMap<>();

    private record Login(String username, String password) {
    }

    private record Token(String value, Instant at) {
    }

    /** The callers, the integration with the given API key. */
    public Callers(Api api, String apiKey) {
        this.api = api;
        this.apiKey = apiKey;
        logins.put(Caller.OPERATOR, new Login("operator", "operator-pass"));
        logins.put(Caller.TENANT_ADMIN, new Login("demo-admin", "demo-admin-pass"));
        logins.put(Caller.BRAND_MANAGER, new Login("demo-manager", "demo-manager-pass"));
    }

    /** The same callers with a support agent, a user the test made in the realm. */
    public Callers withSupportAgent(String username, String password) {
        logins.put(Caller.SUPPORT_AGENT, new Login(username, password));
        return this;
    }

    /**
     * The same callers with a member, a user the test made in the realm with the role {@code member} and a verified
     * email, which links their sign-in to the person holding it (see {@link Scenes#member}).
     */
    public Callers withMember(String username, String password) {
        logins.put(Caller.MEMBER, new Login(username, password));
        return this;
    }

    public Api client(Caller caller) {
        return switch (caller) {
            case ANONYMOUS -> api;
            case INTEGRATION -> api.withApiKey(apiKey);
            default -> api.withToken(token(caller));
        };
    }

    /** The caller's user id in Keycloak: the {@code sub} of its tokens, which brand grants name. */
    public String subject(Caller caller) {
        var payload = new String(Base64.getUrlDecoder().decode(token(caller).split("\\.")[1]), StandardCharsets.UTF_8);
        var matcher = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        if (!matcher.find()) {
            throw new IllegalStateException("no sub claim in " + payload);
        }
        return matcher.group(1);
    }

    /** A token of the caller's user, issued at most a minute ago. */
    public String token(Caller caller) {
        var login = logins.get(caller);
        if (login == null) {
            throw new IllegalArgumentException(caller + " has no user");
        }
        return tokens.compute(caller, (key, held) -> held != null && held.at().plus(TOKEN_REUSE).isAfter(Instant.now())
            ? held : new Token(KeycloakServer.ensureRunning().token(login.username(), login.password()), Instant.now()))
            .value();
    }
}
