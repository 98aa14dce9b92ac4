package io.pointbridge.tenant.access;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The brands each brand manager of the current tenant may act on. Grants name the identity provider's user
 * ({@code subject}, the {@code sub} of their tokens); a manager without grants may act on no brand. Every
 * grant and revocation is audited.
 */
@Service
public class BrandGrants {

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final AuditTrail audit;

    BrandGrants(JdbcClient jdbc, TenantManagement tenancy, AuditTrail audit) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.audit = audit;
    }

    /** A brand granted to a brand manager. */
    public record BrandGrant(String subject, UUID brandId, String grantedBy, Instant grantedAt) {
    }

    /** A grant, and whether this call made it (granting a brand twice keeps the first grant). */
    public record Granted(BrandGrant grant, boolean created) {
    }

    @Transactional
    public Granted grant(String subject, UUID brandId, String actor, @Nullable String requestId) {
        var tenant = TenantContext.require();
        tenancy.brand(brandId);
        int inserted = jdbc.sql("""
                insert into brand_grants (tenant_id, subject, brand_id, granted_by)
                values (:tenant, :subject, :brand, :actor) on conflict do nothing""")
            .param("tenant", tenant).param("subject", subject).param("brand", brandId).param("actor", actor)
            .update();
        var grant = find(subject, brandId).orElseThrow();
        if (inserted == 1) {
            audit.record(new Change(actor, "brand-grant.granted", "user:" + subject, null,
                Map.of("brandId", brandId), requestId));
        }
        return new Granted(grant, inserted == 1);
    }

    /**
     * Revokes the grant; revoking one that does not exist changes nothing. Returns whether one was revoked. A brand
     * the tenant does not have (another tenant's, say) is refused as not found, as in {@link #grant}.
     */
    @Transactional
    public boolean revoke(String subject, UUID brandId, String actor, @Nullable String requestId) {
        tenancy.brand(brandId);
        int deleted = jdbc.sql("delete from brand_grants where tenant_id = :tenant and subject = :subject and brand_id = :brand")
            .param("tenant", TenantContext.require()).param("subject", subject).param("brand", brandId)
            .update();
        if (deleted == 1) {
            audit.record(new Change(actor, "brand-grant.revoked", "user:" + subject, Map.of("brandId", brandId), null,
                requestId));
        }
        return deleted == 1;
    }

    /** The tenant's grants, or one manager's, by manager and brand. */
    @Transactional(readOnly = true)
    public List<BrandGrant> list(Optional<String> subject) {
        return jdbc.sql("""
                select * from brand_grants
                 where tenant_id = :tenant and (cast(:subject as text) is null or subject = :subject)
                 order by subject, brand_id""")
            .param("tenant", TenantContext.require()).param("subject", subject.orElse(null))
            .query(BrandGrants::grant)
            .list();
    }

    /** The brands the manager may act on. */
    @Transactional(readOnly = true)
    public Set<UUID> brandsOf(String subject) {
        return list(Optional.of(subject)).stream().map(BrandGrant::brandId).collect(Collectors.toUnmodifiableSet());
    }

    private Optional<BrandGrant> find(String subject, UUID brandId) {
        return jdbc.sql("select * from brand_grants where tenant_id = :tenant and subject = :subject and brand_id = :brand")
            .param("tenant", TenantContext.require()).param("subject", subject).param("brand", brandId)
            .query(BrandGrants::grant)
            .optional();
    }

    private static BrandGrant grant(ResultSet rs, int row) throws SQLException {
        return new BrandGrant(rs.getString("subject"), rs.getObject("brand_id", UUID.class), rs.getString("granted_by"),
            rs.getObject("granted_at", OffsetDateTime.class).toInstant());
    }
}
