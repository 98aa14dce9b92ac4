package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.expiry.PointsReleased;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.KeycloakServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Over HTTP, with a real Keycloak token: a tenant admin sets a program's points policy (audited, idempotent,
 * bad ones refused field by field with nothing changed) and runs a points job, following it to its end;
 * integrations read the policy of their own brand's program only and change nothing.
 */
class PointsPolicyApiIntegrationTests extends PointsOverTimeIntegrationTest {

    @Autowired
    AuditTrail audit;

    private String adminToken;

    @Test
    void aTenantAdminSetsAProgramsPolicyAndItsIntegrationsReadIt() {
        var group = fixtures.demoGroup();
        var shop = shop(group);
        var path = policyPath(shop);
        var body = policy(14, "NEGATIVE_ALLOWED", 250, Map.of("kind", "FIXED_DATES", "dates", List.of("12-31"),
            "minimumMonths", 12, "zone", "Europe/Berlin"), 30);

        var changed = put(admin().with("X-Request-Id", "policy-change-1"), path, body, "policy-shop-1");
        var replayed = put(admin(), path, body, "policy-shop-1");
        var read = api.withApiKey(shop.apiKey()).get(path);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(changed.json());
        assertThat(read.json().path("expiry").path("zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(api.withApiKey(group.cafe().apiKey()).get(path).problemType()).isEqualTo("program-not-found");
        var records = policyChanges(group, shop.program().id());
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.action()).isEqualTo("points-policy.changed");
            assertThat(record.actor()).startsWith("user:");
            assertThat(record.requestId()).isEqualTo("policy-change-1");
            assertThat(record.before().path("expiry").path("months").asInt()).isEqualTo(12);
            assertThat(record.after().path("debtLimit").asLong()).isEqualTo(250);
        });
    }

    @Test
    void refusesBadPoliciesNamingTheFieldAndChangesNothing() {
        var group = fixtures.demoGroup();
        var shop = shop(group);
        var path = policyPath(shop);
        var before = api.withApiKey(shop.apiKey()).get(path).json();
        var rolling = Map.<String, Object>of("kind", "ROLLING", "months", 12);
        var cases = Map.<String, Map<String, Object>>of(
            "pendingDays", policy(-1, "PARTIAL", 0, rolling, null),
            "clawbackPolicy", policy(0, "SOMETIMES", 0, rolling, null),
            "debtLimit", policy(0, "NEGATIVE_ALLOWED", 0, rolling, null),
            "expiry.months", policy(0, "PARTIAL", 0, Map.of("kind", "ROLLING", "months", 0), null),
            "expiry.dates[0]", policy(0, "PARTIAL", 0, Map.of("kind", "FIXED_DATES", "dates", List.of("13-01")), null),
            "expiry.zone", policy(0, "PARTIAL", 0,
                Map.of("kind", "FIXED_DATES", "dates", List.of("12-31"), "zone", "Mars/Olympus"), null),
            "expiry.dates", policy(0, "PARTIAL", 0, Map.of("kind", "ROLLING", "months", 12, "dates", List.of("12-31")),
                null),
            "expiryReminderDays", policy(0, "PARTIAL", 0, Map.of("kind", "NONE"), 30),
            "expiry.kind", policy(0, "PARTIAL", 0, Map.of("kind", "SOMETIMES"), null));

        cases.forEach((field, body) -> {
            var refused = put(admin(), path, body, UUID.randomUUID().toString());
            assertThat(refused.status()).as(field + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.problemType()).isEqualTo("invalid-request");
            assertThat(refused.json().path("errors").findValuesAsString("field")).as(field).containsExactly(field);
        });
        assertThat(api.withApiKey(shop.apiKey()).get(path).json()).isEqualTo(before);
        assertThat(policyChanges(group, shop.program().id())).isEmpty();
    }

    @Test
    void integrationsCannotChangeAPolicyNorRunJobs() {
        var group = fixtures.demoGroup();
        var shop = shop(group);
        var integration = api.withApiKey(shop.apiKey());

        var change = put(integration, policyPath(shop), policy(0, "PARTIAL", 0, Map.of("kind", "NONE"), null), "policy-by-pos");
        var run = integration.post("/api/v1/points-jobs/points-expiry/runs", "{}");

        assertThat(change.status()).isEqualTo(403);
        assertThat(run.status()).isEqualTo(403);
    }

    @Test
    void aTenantAdminRunsAJobAndFollowsItToItsEnd() {
        var group = fixtures.demoGroup();
        var shop = shop(group);
        points.policy(group, shop, new PointsPolicy(3, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(12), null));
        var member = fixtures.member(group, shop);
        points.purchase(group, member, "order-1", 12_00);
        clock.advance(Duration.ofDays(4));

        var queued = admin().post("/api/v1/points-jobs/pending-release/runs", "{}");

        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        var location = queued.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/api/v1/points-jobs/runs/" + queued.text("id"));
        var finished = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get(location),
            run -> run.status() == 200 && List.of("SUCCEEDED", "FAILED").contains(run.text("status")));
        assertThat(finished.text("status")).isEqualTo("SUCCEEDED");
        assertThat(finished.text("job")).isEqualTo("pending-release");
        assertThat(finished.number("lots")).isPositive();
        assertThat(finished.text("requestedBy")).startsWith("user:");
        assertThat(points.events(group, PointsReleased.TYPE))
            .anySatisfy(event -> assertThat(event.path("memberId").asString()).isEqualTo(member.id().toString()));
        assertThat(admin().get("/api/v1/points-jobs/runs?limit=100").json().findValuesAsString("id"))
            .contains(queued.text("id"));
        var unknown = admin().post("/api/v1/points-jobs/everything/runs", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("points-job-not-found");
        assertThat(admin().get("/api/v1/points-jobs/runs/" + UUID.randomUUID()).problemType())
            .isEqualTo("job-run-not-found");
    }

    private BrandSetup shop(Group group) {
        return fixtures.brand(group, "shop-" + UUID.randomUUID().toString().substring(0, 8), "Shop Points");
    }

    /** demo-admin of organization demo-group, a tenant admin; one token per test, as issuing one costs a hash. */
    private Api admin() {
        if (adminToken == null) {
            adminToken = KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass");
        }
        return api.withToken(adminToken);
    }

    private static String policyPath(BrandSetup brand) {
        return "/api/v1/programs/" + brand.program().id() + "/points-policy";
    }

    private static Map<String, Object> policy(int pendingDays, String clawback, long debtLimit,
            Map<String, Object> expiry, Integer reminderDays) {
        var body = new HashMap<String, Object>();
        body.put("pendingDays", pendingDays);
        body.put("clawbackPolicy", clawback);
        body.put("debtLimit", debtLimit);
        body.put("expiry", expiry);
        body.put("expiryReminderDays", reminderDays);
        return body;
    }

    private static Response put(Api caller, String path, Object body, String idempotencyKey) {
        return caller.send(caller.builder(path).header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .PUT(HttpRequest.BodyPublishers.ofString(Api.json(body))));
    }

    /** The audit records about the program other than its creation by the fixtures. */
    private List<AuditTrail.AuditRecord> policyChanges(Group group, UUID program) {
        return fixtures.as(group, () -> audit.about("program:" + program)).stream()
            .filter(record -> !record.action().equals("program.created")).toList();
    }
}
