package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.identity.BlindIndex;
import io.pointbridge.tenant.identity.ContactPoint;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Erasure leaves nothing that names the person anywhere, while the ledger stays balanced and auditable. */
class ErasureIntegrationTests extends IntegrationTest {

    @Autowired
    private BlindIndex blindIndex;

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
    void afterErasureNoPersonalDataOfThePersonIsReadableAnywhereAndTheLedgerStillBalances() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        // One customer in two brands (linked by a verified email), with points, consents and a stored enrolment answer.
        var customer = PersonalDataSamples.unique();
        var cafeMember = customer.enrollWithProfile(api, group.cafe());
        var enrolmentKey = "enrol-" + UUID.randomUUID();
        var linked = cinema.post("/api/v1/members", Map.of("externalId", customer.externalId(), "email", customer.email(),
            "emailVerified", true, "consentToLink", true), enrolmentKey);
        assertThat(linked.json().path("linked").asBoolean()).isTrue();
        var person = UUID.fromString(linked.text("personId"));
        cafe.post("/api/v1/members/" + cafeMember + "/purchases", Map.of("orderId", "o-" + UUID.randomUUID(), "amount", "42.00", "currency", "EUR"));
        cafe.post("/api/v1/members/" + cafeMember + "/spends", Map.of("points", 12, "reference", "coffee"));
        cafe.post("/api/v1/members/" + cafeMember + "/consents", Map.of("purpose", "marketing-sms", "granted", true));
        // A second record of the same human, merged into the first by an admin: erased with it.
        var twin = PersonalDataSamples.unique();
        var twinMember = twin.enrollWithProfile(api, group.cinema());
        var twinPerson = personOf(cinema, twinMember);
        fixtures.as(group, () -> merges.merge(person, twinPerson, "same customer", "test:privacy", null));
        var hashes = blindIndexes(group, customer, twin);
        var balanceBefore = cafe.get("/api/v1/members/" + cafeMember + "/balance").json();
        var historyBefore = cafe.get("/api/v1/members/" + cafeMember + "/history?limit=100").json().path("items");
        var personalValues = new ArrayList<>(customer.allValues());
        personalValues.addAll(twin.allValues());
        assertThat(personalValues.stream().filter(value -> !RawRows.tablesContaining(value).isEmpty()))
            .as("the external ids are stored in plaintext before the erasure").contains(customer.externalId(), twin.externalId());

        var erased = admin.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "ticket 4711"));

        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.json().path("erasedPersons").valueStream().map(id -> id.asString()))
            .containsExactlyInAnyOrder(person.toString(), twinPerson.toString());
        assertThat(erased.json().path("pseudonymisedMemberships")).hasSize(3);
        for (var value : personalValues) {
            assertThat(RawRows.tablesContaining(value)).as("tables holding %s after the erasure", value).isEmpty();
        }
        for (var hash : hashes) {
            assertThat(RawRows.tablesContaining(hash)).as("tables holding a blind index of the erased person").isEmpty();
        }
        assertThat(rowsOf(group, "person_contacts", person, twinPerson)).isZero();
        assertThat(rowsOf(group, "person_profiles", person, twinPerson)).isZero();
        // What the API still shows names nobody: pseudonymous ids, no personal data; the points stay.
        var profile = admin.get("/api/v1/persons/" + person + "/profile").json();
        assertThat(profile.path("contacts")).isEmpty();
        assertThat(profile.has("givenName")).isFalse();
        assertThat(cafe.get("/api/v1/members/" + cafeMember).text("externalId")).isEqualTo("erased-" + cafeMember);
        var consents = cafe.get("/api/v1/members/" + cafeMember + "/consents").json().path("inForce");
        assertThat(consents.properties()).allMatch(consent -> !consent.getValue().asBoolean());
        assertThat(cafe.get("/api/v1/members/" + cafeMember + "/balance").json()).isEqualTo(balanceBefore);
        assertThat(cafe.get("/api/v1/members/" + cafeMember + "/history?limit=100").json().path("items")).isEqualTo(historyBefore);
        assertThat(fixtures.violations(group)).isEmpty();
        // A stored answer that named the person is gone too: its replay says so.
        var replay = cinema.post("/api/v1/members", Map.of("externalId", customer.externalId(), "email", customer.email(),
            "emailVerified", true, "consentToLink", true), enrolmentKey);
        assertThat(replay.status()).isEqualTo(410);
        assertThat(replay.problemType()).isEqualTo("answer-erased");
        var records = fixtures.as(group, () -> audit.about("person:" + person));
        assertThat(records).extracting(AuditTrail.AuditRecord::action).contains("person.erased");
        var erasure = records.stream().filter(r -> r.action().equals("person.erased")).findFirst().orElseThrow();
        assertThat(erasure.actor()).startsWith("user:");
        assertThat(erasure.after().path("reason").asString()).isEqualTo("ticket 4711");
    }

    @Test
    void anErasedPersonTakesNoNewPersonalDataButTheCustomerMayEnrollAfresh() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var person = personOf(cafe, member);
        assertThat(admin.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "asked by the customer")).status())
            .isEqualTo(200);

        var profile = PersonalDataSamples.putProfile(cafe, member, customer.profile(), UUID.randomUUID().toString());
        var contacts = cafe.post("/api/v1/members/" + member + "/contacts", Map.of("email", customer.email()));
        var again = admin.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "twice"));
        var afresh = cafe.post("/api/v1/members", customer.enrolment());

        assertThat(profile.status()).isEqualTo(410);
        assertThat(profile.problemType()).isEqualTo("person-erased");
        assertThat(contacts.status()).isEqualTo(410);
        assertThat(again.status()).isEqualTo(410);
        assertThat(afresh.status()).as("the external id is free again: a new member and person").isEqualTo(201);
        assertThat(afresh.text("personId")).isNotEqualTo(person.toString());
        assertThat(RawRows.tablesContaining(customer.givenName())).isEmpty();
    }

    @Test
    void refusesAnErasureByAnyoneButATenantAdminOrOfAMergedOrUnknownPersonAndChangesNothing() {
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var person = personOf(cafe, member);
        var twin = personOf(api.withApiKey(group.cinema().apiKey()), PersonalDataSamples.unique().enrollWithProfile(api, group.cinema()));
        fixtures.as(group, () -> merges.merge(person, twin, "same customer", "test:privacy", null));

        var byIntegration = cafe.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "x"));
        var ofMerged = admin.post("/api/v1/persons/" + twin + "/erasure", Map.of("reason", "x"));
        var unknown = admin.post("/api/v1/persons/" + UUID.randomUUID() + "/erasure", Map.of("reason", "x"));
        var noReason = admin.post("/api/v1/persons/" + person + "/erasure", Map.of());
        fixtures.organization("other-group");
        var otherTenant = api.withToken(KeycloakServer.ensureRunning().token("other-admin", "other-admin-pass"))
            .post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "x"));

        assertThat(byIntegration.status()).isEqualTo(403);
        assertThat(ofMerged.status()).isEqualTo(409);
        assertThat(ofMerged.problemType()).isEqualTo("person-already-merged");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("errors").get(0).path("field").asString()).isEqualTo("reason");
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(cafe.get("/api/v1/members/" + member + "/profile").text("givenName")).isEqualTo(customer.givenName());
        assertThat(cafe.get("/api/v1/members/" + member).text("externalId")).isEqualTo(customer.externalId());
    }

    private UUID personOf(Api integration, UUID member) {
        return UUID.fromString(integration.get("/api/v1/members/" + member).text("personId"));
    }

    private List<byte[]> blindIndexes(Group group, PersonalDataSamples... customers) {
        var hashes = new ArrayList<byte[]>();
        for (var customer : customers) {
            hashes.add(fixtures.as(group, () -> blindIndex.of(ContactPoint.email(customer.email()))));
            hashes.add(fixtures.as(group, () -> blindIndex.of(ContactPoint.phone(customer.phone()))));
        }
        assertThat(hashes).allMatch(hash -> !RawRows.tablesContaining(hash).isEmpty());
        return hashes;
    }

    private static long rowsOf(Group group, String table, UUID... persons) {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(
                    "select count(*) from " + table + " where tenant_id = ? and person_id = any (?)")) {
            statement.setObject(1, group.tenantId());
            statement.setArray(2, connection.createArrayOf("uuid", persons));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
