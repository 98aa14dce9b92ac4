package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.privacy.Retention;
import io.pointbridge.tenant.privacy.RetentionJob;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Each tenant's retention erases persons inactive for longer than its period, as the clock moves on. */
class RetentionIntegrationTests extends IntegrationTest {

    private static final String BACKDATE = "now() - interval '2 years'";

    @Autowired
    private Retention retention;

    @Autowired
    private RetentionJob job;

    @Autowired
    private AuditTrail audit;

    @Test
    void erasesPersonsInactiveBeyondTheTenantsPeriodAsTheClockMovesOn() {
        var group = fixtures.group();
        var unlimited = fixtures.group();
        fixtures.as(group, () -> retention.update(12, "test:privacy", null));
        var dormant = PersonalDataSamples.unique();
        var dormantMember = dormant.enrollWithProfile(api, group.cafe());
        var regular = PersonalDataSamples.unique();
        var regularMember = regular.enrollWithProfile(api, group.cafe());
        var kept = PersonalDataSamples.unique();
        var keptMember = kept.enrollWithProfile(api, unlimited.cafe());
        backdateEverythingButTheJournal(group);
        backdateEverythingButTheJournal(unlimited);
        // The regular customer still buys: a journal entry today is activity.
        api.withApiKey(group.cafe().apiKey()).post("/api/v1/members/" + regularMember + "/purchases",
            Map.of("orderId", "o-" + UUID.randomUUID(), "amount", "20.00", "currency", "EUR"));
        var today = Clock.systemUTC();

        assertThat(fixtures.as(group, () -> job.runForCurrentTenant(today))).isEqualTo(1);
        assertThat(givenName(group, dormantMember)).isNull();
        assertThat(givenName(group, regularMember)).isEqualTo(regular.givenName());
        assertThat(fixtures.as(unlimited, () -> job.runForCurrentTenant(today))).as("a tenant without retention").isZero();

        assertThat(fixtures.as(group, () -> job.runForCurrentTenant(later(today, 11)))).isZero();
        assertThat(givenName(group, regularMember)).isEqualTo(regular.givenName());

        job.run(later(today, 13));

        assertThat(givenName(group, regularMember)).isNull();
        assertThat(givenName(unlimited, keptMember)).isEqualTo(kept.givenName());
        for (var value : dormant.allValues()) {
            assertThat(RawRows.tablesContaining(value)).as("tables holding %s", value).isEmpty();
        }
        var person = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + regularMember).text("personId");
        var erasure = fixtures.as(group, () -> audit.about("person:" + person)).stream()
            .filter(record -> record.action().equals("person.erased")).toList();
        assertThat(erasure).singleElement().satisfies(record -> {
            assertThat(record.actor()).isEqualTo("system:retention");
            assertThat(record.after().path("reason").asString()).startsWith("retention: no activity for 12 months");
        });
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void severalInstancesApplyRetentionWithoutErasingAnyoneTwice() throws Exception {
        var group = fixtures.group();
        fixtures.as(group, () -> retention.update(1, "test:privacy", null));
        var members = new ArrayList<UUID>();
        for (int i = 0; i < 6; i++) {
            members.add(PersonalDataSamples.unique().enrollWithProfile(api, group.cafe()));
        }
        backdateEverythingButTheJournal(group);
        var start = new CountDownLatch(1);
        var executor = Executors.newFixedThreadPool(3);
        var instances = new ArrayList<Future<Integer>>();
        int erased = 0;
        try {
            for (int i = 0; i < 3; i++) {
                instances.add(executor.submit(() -> {
                    start.await();
                    return fixtures.as(group, () -> job.runForCurrentTenant(Clock.systemUTC()));
                }));
            }
            start.countDown();
            for (var instance : instances) {
                erased += instance.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(erased).isEqualTo(6);
        for (var member : members) {
            var person = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member).text("personId");
            assertThat(fixtures.as(group, () -> audit.about("person:" + person)))
                .filteredOn(record -> record.action().equals("person.erased")).hasSize(1);
        }
    }

    @Test
    void aTenantAdminSetsTheRetentionPeriod() {
        var keycloak = KeycloakServer.ensureRunning();
        var group = fixtures.organization("demo-group");
        var admin = api.withToken(keycloak.token("demo-admin", "demo-admin-pass"));

        var set = put(admin, Map.of("eraseAfterInactiveMonths", 24));
        var read = admin.get("/api/v1/privacy/retention");
        var tooShort = put(admin, Map.of("eraseAfterInactiveMonths", 0));
        var byIntegration = put(api.withApiKey(group.cafe().apiKey()), Map.of("eraseAfterInactiveMonths", 1));
        var cleared = put(admin, Map.of());

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("eraseAfterInactiveMonths").asInt()).isEqualTo(24);
        assertThat(read.json().path("eraseAfterInactiveMonths").asInt()).isEqualTo(24);
        assertThat(read.text("updatedBy")).startsWith("user:");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().path("errors").get(0).path("field").asString()).isEqualTo("eraseAfterInactiveMonths");
        assertThat(byIntegration.status()).isEqualTo(403);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().has("eraseAfterInactiveMonths")).isFalse();
        assertThat(fixtures.as(group, () -> audit.about("privacy-settings:retention")))
            .extracting(AuditTrail.AuditRecord::action).contains("retention.changed");
    }

    private static Response put(Api api, Object body) {
        return api.send(api.builder("/api/v1/privacy/retention").header("Content-Type", "application/json")
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .PUT(HttpRequest.BodyPublishers.ofString(Api.json(body))));
    }

    private String givenName(Group group, UUID member) {
        var profile = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member + "/profile");
        assertThat(profile.status()).isEqualTo(200);
        return profile.json().path("givenName").asString(null);
    }

    private static Clock later(Clock clock, int months) {
        var now = clock.instant();
        return Clock.offset(clock, Duration.between(now, now.atOffset(ZoneOffset.UTC).plusMonths(months).toInstant()));
    }

    /**
     * Moves everything a tenant's persons did two years back, as if they had been quiet since, except the journal,
     * which is append-only even for the superuser (its entries are the activity the tests make today).
     */
    private static void backdateEverythingButTheJournal(Group group) {
        for (var update : List.of("update persons set created_at = " + BACKDATE + " where tenant_id = ?",
                "update memberships set enrolled_at = " + BACKDATE + " where tenant_id = ?",
                "update person_profiles set updated_at = " + BACKDATE + " where tenant_id = ?",
                "update person_contacts set created_at = " + BACKDATE + " where tenant_id = ?",
                "update person_consents set recorded_at = " + BACKDATE + " where tenant_id = ?")) {
            RawRows.execute(update, group.tenantId());
        }
    }
}
