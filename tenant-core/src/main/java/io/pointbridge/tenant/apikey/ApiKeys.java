package io.pointbridge.tenant.apikey;

import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues, lists, revokes and authenticates API keys. A key reads {@code pbk_<key id>_<secret>}; only a
 * SHA-256 hash of the 256-bit secret is stored (a slow hash adds nothing for secrets this long). Issuing
 * and revoking are audited with the key as listed: never its secret, nor its hash.
 */
@Service
public class ApiKeys {

    private static final Pattern FORMAT = Pattern.compile("pbk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final AuditTrail audit;

    ApiKeys(JdbcClient jdbc, TenantManagement tenancy, AuditTrail audit) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.audit = audit;
    }

    /** A key as listed: never its secret. */
    public record ApiKey(UUID id, UUID brandId, String name, String createdBy, Instant createdAt, @Nullable Instant revokedAt) {
    }

    /** A newly issued key: the only time its secret is shown. */
    public record IssuedApiKey(ApiKey key, String secret) {
    }

    /** Whom a valid key authenticates. */
    public record KeyHolder(UUID apiKeyId, UUID tenantId, UUID brandId) {
    }

    @Transactional
    public IssuedApiKey issue(UUID brandId, String name, String actor) {
        var tenant = TenantContext.require();
        tenancy.brand(brandId);
        var id = UUID.randomUUID();
        var secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        var secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        jdbc.sql("""
                insert into api_keys (tenant_id, api_key_id, brand_id, name, secret_hash, created_by)
                values (:tenant, :id, :brand, :name, :hash, :actor)""")
            .param("tenant", tenant).param("id", id).param("brand", brandId).param("name", name)
            .param("hash", sha256(secret)).param("actor", actor)
            .update();
        var key = "pbk_" + id.toString().replace("-", "") + "_" + secret;
        var issued = find(id).orElseThrow();
        audit.record(new Change(actor, "api-key.issued", "api-key:" + id, null, issued, null));
        return new IssuedApiKey(issued, key);
    }

    @Transactional(readOnly = true)
    public List<ApiKey> list(UUID brandId) {
        tenancy.brand(brandId);
        return jdbc.sql("select * from api_keys where tenant_id = :tenant and brand_id = :brand order by created_at")
            .param("tenant", TenantContext.require()).param("brand", brandId)
            .query((rs, row) -> apiKey(rs))
            .list();
    }

    /** Revokes a key of the brand; revoking a revoked key changes nothing and is not audited again. */
    @Transactional
    public ApiKey revoke(UUID brandId, UUID keyId) {
        var before = jdbc.sql("""
                select * from api_keys
                 where tenant_id = :tenant and brand_id = :brand and api_key_id = :id for update""")
            .param("tenant", TenantContext.require()).param("brand", brandId).param("id", keyId)
            .query((rs, row) -> apiKey(rs))
            .optional()
            .orElseThrow(() -> new ApiKeyNotFound(keyId));
        if (before.revokedAt() != null) {
            return before;
        }
        jdbc.sql("update api_keys set revoked_at = now() where tenant_id = :tenant and api_key_id = :id")
            .param("tenant", TenantContext.require()).param("id", keyId)
            .update();
        var after = find(keyId).orElseThrow();
        audit.record("api-key.revoked", "api-key:" + keyId, before, after);
        return after;
    }

    /** The holder of a presented key, if it is well-formed, known, not revoked and its secret matches. */
    public Optional<KeyHolder> authenticate(String presented) {
        var matcher = FORMAT.matcher(presented);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        var hex = matcher.group(1);
        var id = new UUID(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16));
        var hash = sha256(matcher.group(2));
        return jdbc.sql("select tenant_id, brand_id, secret_hash from active_api_key(:id)")
            .param("id", id)
            .query((rs, row) -> new StoredKey(rs.getObject("tenant_id", UUID.class), rs.getObject("brand_id", UUID.class),
                rs.getBytes("secret_hash")))
            .optional()
            .filter(stored -> MessageDigest.isEqual(hash, stored.secretHash()))
            .map(stored -> new KeyHolder(id, stored.tenantId(), stored.brandId()));
    }

    private record StoredKey(UUID tenantId, UUID brandId, byte[] secretHash) {
    }

    private Optional<ApiKey> find(UUID id) {
        return jdbc.sql("select * from api_keys where tenant_id = :tenant and api_key_id = :id")
            .param("tenant", TenantContext.require()).param("id", id)
            .query((rs, row) -> apiKey(rs))
            .optional();
    }

    private static ApiKey apiKey(java.sql.ResultSet rs) throws java.sql.SQLException {
        var revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new ApiKey(rs.getObject("api_key_id", UUID.class), rs.getObject("brand_id", UUID.class),
            rs.getString("name"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            revoked == null ? null : revoked.toInstant());
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class ApiKeyNotFound extends DomainFailure {
        ApiKeyNotFound(UUID id) {
            super(404, "api-key-not-found", "API key not found", "No API key " + id + " is visible to you.");
        }
    }
}
