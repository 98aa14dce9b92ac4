package io.pointbridge.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.KeycloakServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A tenant admin of demo-group (Keycloak user demo-admin, a real token) working on one program's earning
 * rules over HTTP, with builders for the bodies the rule endpoints take.
 */
final class RulesApi {

    static final String DEMO_GROUP = "demo-group";
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(1);

    private static String token;
    private static Instant tokenIssuedAt = Instant.EPOCH;

    private final Api admin;
    private final UUID programId;

    RulesApi(Api api, UUID programId) {
        this.admin = api.withToken(adminToken());
        this.programId = programId;
    }

    /** A token of demo-admin, reused for a minute: issuing one costs Keycloak a password hash. */
    static synchronized String adminToken() {
        if (token == null || tokenIssuedAt.plus(TOKEN_REUSE).isBefore(Instant.now())) {
            token = KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass");
            tokenIssuedAt = Instant.now();
        }
        return token;
    }

    Api admin() {
        return admin;
    }

    String path() {
        return "/api/v1/programs/" + programId + "/rules";
    }

    /** Sets the program's time zone, in which rules read dates, weekdays and hours. */
    void timeZone(String zone) {
        var response = admin.send(admin.builder("/api/v1/programs/" + programId + "/time-zone")
            .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Api.json(Map.of("timeZone", zone)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    Response create(Map<String, ?> rule) {
        return admin.post(path(), rule);
    }

    /** Drafts a rule, which must be accepted, and answers its id. */
    UUID draft(Map<String, ?> rule) {
        var response = create(rule);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return UUID.fromString(response.text("ruleId"));
    }

    /** Drafts a rule and publishes the program's drafts. */
    UUID publish(Map<String, ?> rule) {
        var id = draft(rule);
        publish();
        return id;
    }

    Response change(UUID ruleId, Map<String, ?> rule) {
        return admin.post(path() + "/" + ruleId + "/versions", rule);
    }

    JsonNode publish() {
        var response = admin.post(path() + "/publish", Map.of());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    JsonNode list() {
        var response = admin.get(path());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Explains a sample event against the draft set. */
    JsonNode dryRunDraft(Map<String, ?> event) {
        return dryRun(Map.of("event", event, "ruleSet", "DRAFT"));
    }

    JsonNode dryRun(Map<String, ?> request) {
        var response = admin.post(path() + "/dry-run", request);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    JsonNode backtest(Instant from, Instant to) {
        var response = admin.post(path() + "/backtest", Map.of("from", from.toString(), "to", to.toString()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** The outcome of the one rule named so in an explanation. */
    static JsonNode outcome(JsonNode explanation, String name) {
        var found = explanation.path("rules").valueStream()
            .filter(rule -> name.equals(rule.path("name").asString())).toList();
        assertThat(found).as("outcomes of '%s' in %s", name, explanation).hasSize(1);
        return found.getFirst();
    }

    /** A rule body: name, event type, condition (or null) and action; more settings with {@link #with}. */
    static Map<String, Object> rule(String name, String event, String condition, Map<String, ?> action) {
        var rule = new LinkedHashMap<String, Object>();
        rule.put("name", name);
        rule.put("event", event);
        if (condition != null) {
            rule.put("condition", condition);
        }
        rule.put("action", action);
        return rule;
    }

    static Map<String, Object> with(Map<String, Object> rule, Object... settings) {
        var more = new LinkedHashMap<>(rule);
        for (int i = 0; i < settings.length; i += 2) {
            more.put((String) settings[i], settings[i + 1]);
        }
        return more;
    }

    static Map<String, Object> fixed(long points) {
        return Map.of("kind", "FIXED", "points", points);
    }

    static Map<String, Object> perAmount(long points, String per) {
        return Map.of("kind", "PER_AMOUNT", "points", points, "per", per);
    }

    static Map<String, Object> multiplier(String factor) {
        return Map.of("kind", "MULTIPLIER", "factor", factor);
    }

    static Map<String, Object> bonus(String percent) {
        return Map.of("kind", "BONUS", "percent", percent);
    }

    static Map<String, Object> withLineFilter(Map<String, Object> action, String filter) {
        var filtered = new LinkedHashMap<>(action);
        filtered.put("lineFilter", filter);
        return filtered;
    }

    /** A sample purchase of the amount (EUR), now, with optional settings such as lines, channel, store. */
    static Map<String, Object> purchase(String amount, Object... settings) {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", "purchase");
        event.put("amount", amount);
        for (int i = 0; i < settings.length; i += 2) {
            event.put((String) settings[i], settings[i + 1]);
        }
        return event;
    }

    static Map<String, Object> line(String sku, String category, String amount) {
        return Map.of("sku", sku, "category", category, "quantity", 1, "amount", amount);
    }

    @SafeVarargs
    static List<Map<String, Object>> lines(Map<String, Object>... lines) {
        return List.of(lines);
    }
}
