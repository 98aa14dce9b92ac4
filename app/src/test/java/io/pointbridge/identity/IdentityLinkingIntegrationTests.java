package io.pointbridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.identity.Persons;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Linking a new brand membership to the person the group knows already, by a verified email or phone. */
class IdentityLinkingIntegrationTests extends IntegrationTest {

    @Autowired
    private IdentityTestSupport support;

    @Autowired
    private Persons persons;

    @Autowired
    private AuditTrail audit;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void linksANewBrandMembershipToThePersonWithTheSameVerifiedEmailWhenTheMemberConsents() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var cafe = enroll(group.cafe(), contacts(email, true, null, false, true));
        assertThat(cafe.status()).isEqualTo(201);
        assertThat(cafe.json().path("linked").asBoolean()).isFalse();

        var cinema = enroll(group.cinema(), contacts("  " + email.toUpperCase() + " ", true, null, false, true));

        assertThat(cinema.status()).isEqualTo(201);
        assertThat(cinema.json().path("linked").asBoolean()).isTrue();
        assertThat(cinema.text("personId")).isEqualTo(cafe.text("personId"));
        var balances = api.withApiKey(group.cinema().apiKey()).get("/api/v1/members/" + cinema.text("id") + "/group-balances");
        assertThat(balances.status()).isEqualTo(200);
        assertThat(balances.text("personId")).isEqualTo(cafe.text("personId"));
        var memberships = balances.json().path("memberships");
        assertThat(memberships).hasSize(2);
        for (var membership : memberships) {
            var own = membership.path("brandId").asString().equals(group.cinema().brand().id().toString());
            // Another brand's balance is shared across the group; its member and customer ids are not.
            assertThat(membership.has("memberId")).isEqualTo(own);
            assertThat(membership.has("externalId")).isEqualTo(own);
            assertThat(membership.has("balance")).isTrue();
        }
        var person = UUID.fromString(cafe.text("personId"));
        var linked = fixtures.as(group, () -> audit.about("person:" + person));
        assertThat(linked).extracting(AuditTrail.AuditRecord::action).containsExactly("membership.linked");
        assertThat(linked.getFirst().actor()).startsWith("api-key:");
        assertThat(fixtures.as(group, () -> persons.view(person)).linkingConsent()).isTrue();
    }

    @Test
    void linksByAVerifiedPhoneWrittenAnotherWay() {
        var group = fixtures.group();
        var phone = uniquePhone();
        var cafe = enroll(group.cafe(), contacts(null, false, "+" + phone, true, true));
        var spaced = "00 " + phone.substring(0, 2) + " (" + phone.substring(2, 5) + ") " + phone.substring(5, 8) + "-" + phone.substring(8);

        var cinema = enroll(group.cinema(), contacts(null, false, spaced, true, true));

        assertThat(cinema.json().path("linked").asBoolean()).isTrue();
        assertThat(cinema.text("personId")).isEqualTo(cafe.text("personId"));
    }

    @Test
    void doesNotLinkAnUnverifiedContactOnEitherSide() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var cafe = enroll(group.cafe(), contacts(email, true, null, false, true));

        var unverifiedNow = enroll(group.cinema(), contacts(email, false, null, false, true));

        assertThat(unverifiedNow.status()).isEqualTo(201);
        assertThat(unverifiedNow.json().path("linked").asBoolean()).isFalse();
        assertThat(unverifiedNow.text("personId")).isNotEqualTo(cafe.text("personId"));

        var other = uniqueEmail();
        enroll(group.cafe(), contacts(other, false, null, false, true));
        var verifiedOnlyNow = enroll(group.cinema(), contacts(other, true, null, false, true));
        assertThat(verifiedOnlyNow.json().path("linked").asBoolean()).isFalse();
    }

    @Test
    void doesNotLinkWithoutConsent() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var cafe = enroll(group.cafe(), contacts(email, true, null, false, true));

        var cinema = enroll(group.cinema(), contacts(email, true, null, false, null));

        assertThat(cinema.status()).isEqualTo(201);
        assertThat(cinema.json().path("linked").asBoolean()).isFalse();
        assertThat(cinema.text("personId")).isNotEqualTo(cafe.text("personId"));
    }

    @Test
    void doesNotLinkToAPersonWhoWithdrewConsent() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var cafe = enroll(group.cafe(), contacts(email, true, null, false, true));
        var withdrawn = api.withApiKey(group.cafe().apiKey()).post("/api/v1/members/" + cafe.text("id") + "/consents",
            Map.of("purpose", "identity-linking", "granted", false));
        assertThat(withdrawn.status()).isEqualTo(201);

        var cinema = enroll(group.cinema(), contacts(email, true, null, false, true));

        assertThat(cinema.json().path("linked").asBoolean()).isFalse();
        var person = fixtures.as(group, () -> persons.view(UUID.fromString(cafe.text("personId"))));
        assertThat(person.linkingConsent()).isFalse();
        assertThat(person.consents()).extracting(c -> c.granted()).containsExactly(true, false);
    }

    @Test
    void doesNotLinkTwoMembershipsOfOneProgram() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var first = enroll(group.cafe(), contacts(email, true, null, false, true));

        var second = enroll(group.cafe(), contacts(email, true, null, false, true));

        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().path("linked").asBoolean()).isFalse();
        assertThat(second.text("personId")).isNotEqualTo(first.text("personId"));
    }

    @Test
    void neverLinksToAPersonOfAnotherTenant() {
        var group = fixtures.group();
        var other = fixtures.group();
        var email = uniqueEmail();
        var mine = enroll(group.cafe(), contacts(email, true, null, false, true));

        var theirs = enroll(other.cinema(), contacts(email, true, null, false, true));

        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().path("linked").asBoolean()).isFalse();
        // The blind index is keyed per tenant: the same email leaves no equal hash to match or compare.
        var mineIndex = blindIndexOf(group, UUID.fromString(mine.text("personId")));
        var theirIndex = blindIndexOf(other, UUID.fromString(theirs.text("personId")));
        assertThat(mineIndex).isNotEqualTo(theirIndex);
    }

    @Test
    void aVerifiedContactAddedLaterLinksTheMembersPersonToTheExistingOne() {
        var group = fixtures.group();
        var email = uniqueEmail();
        var cafe = enroll(group.cafe(), contacts(email, true, null, false, true));
        var cinema = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members",
            Map.of("externalId", "cust-" + UUID.randomUUID()));
        assertThat(cinema.status()).isEqualTo(201);
        assertThat(cinema.json().has("linked")).isFalse();
        var before = UUID.fromString(cinema.text("personId"));

        var added = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members/" + cinema.text("id") + "/contacts",
            contacts(email, true, null, false, true));

        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("linked").asBoolean()).isTrue();
        assertThat(added.text("personId")).isEqualTo(cafe.text("personId"));
        var member = api.withApiKey(group.cinema().apiKey()).get("/api/v1/members/" + cinema.text("id"));
        assertThat(member.text("personId")).isEqualTo(cafe.text("personId"));
        assertThat(fixtures.as(group, () -> persons.view(before)).mergedInto()).isEqualTo(UUID.fromString(cafe.text("personId")));
        assertThat(fixtures.as(group, () -> audit.about("person:" + before)))
            .extracting(AuditTrail.AuditRecord::action).containsExactly("person.linked");
    }

    @Test
    void aContactAddedWithoutVerificationOrConsentOnlyStoresIt() {
        var group = fixtures.group();
        var email = uniqueEmail();
        enroll(group.cafe(), contacts(email, true, null, false, true));
        var cinema = enroll(group.cinema(), contacts(null, false, "+" + uniquePhone(), true, null));

        var unverified = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members/" + cinema.text("id") + "/contacts",
            contacts(email, false, null, false, true));
        assertThat(unverified.json().path("linked").asBoolean()).isFalse();
        var person = fixtures.as(group, () -> persons.view(UUID.fromString(cinema.text("personId"))));
        assertThat(person.contacts()).hasSize(2);
        assertThat(person.contacts()).extracting(c -> c.verified()).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void rawRowsHoldNoPlaintextEmailOrPhone() throws Exception {
        var group = fixtures.group();
        var local = "plain" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        var email = local + "@example.org";
        var phone = uniquePhone();
        var cafe = enroll(group.cafe(), contacts(email, true, "+" + phone, true, true));
        enroll(group.cinema(), contacts(email, true, "+" + phone, true, true));
        api.withApiKey(group.cinema().apiKey()).post("/api/v1/members/" + cafe.text("id") + "/contacts",
            contacts(email, true, "+" + phone, true, true));
        // A replay of the same enrolment finds its stored fingerprint, which holds no plaintext either.
        var body = contacts(email, true, "+" + phone, true, true);
        body.put("externalId", "cust-" + UUID.randomUUID());
        var key = "enrol-" + UUID.randomUUID();
        var first = api.withApiKey(group.cafe().apiKey()).post("/api/v1/members", body, key);
        var replay = api.withApiKey(group.cafe().apiKey()).post("/api/v1/members", body, key);
        assertThat(replay.status()).isEqualTo(first.status());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        // The scan sees what is stored in plaintext, e.g. the external id; and no email or phone.
        assertThat(IdentityTestSupport.tablesContaining(body.get("externalId").toString())).contains("memberships");
        assertThat(IdentityTestSupport.tablesContaining(local)).isEmpty();
        assertThat(IdentityTestSupport.tablesContaining(phone)).isEmpty();
        assertThat(IdentityTestSupport.tablesContaining(phone.substring(2))).isEmpty();
    }

    @Test
    void refusesMalformedContactsNamingTheField() {
        var group = fixtures.group();

        var email = enroll(group.cafe(), contacts("not-an-email", true, null, false, true));
        var phone = enroll(group.cafe(), contacts(null, false, "0301234567", true, true));

        assertThat(email.status()).isEqualTo(400);
        assertThat(email.problemType()).isEqualTo("invalid-request");
        assertThat(email.json().path("errors").get(0).path("field").asString()).isEqualTo("email");
        assertThat(phone.status()).isEqualTo(400);
        assertThat(phone.json().path("errors").get(0).path("field").asString()).isEqualTo("phone");
    }

    private Response enroll(BrandSetup brand, Map<String, Object> contacts) {
        var body = new HashMap<>(contacts);
        body.put("externalId", "cust-" + UUID.randomUUID());
        return api.withApiKey(brand.apiKey()).post("/api/v1/members", body);
    }

    private static Map<String, Object> contacts(String email, boolean emailVerified, String phone, boolean phoneVerified,
            Boolean consentToLink) {
        var body = new HashMap<String, Object>();
        if (email != null) {
            body.put("email", email);
            body.put("emailVerified", emailVerified);
        }
        if (phone != null) {
            body.put("phone", phone);
            body.put("phoneVerified", phoneVerified);
        }
        if (consentToLink != null) {
            body.put("consentToLink", consentToLink);
        }
        return body;
    }

    private byte[] blindIndexOf(Group group, UUID person) {
        return support.inTenant(group, () -> jdbc.sql("""
                select blind_index from person_contacts where tenant_id = :tenant and person_id = :person""")
            .param("tenant", group.tenantId()).param("person", person).query(byte[].class).single());
    }

    static String uniqueEmail() {
        return "ann." + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
    }

    /** Country code 49 and ten more digits, unlikely to occur in any other row. */
    static String uniquePhone() {
        return "49" + (1_000_000_000L + ThreadLocalRandom.current().nextLong(9_000_000_000L));
    }
}
