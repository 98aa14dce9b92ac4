package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.PointbridgeApplication;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.identity.BlindIndex;
import io.pointbridge.tenant.identity.ContactPoint;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.tenant.privacy.KeyJob;
import io.pointbridge.tenant.privacy.KeyRotations;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A new blind-index secret: an instance configured with it (and the old one retired) still finds every contact
 * indexed under the old secret, and its key job moves each contact to the new one, which finds it from then on.
 */
class BlindIndexRotationIntegrationTests extends IntegrationTest {

    private static final String NEW_SECRET = "rotated-blind-index-secret-" + UUID.randomUUID();

    @Autowired
    private Environment environment;

    @Autowired
    private BlindIndex blindIndex;

    @Autowired
    private TenantManagement tenancy;

    @Autowired
    private ApiKeys apiKeys;

    @Test
    void contactsStayFindableThroughABlindIndexRotationAndMoveToTheNewSecret() {
        var group = fixtures.group();
        var customer = PersonalDataSamples.unique();
        var cafeMember = customer.enrollWithProfile(api, group.cafe());
        var person = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + cafeMember).text("personId");
        var oldHashes = List.of(fixtures.as(group, () -> blindIndex.of(ContactPoint.email(customer.email()))),
            fixtures.as(group, () -> blindIndex.of(ContactPoint.phone(customer.phone()))));
        var bakery = brand(group, "bakery");
        var deli = brand(group, "deli");

        try (var rotated = startInstanceWithRotatedSecret()) {
            var rotatedApi = new Api("http://localhost:" + rotated.getEnvironment().getProperty("local.server.port"));

            // Before any re-indexing, the contact indexed under version 1 links a new membership.
            var cinema = rotatedApi.withApiKey(group.cinema().apiKey()).post("/api/v1/members", Map.of(
                "externalId", "k-" + UUID.randomUUID(), "email", customer.email(), "emailVerified", true, "consentToLink", true));
            assertThat(cinema.json().path("linked").asBoolean()).isTrue();
            assertThat(cinema.text("personId")).isEqualTo(person);
            // (Adding the email moved the person's email to version 2 already; its phone stays under version 1.)
            // A second record of the customer, its phone indexed under version 2, merged into the first: the person
            // now holds the phone twice, under each version, until the re-indexing folds them into one.
            var twin = rotatedApi.withApiKey(bakery.apiKey()).post("/api/v1/members", Map.of(
                "externalId", "t-" + UUID.randomUUID(), "phone", customer.phone(), "phoneVerified", true));
            assertThat(twin.json().path("linked").asBoolean()).isFalse();
            fixtures.as(group, () -> rotated.getBean(PersonMerges.class).merge(UUID.fromString(person),
                UUID.fromString(twin.text("personId")), "same customer", "test:privacy", null));
            assertThat(phonesOf(group, person)).isEqualTo(2);
            var before = fixtures.as(group, () -> rotated.getBean(KeyRotations.class).status());
            assertThat(before.blindIndexKeyVersion()).isEqualTo((short) 2);
            assertThat(before.contactsUnderRetiredBlindIndexKeys()).isPositive();

            fixtures.as(group, () -> rotated.getBean(KeyJob.class).runForCurrentTenant());

            assertThat(fixtures.as(group, () -> rotated.getBean(KeyRotations.class).status().contactsUnderRetiredBlindIndexKeys()))
                .isZero();
            assertThat(keyVersionsOfContacts(group)).containsOnly((short) 2);
            assertThat(phonesOf(group, person)).isEqualTo(1);
            for (var hash : oldHashes) {
                assertThat(RawRows.tablesContaining(hash)).as("tables holding an index under the retired secret").isEmpty();
            }
            // Under the new secret the phone now links another brand's membership, and every value still opens.
            var linked = rotatedApi.withApiKey(deli.apiKey()).post("/api/v1/members", Map.of(
                "externalId", "d-" + UUID.randomUUID(), "phone", customer.phone(), "phoneVerified", true, "consentToLink", true));
            assertThat(linked.json().path("linked").asBoolean()).isTrue();
            assertThat(linked.text("personId")).isEqualTo(person);
            var profile = rotatedApi.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + cafeMember + "/profile").json();
            assertThat(profile.path("contacts").valueStream().map(contact -> contact.path("value").asString()))
                .containsExactlyInAnyOrder(customer.email(), customer.phone());
        }
    }

    /** A second instance of the application over the same database, with a new blind-index secret as version 2. */
    private ConfigurableApplicationContext startInstanceWithRotatedSecret() {
        var database = TestDatabase.shared();
        var arguments = new ArrayList<String>(List.of("--server.port=0",
            "--spring.datasource.url=" + database.url(),
            "--spring.datasource.username=" + TestDatabase.APP, "--spring.datasource.password=" + TestDatabase.APP_PASSWORD,
            "--spring.flyway.user=" + TestDatabase.OWNER, "--spring.flyway.password=" + TestDatabase.OWNER_PASSWORD,
            "--spring.datasource.hikari.maximum-pool-size=8", "--spring.datasource.hikari.minimum-idle=1",
            "--pointbridge.identity.blind-index-key=" + NEW_SECRET,
            "--pointbridge.identity.blind-index-key-version=2",
            "--pointbridge.identity.retired-blind-index-keys.1=" + environment.getRequiredProperty("pointbridge.identity.blind-index-key")));
        return new SpringApplicationBuilder(PointbridgeApplication.class).run(arguments.toArray(String[]::new));
    }

    private BrandSetup brand(Group group, String name) {
        return fixtures.as(group, () -> {
            var code = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            var brand = tenancy.createBrand(new NewBrand(code, name));
            var program = tenancy.createProgram(brand.id(), new NewProgram(code + "-points", name, name,
                Currency.getInstance("EUR"), 1, 100, 12));
            return new BrandSetup(brand, program, apiKeys.issue(brand.id(), "rotation test", "test:privacy").secret());
        });
    }

    private static long phonesOf(Group group, String person) {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(
                    "select count(*) from person_contacts where tenant_id = ? and person_id = ?::uuid and kind = 'PHONE' and verified_at is not null")) {
            statement.setObject(1, group.tenantId());
            statement.setString(2, person);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Short> keyVersionsOfContacts(Group group) {
        var versions = new ArrayList<Short>();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("select key_version from person_contacts where tenant_id = ?")) {
            statement.setObject(1, group.tenantId());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getShort(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return versions;
    }
}
