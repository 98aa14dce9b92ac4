package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.DataKeys;
import io.pointbridge.tenant.crypto.PersonalDataCipher;
import io.pointbridge.tenant.identity.ContactPoint.Kind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves the current tenant's personal data sealed under older data-key versions to the current one, after a
 * rotation, while the application keeps serving: each batch is its own short transaction, so the work can stop
 * and resume anywhere; rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several instances share the
 * work without waiting for or repeating each other; and reads open any version meanwhile.
 */
@Service
public class PersonalDataReencryption {

    private final JdbcClient jdbc;
    private final DataKeys keys;
    private final PersonalDataCipher cipher;
    private final TransactionTemplate transactions;

    PersonalDataReencryption(JdbcClient jdbc, DataKeys keys, PersonalDataCipher cipher,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.cipher = cipher;
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

    private int contacts(short current, int limit) {
        var tenant = TenantContext.require();
        List<SealedContact> claimed = jdbc.sql("""
                select contact_id, kind, blind_index, dek_version, sealed_value from person_contacts
                 where tenant_id = :tenant and dek_version < :current
                 order by contact_id limit :limit for update skip locked""")
            .param("tenant", tenant).param("current", current).param("limit", limit)
            .query((rs, row) -> {
                var bound = Contacts.row(Kind.valueOf(rs.getString("kind")), rs.getBytes("blind_index"));
                return new SealedContact(rs.getObject("contact_id", UUID.class), bound,
                    cipher.open(rs.getShort("dek_version"), Contacts.VALUE_FIELD, bound, rs.getBytes("sealed_value")));
            })
            .list();
        var key = cipher.sealingKey();
        for (var contact : claimed) {
            jdbc.sql("update person_contacts set dek_version = :version, sealed_value = :sealed where tenant_id = :tenant and contact_id = :id")
                .param("version", key.version())
                .param("sealed", cipher.seal(key, Contacts.VALUE_FIELD, contact.boundTo(), contact.value()))
                .param("tenant", tenant).param("id", contact.id())
                .update();
        }
        return claimed.size();
    }

    private record SealedProfile(String person, String givenName, String familyName, String birthday) {
    }

    private record SealedContact(UUID id, String boundTo, String value) {
    }
}
