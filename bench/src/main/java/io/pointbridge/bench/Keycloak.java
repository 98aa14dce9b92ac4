package io.pointbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Tokens for the few calls only an admin may make (the settlement statement), from the project's Keycloak. */
final class Keycloak {

    private Keycloak() {
    }

    static String token(String user, String password) throws IOException, InterruptedException {
        var process = new ProcessBuilder("bash", "infra/keycloak/keycloak.sh", "token", user, password)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || token.isEmpty()) {
            throw new IOException("no token for " + user + " from infra/keycloak/keycloak.sh (is Keycloak running?)");
        }
        return token;
    }
}
