package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.PersonalDataCipher;
import io.pointbridge.tenant.identity.ContactPoint.Kind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Persons' contact points: found only by their blind index, their value kept sealed under the tenant's data
 * key. The sealed value is bound to its kind and blind index, so it opens only in a row for that very value.
 */
@Component
class Contacts {

    static final String VALUE_FIELD = "person_contacts.value";

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final PersonalDataCipher cipher;

    Contacts(JdbcClient jdbc, BlindIndex blindIndex, PersonalDataCipher cipher) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.cipher = cipher;
    }

    /** A contact point with its value opened; the value is null for contacts stored before values were kept. */
    record ContactValue(UUID contactId, Kind kind, @Nullable String value, @Nullable Instant verifiedAt, Instant addedAt) {
    }

    /**
     * Adds the contact point to the person, or marks the one it has verified; a verification is never undone
     * here. A contact stored before values were kept gets its sealed value now.
     */
    void add(UUID person, ContactPoint contact, @Nullable Instant verifiedAt, String source) {
        var tenant = TenantContext.require();
        var index = blindIndex.of(contact);
        var key = cipher.sealingKey();
        var sealed = cipher.seal(key, VALUE_FIELD, row(contact.kind(), index), contact.value());
        var retired = blindIndex.underRetiredVersions(contact);
        if (!retired.isEmpty()) {
            // The person holds it under a retired key version: it moves to the current one, its value sealed for the new index.
            jdbc.sql("""
                    update person_contacts o set blind_index = :index, key_version = :version, sealed_value = :sealed, dek_version = :dek
                     where o.tenant_id = :tenant and o.person_id = :person and o.kind = :kind and o.blind_index in (:retired)
                       and not exists (select from person_contacts c where c.tenant_id = o.tenant_id and c.person_id = o.person_id
                                          and c.kind = o.kind and c.blind_index = :index)""")
                .param("index", index).param("version", blindIndex.currentVersion()).param("sealed", sealed)
                .param("dek", key.version()).param("tenant", tenant).param("person", person)
                .param("kind", contact.kind().name()).param("retired", retired)
                .update();
        }
        jdbc.sql("""
                insert into person_contacts (tenant_id, contact_id, person_id, kind, blind_index, key_version, verified_at,
                                             source, sealed_value, dek_version)
                values (:tenant, :id, :person, :kind, :index, :version, :verified, :source, :sealed, :dek)
                on conflict (tenant_id, person_id, kind, blind_index)
                do update set verified_at = coalesce(person_contacts.verified_at, excluded.verified_at),
                              sealed_value = coalesce(person_contacts.sealed_value, excluded.sealed_value),
                              dek_version = case when person_contacts.sealed_value is null then excluded.dek_version
                                                 else person_contacts.dek_version end""")
            .param("tenant", tenant).param("id", UUID.randomUUID()).param("person", person)
            .param("kind", contact.kind().name()).param("index", index)
            .param("version", blindIndex.currentVersion())
            .param("verified", verifiedAt == null ? null : verifiedAt.atOffset(ZoneOffset.UTC))
            .param("source", source)
            .param("sealed", sealed)
            .param("dek", key.version())
            .update();
    }

    /** The person's contact points with their values, oldest first. */
    List<ContactValue> values(UUID person) {
        return jdbc.sql("""
                select contact_id, kind, blind_index, sealed_value, dek_version, verified_at, created_at from person_contacts
                 where tenant_id = :tenant and person_id = :person order by created_at, contact_id""")
            .param("tenant", TenantContext.require()).param("person", person)
            .query((rs, row) -> {
                var kind = Kind.valueOf(rs.getString("kind"));
                var sealed = rs.getBytes("sealed_value");
                var value = sealed == null ? null
                    : cipher.open(rs.getShort("dek_version"), VALUE_FIELD, row(kind, rs.getBytes("blind_index")), sealed);
                var verified = rs.getObject("verified_at", OffsetDateTime.class);
                return new ContactValue(rs.getObject("contact_id", UUID.class), kind, value,
                    verified == null ? null : verified.toInstant(), rs.getObject("created_at", OffsetDateTime.class).toInstant());
            })
            .list();
    }

    /** Deletes the person's contact points, blind indexes and sealed values with them; answers how many of each kind. */
    Map<Kind, Integer> removeAll(UUID person) {
        var removed = new EnumMap<Kind, Integer>(Kind.class);
        jdbc.sql("delete from person_contacts where tenant_id = :tenant and person_id = :person returning kind")
            .param("tenant", TenantContext.require()).param("person", person)
            .query(String.class)
            .list()
            .forEach(kind -> removed.merge(Kind.valueOf(kind), 1, Integer::sum));
        return removed;
    }

    /** What a sealed value is bound to: its kind and blind index, which stay the same wherever a merge moves it. */
    static String row(Kind kind, byte[] blindIndex) {
        return kind + ":" + HexFormat.of().formatHex(blindIndex);
    }

    /** The persons, not merged into another, that hold this contact point verified (under any configured key version). */
    Set<UUID> verifiedHolders(ContactPoint contact) {
        var indexes = new ArrayList<byte[]>(blindIndex.underRetiredVersions(contact));
        indexes.add(blindIndex.of(contact));
        return Set.copyOf(jdbc.sql("""
                select c.person_id from person_contacts c
                  join persons p on p.tenant_id = c.tenant_id and p.person_id = c.person_id
                 where c.tenant_id = :tenant and c.kind = :kind and c.blind_index in (:indexes)
                   and c.verified_at is not null and p.merged_into is null""")
            .param("tenant", TenantContext.require()).param("kind", contact.kind().name())
            .param("indexes", indexes)
            .query(UUID.class)
            .list());
    }

    /** Whether the two persons hold one contact point, both verified. */
    boolean shareVerified(UUID one, UUID other) {
        return jdbc.sql("""
                select exists (select 1 from person_contacts a
                                 join person_contacts b on b.tenant_id = a.tenant_id and b.kind = a.kind
                                                       and b.blind_index = a.blind_index
                                where a.tenant_id = :tenant and a.person_id = :one and b.person_id = :other
                                  and a.verified_at is not null and b.verified_at is not null)""")
            .param("tenant", TenantContext.require()).param("one", one).param("other", other)
            .query(Boolean.class).single();
    }

    /** What a person's contact points are, never what they say. */
    List<PersonContact> of(UUID person) {
        return jdbc.sql("""
                select kind, verified_at, created_at from person_contacts
                 where tenant_id = :tenant and person_id = :person order by created_at, contact_id""")
            .param("tenant", TenantContext.require()).param("person", person)
            .query((rs, row) -> {
                var verified = rs.getObject("verified_at", OffsetDateTime.class);
                return new PersonContact(Kind.valueOf(rs.getString("kind")), verified != null,
                    verified == null ? null : verified.toInstant(), rs.getObject("created_at", OffsetDateTime.class).toInstant());
            })
            .list();
    }

    /** Gives the survivor of a merge the absorbed person's contact points it does not have yet (the rest stay). */
    int moveAll(UUID absorbed, UUID survivor) {
        jdbc.sql("""
                update person_contacts s set verified_at = a.verified_at
                  from person_contacts a
                 where s.tenant_id = :tenant and s.person_id = :survivor and s.verified_at is null
                   and a.tenant_id = s.tenant_id and a.person_id = :absorbed and a.kind = s.kind
                   and a.blind_index = s.blind_index and a.verified_at is not null""")
            .param("tenant", TenantContext.require()).param("survivor", survivor).param("absorbed", absorbed)
            .update();
        return jdbc.sql("""
                update person_contacts a set person_id = :survivor
                 where a.tenant_id = :tenant and a.person_id = :absorbed
                   and not exists (select 1 from person_contacts s
                                    where s.tenant_id = a.tenant_id and s.person_id = :survivor
                                      and s.kind = a.kind and s.blind_index = a.blind_index)""")
            .param("tenant", TenantContext.require()).param("survivor", survivor).param("absorbed", absorbed)
            .update();
    }
}
