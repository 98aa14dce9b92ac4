package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Injection probes (SQL, script, template, path, control characters) in every free-text field of the
 * integration and admin writes: each is either stored as the plain text it is, and read back unchanged,
 * or refused with a 4xx problem; never a 500, never a change outside the caller's own rows.
 */
class InjectionProbeIntegrationTests extends IntegrationTest {

    private static final List<String> PROBES = List.of(
        "' OR '1'='1",
        "x'); drop table postings; --",
        "\\'; select pg_sleep(0); --",
        "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/a}",
        "#{7*7}{{7*7}}",
        "../../../etc/passwd",
        "\u202e\u0000nul",
        "%27%20OR%201%3D1",
        "a\r\nX-Injected: header");

    /** One write with one free-text field to probe, the body built around the probe. */
    private record Field(String name, Function<Group, String> path, Function<String, Map<String, Object>> body) {
    }

    @Test
    void probesInEveryFreeTextFieldAreStoredVerbatimOrRefusedNeverObeyed() throws Exception {
        var group = fixtures.group();
        var other = fixtures.group();
        var otherMember = fixtures.memberWithBalance(other, 100);
        var member = fixtures.memberWithBalance(group, 10_000);
        var pos = api.withApiKey(group.cafe().apiKey());
        var memberPath = "/api/v1/members/" + member.id();
        var fields = List.of(
            new Field("externalId", g -> "/api/v1/members", probe -> Map.of("externalId", probe)),
            new Field("orderId", g -> memberPath + "/purchases",
                probe -> Map.of("orderId", probe, "amount", "1.00", "currency", "EUR")),
            new Field("lines[].sku", g -> memberPath + "/purchases", probe -> Map.of("orderId", unique(), "amount",
                "1.00", "currency", "EUR", "lines", List.of(Map.of("sku", probe, "category", probe, "quantity", 1,
                    "amount", "1.00")))),
            new Field("spend reference", g -> memberPath + "/spends",
                probe -> Map.of("points", 1, "reference", probe, "description", probe)),
            new Field("refund reference", g -> memberPath + "/purchases/probe-order/refunds",
                probe -> Map.of("amount", "0.01", "currency", "EUR", "reference", probe)));
        var purchase = pos.post(memberPath + "/purchases", Map.of("orderId", "probe-order", "amount", "100.00",
            "currency", "EUR"));
        assertThat(purchase.status()).isEqualTo(201);
        long otherRowsBefore = rowsOf(other);

        var outcomes = new ArrayList<String>();
        for (var field : fields) {
            for (var probe : PROBES) {
                var response = pos.post(field.path().apply(group), new HashMap<>(field.body().apply(probe)));
                outcomes.add(field.name() + " " + response.status());
                assertThat(response.status()).as("%s with %s → %s", field.name(), probe, response.body()).isLessThan(500);
                if (response.status() >= 400) {
                    assertThat(response.contentType()).startsWith("application/problem+json");
                }
                assertThat(response.body()).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("sqlstate");
            }
        }

        var accepted = outcomes.stream().filter(outcome -> outcome.endsWith(" 201")).count();
        assertThat(accepted).as("some probes are plain text a field may hold: " + outcomes).isPositive();
        var history = pos.get(memberPath + "/history?limit=100").json().path("items");
        var references = new ArrayList<String>();
        history.forEach(line -> references.add(line.path("reference").asString()));
        assertThat(references).as("spend references read back verbatim").contains("' OR '1'='1",
            "x'); drop table postings; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}");
        assertThat(rowsOf(other)).as("the other tenant's rows").isEqualTo(otherRowsBefore);
        assertThat(api.withApiKey(other.cafe().apiKey()).get("/api/v1/members/" + otherMember.id() + "/balance")
            .number("balance")).isEqualTo(100);
        assertThat(fixtures.violations(group)).isEmpty();
        assertThat(fixtures.violations(other)).isEmpty();
    }

    @Test
    void probesInAdminNamesAreStoredVerbatim() {
        var admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        var demo = fixtures.organization("demo-group");
        for (var probe : PROBES.subList(0, 6)) {
            var renamed = admin.send(admin.builder("/api/v1/brands/" + demo.cafe().brand().id())
                .header("Content-Type", "application/json").header("Idempotency-Key", unique())
                .PUT(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("name", probe)))));
            assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
            assertThat(admin.get("/api/v1/brands/" + demo.cafe().brand().id()).text("name")).isEqualTo(probe);
        }
    }

    private static long rowsOf(Group group) throws Exception {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    select (select count(*) from journal_entries where tenant_id = ?)
                         + (select count(*) from postings where tenant_id = ?)
                         + (select count(*) from memberships where tenant_id = ?)""")) {
            for (int i = 1; i <= 3; i++) {
                statement.setObject(i, group.tenantId());
            }
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String unique() {
        return "probe-" + UUID.randomUUID();
    }
}
