package io.pointbridge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.KeycloakServer;
import java.math.BigDecimal;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tenant admins set up a program's tiers over HTTP: a valid scheme is saved, audited and read back; every
 * kind of mistake gets its own problem type naming the field, and leaves the saved scheme and the audit trail
 * as they were.
 */
class TierSchemeIntegrationTests extends TierIntegrationTest {

    @Autowired
    private AuditTrail audit;

    private Group group;
    private Api admin;
    private String path;

    @BeforeEach
    void aProgramOfTheDemoGroup() {
        group = fixtures.organization("demo-group");
        admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        path = "/api/v1/programs/" + group.cafe().program().id() + "/tiers";
    }

    @Test
    void savesAValidSchemeAuditsItAndReadsItBack() {
        var created = put(admin, path, scheme(), "tiers-" + UUID.randomUUID());

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.number("version")).isEqualTo(1);
        assertThat(created.json().path("window").path("kind").asString()).isEqualTo("calendar");
        assertThat(created.text("timeZone")).isEqualTo("Europe/Paris");
        assertThat(created.json().path("levels").findValuesAsString("code")).containsExactly("bronze", "silver", "gold");
        assertThat(created.json().path("levels").get(0).has("qualification")).isFalse();
        assertThat(created.json().path("levels").get(1).path("qualification").path("any").get(1).path("atLeast").asLong())
            .isEqualTo(5);
        var read = admin.get(path);
        assertThat(read.json()).isEqualTo(created.json());

        var body = scheme();
        levelOf(body, 2).put("multiplier", 2);
        var key = "tiers-" + UUID.randomUUID();
        clock.advance(Duration.ofMinutes(1));
        var changed = put(admin, path, body, key);
        var replayed = put(admin, path, body, key);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.number("version")).isEqualTo(2);
        assertThat(replayed.json()).isEqualTo(changed.json());
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        var records = fixtures.as(group, () -> audit.about("program:" + group.cafe().program().id())).stream()
            .filter(record -> !record.action().equals("program.created")).toList();
        assertThat(records).extracting(AuditTrail.AuditRecord::action).containsExactly("tiers.configured", "tiers.changed");
        assertThat(records.getLast().before().path("version").asInt()).isEqualTo(1);
        assertThat(records.getLast().after().path("levels").get(2).path("multiplier").decimalValue()).isEqualByComparingTo("2");
        assertThat(records.getLast().actor()).startsWith("user:");
    }

    @Test
    void refusesEachKindOfMistakeWithItsOwnProblemAndSavesNothing() {
        assertThat(put(admin, path, scheme(), "tiers-" + UUID.randomUUID()).status()).isEqualTo(201);
        var saved = admin.get(path).body();
        int audited = audited();
        var cases = new ArrayList<Mistake>();
        cases.add(new Mistake("two tiers", 422, "tier-count-out-of-range", "levels",
            body -> levels(body).remove(2)));
        cases.add(new Mistake("six tiers", 422, "tier-count-out-of-range", "levels", body -> {
            for (int i = 3; i < 6; i++) {
                levels(body).add(levelJson("tier-" + i, "Tier " + i, "2", leaf("spend", 100_000L * i)));
            }
        }));
        cases.add(new Mistake("a code twice", 422, "tier-codes-not-unique", "levels[2].code",
            body -> levelOf(body, 2).put("code", "silver")));
        cases.add(new Mistake("a name twice, in other case", 422, "tier-names-not-unique", "levels[2].name",
            body -> levelOf(body, 2).put("name", " SILVER")));
        cases.add(new Mistake("gold reachable without silver", 422, "tier-thresholds-not-increasing",
            "levels[2].qualification", body -> levelOf(body, 2).put("qualification", leaf("points", 100))));
        cases.add(new Mistake("silver's spend already reaches gold", 422, "tier-thresholds-overlap",
            "levels[2].qualification", body -> levelOf(body, 2).put("qualification",
                Map.of("any", List.of(leaf("spend", 10_000), leaf("orders", 10))))));
        cases.add(new Mistake("equal thresholds", 422, "tier-thresholds-overlap", "levels[2].qualification",
            body -> levelOf(body, 2).put("qualification", levelOf(body, 1).get("qualification"))));
        cases.add(new Mistake("a qualification on the entry tier", 422, "tier-qualification-invalid",
            "levels[0].qualification", body -> levelOf(body, 0).put("qualification", leaf("spend", 1))));
        cases.add(new Mistake("no qualification above the entry tier", 422, "tier-qualification-invalid",
            "levels[1].qualification", body -> levelOf(body, 1).remove("qualification")));
        cases.add(new Mistake("an unknown counter", 422, "tier-qualification-invalid", "levels[1].qualification.any[0].counter",
            body -> levelOf(body, 1).put("qualification", Map.of("any", List.of(leaf("visits", 3), leaf("orders", 5))))));
        cases.add(new Mistake("a threshold of zero", 422, "tier-qualification-invalid", "levels[1].qualification.any[1].atLeast",
            body -> levelOf(body, 1).put("qualification", Map.of("any", List.of(leaf("spend", 10_000), leaf("orders", 0))))));
        cases.add(new Mistake("a fractional threshold", 422, "tier-qualification-invalid",
            "levels[1].qualification.any[1].atLeast", body -> levelOf(body, 1).put("qualification",
                Map.of("any", List.of(leaf("spend", 10_000), Map.of("counter", "orders", "atLeast", 2.5))))));
        cases.add(new Mistake("all and a condition in one node", 422, "tier-qualification-invalid", "levels[2].qualification",
            body -> levelOf(body, 2).put("qualification", Map.of("all", List.of(leaf("spend", 30_000)), "counter", "orders",
                "atLeast", 8))));
        cases.add(new Mistake("an empty any", 422, "tier-qualification-invalid", "levels[1].qualification.any",
            body -> levelOf(body, 1).put("qualification", Map.of("any", List.of()))));
        cases.add(new Mistake("conditions nested too deep", 422, "tier-qualification-invalid", "levels[2].qualification",
            body -> levelOf(body, 2).put("qualification", Map.of("all", List.of(Map.of("any", List.of(Map.of("all",
                List.of(leaf("spend", 30_000), leaf("orders", 8))))))))));
        cases.add(new Mistake("a calendar window of 5 months", 422, "tier-window-invalid", "window.months",
            body -> body.put("window", Map.of("kind", "calendar", "months", 5))));
        cases.add(new Mistake("a window of 40 months", 400, "invalid-request", "window.months",
            body -> body.put("window", Map.of("kind", "rolling", "months", 40))));
        cases.add(new Mistake("a weekly window", 400, "invalid-request", "window.kind",
            body -> body.put("window", Map.of("kind", "weekly", "months", 1))));
        cases.add(new Mistake("an unknown time zone", 400, "invalid-request", "timeZone",
            body -> body.put("timeZone", "Mars/Olympus_Mons")));
        cases.add(new Mistake("a grace period over a year", 400, "invalid-request", "graceDays",
            body -> body.put("graceDays", 400)));
        cases.add(new Mistake("a multiplier below 1", 400, "invalid-request", "levels[1].multiplier",
            body -> levelOf(body, 1).put("multiplier", 0.5)));
        cases.add(new Mistake("a multiplier with 3 decimals", 400, "invalid-request", "levels[1].multiplier",
            body -> levelOf(body, 1).put("multiplier", 1.255)));
        cases.add(new Mistake("gold earning less than silver", 422, "tier-multipliers-decreasing", "levels[2].multiplier",
            body -> levelOf(body, 2).put("multiplier", 1.1)));
        cases.add(new Mistake("a code with capitals", 400, "invalid-request", "levels[2].code",
            body -> levelOf(body, 2).put("code", "Gold!")));

        for (var mistake : cases) {
            var body = scheme();
            mistake.make().accept(body);

            var refused = put(admin, path, body, "tiers-" + UUID.randomUUID());

            assertThat(refused.status()).as(mistake.name() + ": " + refused.body()).isEqualTo(mistake.status());
            assertThat(refused.problemType()).as(mistake.name()).isEqualTo(mistake.type());
            assertThat(refused.json().path("errors").findValuesAsString("field")).as(mistake.name())
                .containsExactly(mistake.field());
        }
        assertThat(admin.get(path).body()).as("the saved scheme").isEqualTo(saved);
        assertThat(audited()).as("audit records").isEqualTo(audited);
    }

    @Test
    void explainsWhyThresholdsAreRefusedWithAMemberWhoWouldBreakThem() {
        var body = scheme();
        levelOf(body, 2).put("qualification", leaf("points", 100));

        var refused = put(admin, path, body, "tiers-" + UUID.randomUUID());

        assertThat(refused.json().path("errors").get(0).path("message").asString()).isEqualTo("a member with points 100 "
            + "would reach Gold without reaching Silver below it; each tier must ask for more than the one below");
    }

    @Test
    void onlyTenantAdminsSetUpTiersAndEveryoneSeesOnlyTheirOwnPrograms() {
        var integration = api.withApiKey(group.cafe().apiKey());
        assertThat(integration.get(path).problemType()).isEqualTo("tiers-not-configured");
        assertThat(put(integration, path, scheme(), "tiers-" + UUID.randomUUID()).status()).isEqualTo(403);
        assertThat(put(admin, path, scheme(), "tiers-" + UUID.randomUUID()).status()).isEqualTo(201);

        assertThat(integration.get(path).status()).isEqualTo(200);
        var cinema = "/api/v1/programs/" + group.cinema().program().id() + "/tiers";
        assertThat(integration.get(cinema).problemType()).as("another brand's program").isEqualTo("program-not-found");
        var elsewhere = fixtures.group();
        var otherTenant = "/api/v1/programs/" + elsewhere.cafe().program().id() + "/tiers";
        assertThat(put(admin, otherTenant, scheme(), "tiers-" + UUID.randomUUID()).problemType())
            .as("another tenant's program").isEqualTo("program-not-found");
        assertThat(admin.get(otherTenant).problemType()).isEqualTo("program-not-found");
    }

    private record Mistake(String name, int status, String type, String field, Consumer<Map<String, Object>> make) {
    }

    private int audited() {
        return fixtures.as(group, () -> audit.about("program:" + group.cafe().program().id())).size();
    }

    static Response put(Api api, String path, Object body, String key) {
        return api.send(api.builder(path).header("Content-Type", "application/json").header("Idempotency-Key", key)
            .PUT(BodyPublishers.ofString(Api.json(body))));
    }

    /** Bronze, Silver (spend 100.00 or 5 orders) and Gold (spend 300.00 and 8 orders), calendar years in Paris. */
    static Map<String, Object> scheme() {
        var body = new LinkedHashMap<String, Object>();
        body.put("window", Map.of("kind", "calendar", "months", 12));
        body.put("timeZone", "Europe/Paris");
        body.put("graceDays", 30);
        body.put("levels", new ArrayList<>(List.of(
            levelJson("bronze", "Bronze", "1", null),
            levelJson("silver", "Silver", "1.25", Map.of("any", List.of(leaf("spend", 10_000), leaf("orders", 5)))),
            levelJson("gold", "Gold", "1.5", Map.of("all", List.of(leaf("spend", 30_000), leaf("orders", 8)))))));
        return body;
    }

    static Map<String, Object> levelJson(String code, String name, String multiplier, Object qualification) {
        var level = new LinkedHashMap<String, Object>();
        level.put("code", code);
        level.put("name", name);
        level.put("multiplier", new BigDecimal(multiplier));
        if (qualification != null) {
            level.put("qualification", qualification);
        }
        return level;
    }

    static Map<String, Object> leaf(String counter, long atLeast) {
        return Map.of("counter", counter, "atLeast", atLeast);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> levels(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("levels");
    }

    private static Map<String, Object> levelOf(Map<String, Object> body, int index) {
        return levels(body).get(index);
    }
}
