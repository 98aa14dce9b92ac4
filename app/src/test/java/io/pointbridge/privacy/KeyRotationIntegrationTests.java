package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.identity.PersonalDataReencryption;
import io.pointbridge.tenant.privacy.KeyJob;
import io.pointbridge.tenant.privacy.KeyRotations;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A new data-key version takes every write at once, and re-encryption moves the rest without making any unreadable. */
class KeyRotationIntegrationTests extends IntegrationTest {

    @Autowired
    private KeyRotations rotations;

    @Autowired
    private PersonalDataReencryption reencryption;

    @Autowired
    private KeyJob keyJob;

    @Autowired
    private AuditTrail audit;

    @Test
    void rotationKeepsEveryRecordReadableBeforeDuringAndAfterReencryption() {
        var group = fixtures.group();
        var customers = enrollCustomers(group, 4);
        var sealedBefore = sealedNames(group);
        assertThat(sealedBefore).hasSize(4);

        fixtures.as(group, () -> rotations.rotate("test:privacy", null));
        var newcomer = PersonalDataSamples.unique();
        customers.put(newcomer.enrollWithProfile(api, group.cafe()), newcomer);

        // Meanwhile: the newcomer is sealed under version 2, everybody else still under 1, all readable.
        assertThat(fixtures.as(group, reencryption::rowsByVersion)).containsExactly(Map.entry((short) 1, 12L), Map.entry((short) 2, 3L));
        assertEveryProfileReads(group, customers);

        var resealed = fixtures.as(group, keyJob::runForCurrentTenant);

        assertThat(resealed).isEqualTo(12);
        assertThat(fixtures.as(group, reencryption::rowsByVersion)).containsExactly(Map.entry((short) 2, 15L));
        assertEveryProfileReads(group, customers);
        var sealedAfter = sealedNames(group);
        sealedBefore.forEach((person, ciphertext) -> assertThat(sealedAfter.get(person)).isNotEqualTo(ciphertext));
        assertThat(fixtures.as(group, () -> keyJob.runForCurrentTenant())).as("a second run finds nothing left").isZero();
    }

    @Test
    void severalInstancesShareTheReencryptionWithoutDoingARowTwice() throws Exception {
        var group = fixtures.group();
        var customers = enrollCustomers(group, 6);
        fixtures.as(group, () -> rotations.rotate("test:privacy", null));
        var start = new CountDownLatch(1);
        var executor = Executors.newFixedThreadPool(3);
        var instances = new ArrayList<Future<Integer>>();
        try {
            for (int i = 0; i < 3; i++) {
                instances.add(executor.submit(() -> {
                    start.await();
                    return fixtures.as(group, () -> reencryption.reencryptAll(2));
                }));
            }
            start.countDown();
            int total = 0;
            for (var instance : instances) {
                total += instance.get(60, TimeUnit.SECONDS);
            }

            assertThat(total).as("rows re-encrypted by all instances together").isEqualTo(18);
        } finally {
            executor.shutdownNow();
        }
        assertThat(fixtures.as(group, reencryption::rowsByVersion)).containsExactly(Map.entry((short) 2, 18L));
        assertEveryProfileReads(group, customers);
    }

    @Test
    void aTenantAdminRotatesTheKeyOverTheApiAndFollowsTheProgress() {
        var keycloak = KeycloakServer.ensureRunning();
        var group = fixtures.organization("demo-group");
        enrollCustomers(group, 1);
        var admin = api.withToken(keycloak.token("demo-admin", "demo-admin-pass"));
        var before = admin.get("/api/v1/privacy/keys").json().path("currentVersion").asInt();

        var rotated = admin.post("/api/v1/privacy/key-rotations", Map.of());
        var refused = api.withApiKey(group.cafe().apiKey()).post("/api/v1/privacy/key-rotations", Map.of());

        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().path("version").asInt()).isEqualTo(before + 1);
        var status = admin.get("/api/v1/privacy/keys");
        assertThat(status.json().path("currentVersion").asInt()).isEqualTo(before + 1);
        assertThat(status.json().path("versions").valueStream().map(v -> v.path("version").asInt())).contains(before, before + 1);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(fixtures.as(group, () -> audit.about("data-key:" + (before + 1))))
            .extracting(AuditTrail.AuditRecord::action).containsExactly("data-key.rotated");
    }

    private Map<UUID, PersonalDataSamples> enrollCustomers(Group group, int count) {
        var customers = new HashMap<UUID, PersonalDataSamples>();
        for (int i = 0; i < count; i++) {
            var customer = PersonalDataSamples.unique();
            customers.put(customer.enrollWithProfile(api, group.cafe()), customer);
        }
        return customers;
    }

    private void assertEveryProfileReads(Group group, Map<UUID, PersonalDataSamples> customers) {
        customers.forEach((member, customer) -> {
            var profile = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + member + "/profile");
            assertThat(profile.status()).isEqualTo(200);
            assertThat(profile.text("givenName")).isEqualTo(customer.givenName());
            assertThat(profile.text("birthday")).isEqualTo(customer.birthday().toString());
            assertThat(profile.json().path("contacts").valueStream().map(contact -> contact.path("value").asString()))
                .containsExactlyInAnyOrder(customer.email(), customer.phone());
        });
    }

    /** Each person's sealed given name as stored, read as the superuser. */
    private static Map<String, String> sealedNames(Group group) {
        var names = new HashMap<String, String>();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(
                    "select person_id::text, encode(given_name, 'hex') from person_profiles where tenant_id = ?")) {
            statement.setObject(1, group.tenantId());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.put(rows.getString(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
