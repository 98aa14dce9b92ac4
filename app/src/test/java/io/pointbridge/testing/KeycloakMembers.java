package io.pointbridge.testing;

import java.util.UUID;

/**
 * Members (realm role {@code member}) of a Keycloak organization that a test signs up through the admin API, with
 * real access tokens; deleted from Keycloak on {@link #close()}.
 */
public final class KeycloakMembers implements AutoCloseable {

    private final KeycloakServer server = KeycloakServer.ensureRunning();
    private final KeycloakRealm realm = new KeycloakRealm(server);

    /** A member's account: {@code subject} is the {@code sub} of their tokens. */
    public record Member(String username, String password, String email, String subject) {
    }

    /** A unique email address, in the lower case Keycloak keeps it in. */
    public static String uniqueEmail() {
        return "member-" + UUID.randomUUID().toString().substring(0, 12) + "@members.example";
    }

    /** A member of the organization whose account has the email, verified by Keycloak or not. */
    public Member signUp(String organization, String email, boolean emailVerified) {
        var username = "member-" + UUID.randomUUID().toString().substring(0, 12);
        var password = UUID.randomUUID().toString();
        var subject = realm.createUser(username, password, "member", organization, email, emailVerified);
        return new Member(username, password, email, subject);
    }

    /** A fresh access token of the member. */
    public String token(Member member) {
        return server.token(member.username(), member.password());
    }

    @Override
    public void close() {
        realm.close();
    }
}
