package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.crypto.DataKeys;
import io.pointbridge.tenant.crypto.PersonalDataCipher;
import io.pointbridge.tenant.identity.ContactPoint.Kind;
import io.pointbridge.tenant.identity.PersonProfiles;
import io.pointbridge.tenant.identity.PersonProfiles.ContactView;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Names, birthdays, emails and phones are stored only sealed per tenant, and read back as each role may see them. */
class PersonalDataEncryptionIntegrationTests extends IntegrationTest {

    @Autowired
    private PersonProfiles personalData;

    @Autowired
    private PersonalDataCipher cipher;

    @Autowired
    private DataKeys keys;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void theBrandsIntegrationReadsBackWhatItGaveDecrypted() {
        var group = fixtures.group();
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());

        var profile = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member + "/profile");

        assertThat(profile.status()).isEqualTo(200);
        var json = profile.json();
        assertThat(json.path("masked").asBoolean()).isFalse();
        assertThat(json.path("givenName").asString()).isEqualTo(customer.givenName());
        assertThat(json.path("familyName").asString()).isEqualTo(customer.familyName());
        assertThat(json.path("birthday").asString()).isEqualTo(customer.birthday().toString());
        assertThat(json.path("contacts").valueStream().map(contact -> contact.path("value").asString()))
            .containsExactlyInAnyOrder(customer.email(), customer.phone());
    }

    @Test
    void rawRowsHoldNoPlaintextPersonalDataOnlyCiphertext() {
        var group = fixtures.group();
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        // Contacts added later and a replayed profile write leave no plaintext either (not even in stored answers).
        api.withApiKey(group.cafe().apiKey()).post("/api/v1/members/" + member + "/contacts",
            Map.of("email", customer.email().toUpperCase(), "emailVerified", true));
        var key = "profile-" + UUID.randomUUID();
        PersonalDataSamples.putProfile(api.withApiKey(group.cafe().apiKey()), member, customer.profile(), key);
        var replay = PersonalDataSamples.putProfile(api.withApiKey(group.cafe().apiKey()), member, customer.profile(), key);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        for (var value : customer.encryptedValues()) {
            assertThat(RawRows.tablesContaining(value)).as("tables holding %s in plaintext", value).isEmpty();
        }
        var sealed = fixtures.as(group, () -> personalData.full(personOf(group, member)));
        assertThat(sealed.givenName()).isEqualTo(customer.givenName());
    }

    @Test
    void supportAgentsSeeItMasked() {
        var group = fixtures.group();
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var agent = new Caller("user:support", Optional.of(group.tenantId()), Caller.BrandScope.all(), Set.of(Role.SUPPORT_AGENT));

        var masked = fixtures.as(group, () -> personalData.ofMember(agent, member));

        assertThat(masked.masked()).isTrue();
        assertThat(masked.givenName()).isEqualTo(customer.givenName().charAt(0) + ".");
        assertThat(masked.familyName()).isEqualTo(customer.familyName().charAt(0) + ".");
        assertThat(masked.birthday()).isNull();
        var email = masked.contacts().stream().filter(c -> c.kind() == Kind.EMAIL).map(ContactView::value).findFirst().orElseThrow();
        var phone = masked.contacts().stream().filter(c -> c.kind() == Kind.PHONE).map(ContactView::value).findFirst().orElseThrow();
        assertThat(email).isEqualTo("m***@example.org");
        assertThat(phone).startsWith("+49").endsWith(customer.phone().substring(customer.phone().length() - 2))
            .doesNotContain(customer.phone().substring(3, customer.phone().length() - 2));
    }

    @Test
    void aTenantAdminReadsAPersonsProfileWithARealToken() {
        var keycloak = KeycloakServer.ensureRunning();
        var group = fixtures.organization("demo-group");
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var person = personOf(group, member);
        var admin = api.withToken(keycloak.token("demo-admin", "demo-admin-pass"));
        fixtures.organization("other-group");
        var otherAdmin = api.withToken(keycloak.token("other-admin", "other-admin-pass"));

        var profile = admin.get("/api/v1/persons/" + person + "/profile");
        var elsewhere = otherAdmin.get("/api/v1/persons/" + person + "/profile");

        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.text("familyName")).isEqualTo(customer.familyName());
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.problemType()).isEqualTo("person-not-found");
        assertThat(elsewhere.body()).doesNotContain(customer.familyName());
    }

    @Test
    void aCiphertextMovedToAnotherPersonDoesNotOpen() {
        var group = fixtures.group();
        var victim = personOf(group, PersonalDataSamples.unique().enrollWithProfile(api, group.cafe()));
        var attacker = personOf(group, PersonalDataSamples.unique().enrollWithProfile(api, group.cafe()));

        RawRows.execute("""
                update person_profiles a set given_name = v.given_name from person_profiles v
                 where a.tenant_id = ? and a.person_id = ? and v.tenant_id = a.tenant_id and v.person_id = ?""",
            group.tenantId(), attacker, victim);

        assertThatThrownBy(() -> fixtures.as(group, () -> personalData.full(attacker)))
            .hasMessageContaining("does not open");
    }

    @Test
    void aCiphertextSealedForOneTenantDoesNotOpenInAnother() {
        var group = fixtures.group();
        var other = fixtures.group();
        var sealed = fixtures.as(group, () -> cipher.seal(cipher.sealingKey(), "person_profiles.given_name", "row-1", "Ann"));
        fixtures.as(other, () -> cipher.sealingKey());

        assertThat(fixtures.as(group, () -> cipher.open((short) 1, "person_profiles.given_name", "row-1", sealed))).isEqualTo("Ann");
        assertThatThrownBy(() -> fixtures.as(other, () -> cipher.open((short) 1, "person_profiles.given_name", "row-1", sealed)))
            .hasMessageContaining("does not open");
        assertThatThrownBy(() -> fixtures.as(group, () -> cipher.open((short) 1, "person_profiles.family_name", "row-1", sealed)))
            .hasMessageContaining("does not open");
        assertThat(fixtures.as(group, () -> keys.versions())).hasSize(1);
    }

    @Test
    void aTenantsFirstKeyIsKeptWhenTheWriteThatMadeItRollsBack() {
        var group = fixtures.group();
        var transactions = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> fixtures.as(group, () -> transactions.execute(status -> {
            var key = keys.current();
            throw new IllegalStateException("the write under key version " + key.version() + " failed");
        }))).hasMessageContaining("failed");

        // Otherwise this instance would go on sealing with a cached key whose wrapped form no longer exists.
        assertThat(fixtures.as(group, keys::versions)).extracting(DataKeys.KeyVersion::version).containsExactly((short) 1);
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        assertThat(api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member + "/profile").text("givenName"))
            .isEqualTo(customer.givenName());
    }

    @Test
    void refusesAnInvalidProfileNamingTheFieldAndChangesNothing() {
        var group = fixtures.group();
        var customer = PersonalDataSamples.unique();
        var member = customer.enrollWithProfile(api, group.cafe());
        var integration = api.withApiKey(group.cafe().apiKey());

        var future = PersonalDataSamples.putProfile(integration, member, Map.of("birthday", "2999-01-01"), UUID.randomUUID().toString());
        var blank = PersonalDataSamples.putProfile(integration, member, Map.of("givenName", "   "), UUID.randomUUID().toString());
        var notADate = PersonalDataSamples.putProfile(integration, member, Map.of("birthday", "yesterday"), UUID.randomUUID().toString());

        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().path("errors").get(0).path("field").asString()).isEqualTo("birthday");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().path("errors").get(0).path("field").asString()).isEqualTo("givenName");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.json().path("errors").get(0).path("field").asString()).isEqualTo("birthday");
        var profile = integration.get("/api/v1/members/" + member + "/profile");
        assertThat(profile.text("givenName")).isEqualTo(customer.givenName());
        assertThat(profile.text("birthday")).isEqualTo(customer.birthday().toString());
    }

    private UUID personOf(Group group, UUID member) {
        var response = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member);
        return UUID.fromString(response.text("personId"));
    }
}
