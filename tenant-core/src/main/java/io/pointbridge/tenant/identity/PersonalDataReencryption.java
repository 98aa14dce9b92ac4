package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.DataKeys;
import io.pointbridge.tenant.crypto.PersonalDataCipher;
import io.pointbridge.tenant.identity.ContactPoint.Kind;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves the current tenant's personal data sealed under older data-key versions to the current one, and contacts
 * indexed under a retired blind-index key to the current one, after a rotation, while the application keeps serving: each batch is its own short transaction, so the work can stop
 * and resume anywhere; rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several instances share the
 * work without waiting for or repeating each other; and reads open any version meanwhile.
 */
@Service
public class PersonalDataReencryption {

    private final JdbcClient jdbc;
    private final DataKeys keys;
    private final PersonalDataCipher cipher;
    private final BlindIndex blindIndex;
    private final TransactionTemplate transactions;

    PersonalDataReencryption(JdbcClient jdbc, DataKeys keys, PersonalDataCipher cipher, BlindIndex blindIndex,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.cipher = cipher;
        this.blindIndex = blindIndex;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Re-seals up to {@code limit} profiles and up to {@code limit} contacts under the current version; answers how many. */
    @Transactional
    public int reencryptBatch(int limit) {
        var current = keys.currentVersion();
        if (current == 0) {
            return 0;
        }
        return profiles(current, limit) + contacts(current, limit);
    }

    /** Re-seals batch after batch until nothing of the current tenant is left under an older version; answers how many. */
    public int reencryptAll(int batchSize) {
        int total = 0;
        int done;
        do {
            done = transactions.execute(status -> reencryptBatch(batchSize));
            total += done;
        } while (done > 0);
        return total;
    }

    /** How many rows of the current tenant each key version seals: the progress of a re-encryption. */
    @Transactional(readOnly = true)
    public Map<Short, Long> rowsByVersion() {
        var rows = jdbc.sql("""
                select dek_version, count(*) as rows from (
                    select dek_version from person_profiles where tenant_id = :tenant
                    union all
                    select dek_version from person_contacts where tenant_id = :tenant and dek_version is not null) sealed
                 group by dek_version""")
            .param("tenant", TenantContext.require())
            .query((rs, row) -> Map.entry(rs.getShort("dek_version"), rs.getLong("rows")))
            .list();
        var byVersion = new TreeMap<Short, Long>();
        rows.forEach(entry -> byVersion.put(entry.getKey(), entry.getValue()));
        return byVersion;
    }

    private int profiles(short current, int limit) {
        var tenant = TenantContext.require();
        var claimed = jdbc.sql("""
                select person_id, dek_version, given_name, family_name, birthday from person_profiles
                 where tenant_id = :tenant and dek_version < :current
                 order by person_id limit :limit for update skip locked""")
            .param("tenant", tenant).param("current", current).param("limit", limit)
            .query((rs, row) -> {
                var person = rs.getObject("person_id", UUID.class).toString();
                var version = rs.getShort("dek_version");
                return new SealedProfile(person, cipher.open(version, Profiles.GIVEN_NAME, person, rs.getBytes("given_name")),
                    cipher.open(version, Profiles.FAMILY_NAME, person, rs.getBytes("family_name")),
                    cipher.open(version, Profiles.BIRTHDAY, person, rs.getBytes("birthday")));
            })
            .list();
        var key = cipher.sealingKey();
        for (var profile : claimed) {
            jdbc.sql("""
                    update person_profiles set dek_version = :version, given_name = :given, family_name = :family, birthday = :birthday
                     where tenant_id = :tenant and person_id = cast(:person as uuid)""")
                .param("version", key.version())
                .param("given", cipher.seal(key, Profiles.GIVEN_NAME, profile.person(), profile.givenName()))
                .param("family", cipher.seal(key, Profiles.FAMILY_NAME, profile.person(), profile.familyName()))
                .param("birthday", cipher.seal(key, Profiles.BIRTHDAY, profile.person(), profile.birthday()))
                .param("tenant", tenant).param("person", profile.person())
                .update();
        }
        return claimed.size();
    }

    /**
     * Contacts sealed under an older data key, or indexed under a retired blind-index key: each is opened, indexed
     * under the current blind-index version and sealed for that index under the current data key. A contact the
     * person holds under the current index already (merged in during the rotation) is folded into that one.
     */
    private int contacts(short current, int limit) {
        var tenant = TenantContext.require();
        var indexVersion = blindIndex.currentVersion();
        List<SealedContact> claimed = jdbc.sql("""
                select contact_id, person_id, kind, blind_index, key_version, dek_version, sealed_value, verified_at
                  from person_contacts
                 where tenant_id = :tenant and sealed_value is not null and (dek_version < :current or key_version <> :indexVersion)
                 order by contact_id limit :limit for update skip locked""")
            .param("tenant", tenant).param("current", current).param("indexVersion", indexVersion).param("limit", limit)
            .query((rs, row) -> {
                var kind = Kind.valueOf(rs.getString("kind"));
                var value = cipher.open(rs.getShort("dek_version"), Contacts.VALUE_FIELD, Contacts.row(kind, rs.getBytes("blind_index")),
                    rs.getBytes("sealed_value"));
                return new SealedContact(rs.getObject("contact_id", UUID.class), rs.getObject("person_id", UUID.class),
                    new ContactPoint(kind, value), rs.getShort("key_version"), rs.getObject("verified_at", OffsetDateTime.class));
            })
            .list();
        var key = cipher.sealingKey();
        for (var contact : claimed) {
            var index = contact.keyVersion() == indexVersion ? null : blindIndex.of(contact.value());
            if (index != null && foldIntoCurrent(contact, index)) {
                continue;
            }
            jdbc.sql("""
                    update person_contacts set blind_index = coalesce(:index, blind_index), key_version = :indexVersion,
                                               dek_version = :version, sealed_value = :sealed
                     where tenant_id = :tenant and contact_id = :id""")
                .param("index", index).param("indexVersion", indexVersion).param("version", key.version())
                .param("sealed", cipher.seal(key, Contacts.VALUE_FIELD,
                    Contacts.row(contact.value().kind(), index != null ? index : blindIndex.of(contact.value())), contact.value().value()))
                .param("tenant", tenant).param("id", contact.id())
                .update();
        }
        return claimed.size();
    }

    /** Folds a re-indexed contact into the person's row for the same contact under the current index, if there is one. */
    private boolean foldIntoCurrent(SealedContact contact, byte[] index) {
        var tenant = TenantContext.require();
        int folded = jdbc.sql("""
                update person_contacts set verified_at = coalesce(verified_at, :verified)
                 where tenant_id = :tenant and person_id = :person and kind = :kind and blind_index = :index""")
            .param("verified", contact.verifiedAt()).param("tenant", tenant).param("person", contact.person())
            .param("kind", contact.value().kind().name()).param("index", index)
            .update();
        if (folded == 0) {
            return false;
        }
        jdbc.sql("delete from person_contacts where tenant_id = :tenant and contact_id = :id")
            .param("tenant", tenant).param("id", contact.id())
            .update();
        return true;
    }

    /** How many contacts of the current tenant are still indexed under a retired blind-index key version. */
    @Transactional(readOnly = true)
    public long contactsUnderRetiredIndexKeys() {
        return jdbc.sql("select count(*) from person_contacts where tenant_id = :tenant and key_version <> :version")
            .param("tenant", TenantContext.require()).param("version", blindIndex.currentVersion())
            .query(Long.class)
            .single();
    }

    private record SealedProfile(String person, String givenName, String familyName, String birthday) {
    }

    private record SealedContact(UUID id, UUID person, ContactPoint value, short keyVersion, @Nullable OffsetDateTime verifiedAt) {
    }
}
