package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.PersonalDataCipher;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Persons' names and birthdays, each field sealed under the tenant's data key and bound to its person. */
@Component
class Profiles {

    static final String GIVEN_NAME = "person_profiles.given_name";
    static final String FAMILY_NAME = "person_profiles.family_name";
    static final String BIRTHDAY = "person_profiles.birthday";

    private final JdbcClient jdbc;
    private final PersonalDataCipher cipher;

    Profiles(JdbcClient jdbc, PersonalDataCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** A stored profile and when it was last written. */
    record StoredProfile(Profile profile, Instant updatedAt) {
    }

    /** Replaces the person's profile, sealed under the current key version. */
    void put(UUID person, Profile profile, String actor, Instant at) {
        var key = cipher.sealingKey();
        var row = person.toString();
        jdbc.sql("""
                insert into person_profiles (tenant_id, person_id, dek_version, given_name, family_name, birthday, updated_at, updated_by)
                values (:tenant, :person, :dek, :given, :family, :birthday, :at, :actor)
                on conflict (tenant_id, person_id) do update
                   set dek_version = excluded.dek_version, given_name = excluded.given_name,
                       family_name = excluded.family_name, birthday = excluded.birthday,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
            .param("tenant", TenantContext.require()).param("person", person).param("dek", key.version())
            .param("given", cipher.seal(key, GIVEN_NAME, row, profile.givenName()))
            .param("family", cipher.seal(key, FAMILY_NAME, row, profile.familyName()))
            .param("birthday", cipher.seal(key, BIRTHDAY, row, profile.birthday() == null ? null : profile.birthday().toString()))
            .param("at", at.atOffset(ZoneOffset.UTC)).param("actor", actor)
            .update();
    }

    Optional<StoredProfile> find(UUID person) {
        var row = person.toString();
        return jdbc.sql("""
                select dek_version, given_name, family_name, birthday, updated_at from person_profiles
                 where tenant_id = :tenant and person_id = :person""")
            .param("tenant", TenantContext.require()).param("person", person)
            .query((rs, n) -> {
                var version = rs.getShort("dek_version");
                var birthday = cipher.open(version, BIRTHDAY, row, rs.getBytes("birthday"));
                return new StoredProfile(new Profile(cipher.open(version, GIVEN_NAME, row, rs.getBytes("given_name")),
                    cipher.open(version, FAMILY_NAME, row, rs.getBytes("family_name")),
                    birthday == null ? null : LocalDate.parse(birthday)), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
            })
            .optional();
    }

    /** Deletes the person's profile; answers whether there was one (1) or not (0). */
    int remove(UUID person) {
        return jdbc.sql("delete from person_profiles where tenant_id = :tenant and person_id = :person")
            .param("tenant", TenantContext.require()).param("person", person)
            .update();
    }

    /**
     * Gives the survivor of a merge the absorbed person's profile if it has none; sealed anew, since a sealed
     * field opens only for the person it was sealed for. A survivor's own profile is never overwritten.
     */
    void moveIfAbsent(UUID absorbed, UUID survivor, String actor, Instant at) {
        if (find(survivor).isPresent()) {
            return;
        }
        find(absorbed).ifPresent(stored -> {
            put(survivor, stored.profile(), actor, at);
            remove(absorbed);
        });
    }
}
