package io.pointbridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenancy.TenantTables;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import io.pointbridge.tenant.identity.MemberLogins;
import io.pointbridge.tenant.identity.MemberLogins.MemberLogin;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakMembers;
import io.pointbridge.testing.KeycloakMembers.Member;
import io.pointbridge.testing.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which person a member's sign-in is: linked on the first call by the email Keycloak verified, when exactly one person
 * of the member's own tenant holds it verified by a brand; otherwise refused, never guessed; or linked and unlinked by
 * a tenant admin. Real Keycloak tokens of members signed up for each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberLoginIntegrationTests extends IntegrationTest {

    @Autowired
    private MemberLogins logins;

    @Autowired
    private AuditTrail audit;

    @Autowired
    private Memberships memberships;

    private final KeycloakMembers members = new KeycloakMembers();
    private Group group;
    private String adminToken;
    private Api admin;

    @BeforeEach
    void brandsOfTheDemoGroup() {
        group = fixtures.organization("demo-group");
        adminToken = KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass");
        admin = api.withToken(adminToken);
    }

    @AfterAll
    void removeTheMembersFromKeycloak() {
        members.close();
    }

    @Test
    void linksTheSignInByItsVerifiedEmailToTheOnePersonHoldingItVerified() {
        var email = KeycloakMembers.uniqueEmail();
        var cafe = enroll(group.cafe(), email.toUpperCase(), true);
        var cinema = enroll(group.cinema(), email, true);
        assertThat(cinema.json().path("linked").asBoolean()).isTrue();
        enroll(group.cafe(), KeycloakMembers.uniqueEmail(), true);
        var member = members.signUp("demo-group", email, true);
        var me = api.withToken(members.token(member));

        var summary = me.get("/api/v1/me");

        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        assertThat(summary.text("personId")).isEqualTo(cafe.text("personId"));
        assertThat(summary.json().path("link").path("how").asString()).isEqualTo("verified-email");
        assertThat(summary.json().path("contacts").findValuesAsString("kind")).containsExactly("EMAIL");
        assertThat(summary.body()).doesNotContain(email);
        var balances = me.get("/api/v1/me/balances");
        assertThat(balances.status()).isEqualTo(200);
        assertThat(balances.json().path("memberships").findValuesAsString("memberId"))
            .containsExactly(cafe.text("id"), cinema.text("id"));
        assertThat(balances.body()).doesNotContain("externalId");
        // Linked once, audited once, as the member's own doing.
        assertThat(me.get("/api/v1/me").status()).isEqualTo(200);
        var records = auditOf(member);
        assertThat(records).extracting(AuditRecord::action).containsExactly("member-login.linked");
        assertThat(records.getFirst().actor()).isEqualTo("user:" + member.subject());
        assertThat(records.getFirst().after().path("personId").asString()).isEqualTo(cafe.text("personId"));
        var listed = admin.get("/api/v1/member-logins?subject=" + member.subject());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get(0).path("personId").asString()).isEqualTo(cafe.text("personId"));
        assertThat(listed.json().get(0).path("how").asString()).isEqualTo("verified-email");
    }

    @Test
    void refusesAnEmailKeycloakHasNotVerified() {
        var email = KeycloakMembers.uniqueEmail();
        enroll(group.cafe(), email, true);
        var member = members.signUp("demo-group", email, false);

        var refused = api.withToken(members.token(member)).get("/api/v1/me/balances");

        assertNotFound(refused, "email-not-verified");
        assertThat(loginOf(member)).isEmpty();
    }

    @Test
    void refusesAnEmailNoBrandVerified() {
        var email = KeycloakMembers.uniqueEmail();
        enroll(group.cafe(), email, false);
        var member = members.signUp("demo-group", email, true);

        assertNotFound(api.withToken(members.token(member)).get("/api/v1/me"), "no-match");
        assertThat(loginOf(member)).isEmpty();
    }

    @Test
    void refusesToGuessBetweenTwoPersonsHoldingTheEmail() {
        var email = KeycloakMembers.uniqueEmail();
        var first = enroll(group.cafe(), email, true);
        var second = enroll(group.cafe(), email, true);
        assertThat(second.text("personId")).isNotEqualTo(first.text("personId"));
        var member = members.signUp("demo-group", email, true);

        assertNotFound(api.withToken(members.token(member)).get("/api/v1/me"), "ambiguous");
        assertThat(loginOf(member)).isEmpty();
    }

    @Test
    void neverLinksAPersonOfAnotherTenantHoldingTheSameEmail() {
        var other = fixtures.organization("other-group");
        var email = KeycloakMembers.uniqueEmail();
        var elsewhere = enroll(other.cafe(), email, true);
        fixtures.credit(other, membership(other, elsewhere), 500);
        var member = members.signUp("demo-group", email, true);
        var me = api.withToken(members.token(member));

        assertNotFound(me.get("/api/v1/me/balances"), "no-match");

        // Once a brand of the member's own group verified the email, they see that group's membership only.
        var own = enroll(group.cinema(), email, true);
        var balances = me.get("/api/v1/me/balances");
        assertThat(balances.status()).as(balances.body()).isEqualTo(200);
        assertThat(balances.text("personId")).isEqualTo(own.text("personId"));
        assertThat(balances.json().path("memberships").findValuesAsString("memberId")).containsExactly(own.text("id"));
        assertThat(balances.body()).doesNotContain(elsewhere.text("id")).doesNotContain(elsewhere.text("personId"))
            .doesNotContain(other.cafe().brand().id().toString());
        assertThat(me.get("/api/v1/me/memberships/" + elsewhere.text("id") + "/history").problemType())
            .isEqualTo("member-not-found");
    }

    @Test
    void aTenantAdminLinksASignInWhoseEmailNoBrandVerifiedAndUnlinksIt() {
        var customer = enroll(group.cafe(), null, false);
        var person = customer.text("personId");
        var member = members.signUp("demo-group", KeycloakMembers.uniqueEmail(), false);
        var me = api.withToken(members.token(member));
        assertNotFound(me.get("/api/v1/me"), "email-not-verified");

        var linked = admin.post("/api/v1/member-logins",
            Map.of("subject", member.subject(), "personId", person, "reason", "identity checked at the counter"));
        var again = admin.post("/api/v1/member-logins",
            Map.of("subject", member.subject(), "personId", person, "reason", "asked twice"));

        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
        assertThat(linked.text("how")).isEqualTo("admin");
        assertThat(again.status()).isEqualTo(200);
        var summary = me.get("/api/v1/me");
        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        assertThat(summary.text("personId")).isEqualTo(person);
        assertThat(summary.json().path("link").path("how").asString()).isEqualTo("admin");
        assertThat(me.get("/api/v1/me/memberships/" + customer.text("id") + "/history").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/member-logins/" + member.subject()).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/member-logins/" + member.subject()).status()).isEqualTo(204);

        assertNotFound(me.get("/api/v1/me/balances"), "unlinked");
        var records = auditOf(member);
        assertThat(records).extracting(AuditRecord::action).containsExactly("member-login.linked", "member-login.unlinked");
        assertThat(records.getFirst().actor()).isEqualTo("user:" + subject(adminToken));
        assertThat(records.getFirst().after().path("reason").asString()).isEqualTo("identity checked at the counter");
        assertThat(records.get(1).before().path("personId").asString()).isEqualTo(person);
    }

    @Test
    void aSignInAnAdminUnlinkedIsNotLinkedByItsEmailAgainUntilAnAdminLinksIt() {
        var email = KeycloakMembers.uniqueEmail();
        var customer = enroll(group.cafe(), email, true);
        var member = members.signUp("demo-group", email, true);
        var me = api.withToken(members.token(member));
        assertThat(me.get("/api/v1/me").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/member-logins/" + member.subject()).status()).isEqualTo(204);

        assertNotFound(me.get("/api/v1/me"), "unlinked");
        assertNotFound(me.get("/api/v1/me"), "unlinked");
        assertThat(admin.post("/api/v1/member-logins", Map.of("subject", member.subject(),
            "personId", customer.text("personId"), "reason", "member confirmed by phone")).status()).isEqualTo(201);
        assertThat(me.get("/api/v1/me").text("personId")).isEqualTo(customer.text("personId"));
    }

    @Test
    void refusesLinksThatWouldGiveASignInTwoPersonsOrAPersonTwoSignIns() {
        var email = KeycloakMembers.uniqueEmail();
        var claimed = enroll(group.cafe(), email, true);
        var other = enroll(group.cafe(), null, false);
        var first = members.signUp("demo-group", KeycloakMembers.uniqueEmail(), false);
        var second = members.signUp("demo-group", email, true);
        assertThat(admin.post("/api/v1/member-logins", Map.of("subject", first.subject(),
            "personId", claimed.text("personId"), "reason", "in person")).status()).isEqualTo(201);
        var before = state();

        var signInTaken = admin.post("/api/v1/member-logins", Map.of("subject", first.subject(),
            "personId", other.text("personId"), "reason", "in person"));
        var personTaken = admin.post("/api/v1/member-logins", Map.of("subject", second.subject(),
            "personId", claimed.text("personId"), "reason", "in person"));
        var unknown = admin.post("/api/v1/member-logins", Map.of("subject", second.subject(),
            "personId", UUID.randomUUID(), "reason", "in person"));
        // The second member's verified email leads to the person the first sign-in holds: refused, not shared.
        var claimedByEmail = api.withToken(members.token(second)).get("/api/v1/me");

        assertThat(signInTaken.status()).isEqualTo(409);
        assertThat(signInTaken.problemType()).isEqualTo("member-login-already-linked");
        assertThat(personTaken.status()).isEqualTo(409);
        assertThat(personTaken.problemType()).isEqualTo("person-already-linked");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("person-not-found");
        assertThat(claimedByEmail.status()).isEqualTo(409);
        assertThat(claimedByEmail.problemType()).isEqualTo("member-profile-claimed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theExportShowsThePersonsSignInAndAnErasureDeletesIt() {
        var email = KeycloakMembers.uniqueEmail();
        var customer = enroll(group.cafe(), email, true);
        var member = members.signUp("demo-group", email, true);
        var me = api.withToken(members.token(member));
        assertThat(me.get("/api/v1/me").status()).isEqualTo(200);
        var export = admin.get("/api/v1/persons/" + customer.text("personId") + "/export");
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.json().path("person").path("signIns").findValuesAsString("subject"))
            .containsExactly(member.subject());

        var erased = admin.post("/api/v1/persons/" + customer.text("personId") + "/erasure",
            Map.of("reason", "request by the customer"));

        assertThat(erased.status()).as(erased.body()).isIn(200, 201);
        assertThat(loginOf(member)).isEmpty();
        assertNotFound(me.get("/api/v1/me"), "no-match");
    }

    @Test
    void onlyMembersCallTheirOwnEndpoints() {
        var integration = api.withApiKey(group.cafe().apiKey());
        var support = api.withToken(KeycloakServer.ensureRunning().token("demo-support", "demo-support-pass"));

        for (var caller : List.of(admin, integration, support)) {
            var summary = caller.get("/api/v1/me");
            assertThat(summary.status()).as(summary.body()).isEqualTo(403);
            assertThat(summary.problemType()).isEqualTo("forbidden");
            assertThat(caller.get("/api/v1/me/balances").status()).isEqualTo(403);
            assertThat(caller.post("/api/v1/me/exchange/quotes", Map.of()).status()).isEqualTo(403);
        }
        assertThat(api.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void refusesBadLinksNamingTheField() {
        var customer = enroll(group.cafe(), null, false);
        var before = state();

        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", "not a subject!",
            "personId", customer.text("personId"), "reason", "x")), "subject");
        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", "a".repeat(65),
            "personId", customer.text("personId"), "reason", "x")), "subject");
        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", UUID.randomUUID(), "reason", "x")),
            "personId");
        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", UUID.randomUUID(), "personId", "person-1",
            "reason", "x")), "personId");
        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", UUID.randomUUID(),
            "personId", customer.text("personId"), "reason", " ")), "reason");
        assertInvalid(admin.post("/api/v1/member-logins", Map.of("subject", UUID.randomUUID(),
            "personId", customer.text("personId"), "reason", "r".repeat(501))), "reason");
        assertInvalid(admin.get("/api/v1/member-logins"), "subject");
        assertInvalid(admin.get("/api/v1/member-logins?personId=someone"), "personId");
        assertInvalid(admin.delete("/api/v1/member-logins/" + "a".repeat(65)), "subject");
        var malformed = admin.post("/api/v1/member-logins", "{\"subject\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.problemType()).isEqualTo("malformed-request");
        assertThat(state()).isEqualTo(before);
    }

    private Response enroll(BrandSetup brand, String email, boolean emailVerified) {
        var body = new HashMap<String, Object>();
        body.put("externalId", "cust-" + UUID.randomUUID());
        if (email != null) {
            body.put("email", email);
            body.put("emailVerified", emailVerified);
            body.put("consentToLink", true);
        }
        var enrolled = api.withApiKey(brand.apiKey()).post("/api/v1/members", body);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        return enrolled;
    }

    private Membership membership(Group owner, Response enrolled) {
        return fixtures.as(owner, () -> memberships.require(UUID.fromString(enrolled.text("id"))));
    }

    private Optional<MemberLogin> loginOf(Member member) {
        return fixtures.as(group, () -> logins.list(Optional.of(member.subject()), Optional.empty())).stream().findFirst();
    }

    private List<AuditRecord> auditOf(Member member) {
        return fixtures.as(group, () -> audit.about("user:" + member.subject()));
    }

    /** The demo group's member logins, persons, ledger and audit trail. */
    private Map<String, String> state() {
        var all = TenantTables.fingerprint(group.tenantId());
        return Map.of("member_logins", all.get("member_logins"), "persons", all.get("persons"),
            "memberships", all.get("memberships"), "audit_records", all.get("audit_records"),
            "idempotency_records", all.get("idempotency_records"));
    }

    /** The {@code sub} claim of an access token. */
    private static String subject(String token) {
        var payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonMapper.builder().build().readTree(payload).path("sub").asString();
    }

    private static void assertNotFound(Response response, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.problemType()).isEqualTo("member-profile-not-found");
        assertThat(response.text("reason")).isEqualTo(reason);
    }

    private static void assertInvalid(Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("invalid-request");
        assertThat(response.json().path("errors").findValuesAsString("field")).contains(field);
    }
}
