package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A person's data export holds everything the tenant keeps about them, machine-readable, for tenant admins only. */
class PersonExportIntegrationTests extends IntegrationTest {

    @Autowired
    private PersonMerges merges;

    @Autowired
    private AuditTrail audit;

    private Api admin;

    @BeforeEach
    void signIn() {
        admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
    }

    @Test
    void exportsProfileMembershipsBalancesLedgerHistoryAndConsents() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var customer = PersonalDataSamples.unique();
        var cafeMember = customer.enrollWithProfile(api, group.cafe());
        var person = UUID.fromString(cafe.get("/api/v1/members/" + cafeMember).text("personId"));
        var order = "o-" + UUID.randomUUID();
        cafe.post("/api/v1/members/" + cafeMember + "/purchases", Map.of("orderId", order, "amount", "42.00", "currency", "EUR"));
        cafe.post("/api/v1/members/" + cafeMember + "/spends", Map.of("points", 12, "reference", "coffee"));
        cafe.post("/api/v1/members/" + cafeMember + "/consents", Map.of("purpose", "marketing-email", "granted", true, "collectedVia", "pos"));
        var twin = PersonalDataSamples.unique();
        var twinMember = twin.enrollWithProfile(api, group.cinema());
        var twinPerson = UUID.fromString(cinema.get("/api/v1/members/" + twinMember).text("personId"));
        fixtures.as(group, () -> merges.merge(person, twinPerson, "same customer", "test:privacy", null));

        var response = admin.get("/api/v1/persons/" + person + "/export");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"person-" + person + ".json\"");
        var export = response.json();
        assertThat(export.path("format").asString()).isEqualTo("pointbridge.person-export/1");
        var exported = export.path("person");
        assertThat(exported.path("personId").asString()).isEqualTo(person.toString());
        var profile = exported.path("profile");
        assertThat(profile.path("masked").asBoolean()).isFalse();
        assertThat(profile.path("givenName").asString()).isEqualTo(customer.givenName());
        assertThat(profile.path("familyName").asString()).isEqualTo(customer.familyName());
        assertThat(profile.path("birthday").asString()).isEqualTo(customer.birthday().toString());
        assertThat(values(profile.path("contacts"))).containsExactlyInAnyOrder(customer.email(), customer.phone(), twin.email(), twin.phone());
        var memberships = exported.path("memberships");
        assertThat(memberships).hasSize(2);
        var cafeMembership = membership(memberships, cafeMember);
        assertThat(cafeMembership.path("externalId").asString()).isEqualTo(customer.externalId());
        assertThat(cafeMembership.path("balance").path("balance").asLong()).isEqualTo(30);
        assertThat(cafeMembership.path("history").valueStream().map(line -> line.path("kind").asString() + " " + line.path("points").asLong()))
            .containsExactly("SPEND -12", "EARN 42");
        assertThat(cafeMembership.path("history").get(1).path("reference").asString()).isEqualTo(order);
        assertThat(membership(memberships, twinMember).path("externalId").asString()).isEqualTo(twin.externalId());
        var consents = exported.path("consents");
        assertThat(consents.path("inForce").path("marketing-email").asBoolean()).isTrue();
        assertThat(consents.path("history").valueStream().map(c -> c.path("collectedVia").asString(null))).contains("pos");
        // The merged record of the same human comes with it: its own profile (the survivor kept its own).
        var merged = export.path("mergedPersons");
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).path("personId").asString()).isEqualTo(twinPerson.toString());
        assertThat(merged.get(0).path("profile").path("givenName").asString()).isEqualTo(twin.givenName());
        assertThat(fixtures.as(group, () -> audit.about("person:" + person)))
            .extracting(AuditTrail.AuditRecord::action).contains("person.exported");
    }

    @Test
    void anExportAfterErasureHoldsTheLedgerButNoPersonalData() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var person = cafe.get("/api/v1/members/" + member).text("personId");
        cafe.post("/api/v1/members/" + member + "/purchases", Map.of("orderId", "o-" + UUID.randomUUID(), "amount", "9.00", "currency", "EUR"));
        admin.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "asked by the customer"));

        var export = admin.get("/api/v1/persons/" + person + "/export");

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.json().path("person").path("erasedAt").asString()).isNotEmpty();
        assertThat(export.json().path("person").path("memberships").get(0).path("history")).hasSize(1);
        for (var value : customer.allValues()) {
            assertThat(export.body()).doesNotContainIgnoringCase(value);
        }
    }

    @Test
    void onlyTheTenantsAdminsMayExport() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var member = PersonalDataSamples.unique().enrollWithProfile(api, group.cafe());
        var person = cafe.get("/api/v1/members/" + member).text("personId");

        var byIntegration = cafe.get("/api/v1/persons/" + person + "/export");
        fixtures.organization("other-group");
        var byOtherTenant = api.withToken(KeycloakServer.ensureRunning().token("other-admin", "other-admin-pass"))
            .get("/api/v1/persons/" + person + "/export");
        var unknown = admin.get("/api/v1/persons/" + UUID.randomUUID() + "/export");

        assertThat(byIntegration.status()).isEqualTo(403);
        assertThat(byOtherTenant.status()).isEqualTo(404);
        assertThat(byOtherTenant.problemType()).isEqualTo("person-not-found");
        assertThat(unknown.status()).isEqualTo(404);
    }

    private static JsonNode membership(JsonNode memberships, UUID member) {
        return memberships.valueStream().filter(m -> m.path("memberId").asString().equals(member.toString())).findFirst()
            .orElseThrow();
    }

    private static java.util.List<String> values(JsonNode contacts) {
        return contacts.valueStream().map(contact -> contact.path("value").asString()).toList();
    }
}
