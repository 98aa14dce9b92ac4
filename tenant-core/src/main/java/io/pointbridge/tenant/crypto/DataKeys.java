package io.pointbridge.tenant.crypto;

import io.pointbridge.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each tenant's data-encryption keys (DEKs), one per version, stored only wrapped by the {@link KeyProvider}.
 *
 * <p>New data is sealed under the tenant's highest version; every version stays readable, so a rotation
 * ({@link #rotate()}) needs no downtime: new writes take the new key at once, a re-encryption job moves old
 * rows over, and reads open whatever version a row names. A tenant's first key is made on its first write.
 * Unwrapped keys are cached in memory per tenant and version (a few dozen bytes each), so that the key provider,
 * possibly a remote KMS, is asked once per key and instance, never per row.
 */
@Service
public class DataKeys {

    private final JdbcClient jdbc;
    private final KeyProvider provider;
    private final TransactionTemplate ownTransaction;
    private final Map<VersionOf, byte[]> unwrapped = new ConcurrentHashMap<>();

    DataKeys(JdbcClient jdbc, KeyProvider provider, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A data key of the current tenant, ready to use. */
    public record DataKey(short version, byte[] key) {
        @Override
        public String toString() {
            return "DataKey[version=" + version + ", key=<secret>]";
        }
    }

    /** What is known of a version without its key: when it was made and which KEK wraps it. */
    public record KeyVersion(short version, String keyEncryptionKeyId, Instant createdAt) {
    }

    /**
     * The key new data of the current tenant is sealed under: its highest version, made now if it has none. A first
     * key is made and committed in a transaction of its own, before any data is sealed under it: were it to roll
     * back with the caller's work, this instance's cache would keep a key that no other instance can ever unwrap.
     */
    @Transactional
    public DataKey current() {
        var tenant = TenantContext.require();
        var version = highest(tenant);
        if (version == 0) {
            ownTransaction.executeWithoutResult(status -> insert(tenant, (short) 1));
            version = highest(tenant);
        }
        return new DataKey(version, key(tenant, version));
    }

    /** The highest version of the current tenant's key, 0 if it has none yet. */
    @Transactional(readOnly = true)
    public short currentVersion() {
        return highest(TenantContext.require());
    }

    /** The key of the given version of the current tenant, for opening data sealed under it. */
    @Transactional(readOnly = true)
    public byte[] version(short version) {
        return key(TenantContext.require(), version);
    }

    /**
     * Starts a new version of the current tenant's key for every write from the commit on; the older ones stay
     * readable. Two rotations racing make one new version, not two. Nothing here caches the new key: it is
     * unwrapped, and cached, only once read from the committed row.
     */
    @Transactional
    public KeyVersion rotate() {
        var tenant = TenantContext.require();
        insert(tenant, (short) (highest(tenant) + 1));
        return versions().getLast();
    }

    @Transactional(readOnly = true)
    public List<KeyVersion> versions() {
        return jdbc.sql("select version, kek_id, created_at from data_keys where tenant_id = :tenant order by version")
            .param("tenant", TenantContext.require())
            .query((rs, row) -> new KeyVersion(rs.getShort("version"), rs.getString("kek_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
            .list();
    }

    /**
     * Wraps every data key of the current tenant that an older KEK wraps under the current one, after the
     * master key was rotated; the data keys themselves, and so all data, stay as they are.
     */
    @Transactional
    public int rewrap() {
        var tenant = TenantContext.require();
        var current = provider.currentKeyId();
        var stale = jdbc.sql("""
                select version from data_keys where tenant_id = :tenant and kek_id <> :current order by version for update""")
            .param("tenant", tenant).param("current", current)
            .query(Short.class)
            .list();
        for (var version : stale) {
            var key = key(tenant, version);
            jdbc.sql("update data_keys set wrapped_key = :wrapped, kek_id = :kek where tenant_id = :tenant and version = :version")
                .param("wrapped", provider.wrap(key, context(tenant, version))).param("kek", current)
                .param("tenant", tenant).param("version", version)
                .update();
        }
        return stale.size();
    }

    private short highest(UUID tenant) {
        return jdbc.sql("select coalesce(max(version), 0) from data_keys where tenant_id = :tenant")
            .param("tenant", tenant)
            .query(Short.class)
            .single();
    }

    private void insert(UUID tenant, short version) {
        var key = Aead.randomKey();
        jdbc.sql("""
                insert into data_keys (tenant_id, version, wrapped_key, kek_id) values (:tenant, :version, :wrapped, :kek)
                on conflict do nothing""")
            .param("tenant", tenant).param("version", version)
            .param("wrapped", provider.wrap(key, context(tenant, version))).param("kek", provider.currentKeyId())
            .update();
    }

    private byte[] key(UUID tenant, short version) {
        return unwrapped.computeIfAbsent(new VersionOf(tenant, version), id -> jdbc.sql("""
                select wrapped_key, kek_id from data_keys where tenant_id = :tenant and version = :version""")
            .param("tenant", tenant).param("version", version)
            .query((rs, row) -> provider.unwrap(rs.getString("kek_id"), rs.getBytes("wrapped_key"), context(tenant, version)))
            .optional()
            .orElseThrow(() -> new IllegalStateException("Tenant " + tenant + " has no data key version " + version)));
    }

    /** Binds a wrapped key to its tenant and version: swapping wrapped keys between rows makes them unusable. */
    private static byte[] context(UUID tenant, short version) {
        return ("pointbridge/data-key|" + tenant + "|" + version).getBytes(StandardCharsets.UTF_8);
    }

    private record VersionOf(UUID tenant, short version) {
    }
}
