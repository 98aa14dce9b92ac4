package io.pointbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local Keycloak of {@code infra/keycloak}, started once per JVM by the project script, for real-token tests. */
public final class KeycloakServer {

    private static final String SCRIPT = "infra/keycloak/keycloak.sh";
    private static final String REALM = "pointbridge";
    private static final String CONSOLE_CLIENT = "pointbridge-console";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private static KeycloakServer instance;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final int managementPort;

    private KeycloakServer(int port, int managementPort) {
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Returns the running server, starting it with {@code keycloak.sh start} if it is not ready yet. */
    public static synchronized KeycloakServer ensureRunning() {
        if (instance == null) {
            KeycloakServer server =
                    new KeycloakServer(envPort("KEYCLOAK_PORT", 8180), envPort("KEYCLOAK_MANAGEMENT_PORT", 9180));
            if (!server.isReady()) {
                server.startWithScript();
            }
            instance = server;
        }
        return instance;
    }

    /** The issuer of the realm's tokens, e.g. {@code http://localhost:8180/realms/pointbridge}. */
    public String issuer() {
        return "http://localhost:" + port + "/realms/" + REALM;
    }

    /** An access token for the user, obtained by the password grant on the {@code pointbridge-console} client. */
    public String token(String username, String password) {
        String form = "grant_type=password&client_id=" + CONSOLE_CLIENT + "&scope=openid"
                + "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = send(request);
        Matcher matcher = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !matcher.find()) {
            throw new IllegalStateException(
                    "No token for " + username + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return matcher.group(1);
    }

    private boolean isReady() {
        URI ready = URI.create("http://localhost:" + managementPort + "/health/ready");
        try {
            return send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build()).statusCode() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void startWithScript() {
        Path root = repositoryRoot();
        try {
            Process process = new ProcessBuilder("bash", root.resolve(SCRIPT).toString(), "start")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " start did not finish within 15 minutes");
            }
            if (process.exitValue() != 0 || !isReady()) {
                throw new IllegalStateException(
                        SCRIPT + " start failed (exit " + process.exitValue() + "); see .local/keycloak.log");
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not run " + SCRIPT + " start", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Keycloak request failed: " + request.uri(), e);
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + SCRIPT + " above " + Path.of("").toAbsolutePath());
    }

    private static int envPort(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
