package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandCodeTaken;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramCodeTaken;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantSlugTaken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Onboards tenants and manages the brands and programs inside the current tenant. */
@Service
public class TenantManagement {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    TenantManagement(JdbcClient jdbc, PlatformTransactionManager transactionManager, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
    }

    public record NewTenant(String slug, String name, Currency settlementCurrency) {
    }

    public record NewBrand(String code, String name) {
    }

    public record NewProgram(String code, String name, String pointsName, Currency purchaseCurrency,
            long earnPoints, long earnPerMinor, Integer expiryMonths) {
    }

    /** Creates a tenant; the whole creation runs as that tenant, so row-level security admits it. */
    public Tenant createTenant(NewTenant command) {
        return createTenant(UUID.randomUUID(), command);
    }

    /** Creates a tenant with an id chosen by the caller (who may need it before the tenant exists). */
    public Tenant createTenant(UUID id, NewTenant command) {
        if (tenantIdBySlug(command.slug()).isPresent()) {
            throw new TenantSlugTaken(command.slug());
        }
        try {
            return TenantContext.callAs(id, () -> transactions.execute(status -> {
                jdbc.sql("""
                        insert into tenants (tenant_id, slug, name, settlement_currency)
                        values (:id, :slug, :name, :currency)""")
                    .param("id", id)
                    .param("slug", command.slug())
                    .param("name", command.name())
                    .param("currency", command.settlementCurrency().getCurrencyCode())
                    .update();
                return currentTenant();
            }));
        } catch (DuplicateKeyException raceLost) {
            throw new TenantSlugTaken(command.slug());
        }
    }

    /** The tenant a slug (a Keycloak organization alias) names; usable before any tenant is selected. */
    public Optional<UUID> tenantIdBySlug(String slug) {
        return jdbc.sql("select tenant_id_by_slug(:slug)").param("slug", slug).query(UUID.class).optional();
    }

    /**
     * Every tenant's id, for work that visits each tenant in turn (the scheduled points jobs). Row-level security
     * hides the tenants from the runtime role; an owner-run function reveals their ids and nothing else.
     */
    public List<UUID> tenantIds() {
        return jdbc.sql("select tenant_ids()").query(UUID.class).list();
    }

    @Transactional(readOnly = true)
    public Tenant currentTenant() {
        var tenant = TenantContext.require();
        return jdbc.sql("select * from tenants where tenant_id = :tenant")
            .param("tenant", tenant)
            .query(TenantManagement::tenant)
            .optional()
            .orElseThrow(() -> new TenantNotFound(tenant.toString()));
    }

    @Transactional
    public Brand createBrand(NewBrand command) {
        var tenant = TenantContext.require();
        var id = UUID.randomUUID();
        try {
            jdbc.sql("insert into brands (tenant_id, brand_id, code, name) values (:tenant, :id, :code, :name)")
                .param("tenant", tenant)
                .param("id", id)
                .param("code", command.code())
                .param("name", command.name())
                .update();
        } catch (DuplicateKeyException e) {
            throw new BrandCodeTaken(command.code());
        }
        return brand(id);
    }

    @Transactional(readOnly = true)
    public List<Brand> brands() {
        return jdbc.sql("select * from brands where tenant_id = :tenant order by code")
            .param("tenant", TenantContext.require())
            .query(TenantManagement::brand)
            .list();
    }

    @Transactional(readOnly = true)
    public Brand brand(UUID brandId) {
        return jdbc.sql("select * from brands where tenant_id = :tenant and brand_id = :brand")
            .param("tenant", TenantContext.require())
            .param("brand", brandId)
            .query(TenantManagement::brand)
            .optional()
            .orElseThrow(() -> new BrandNotFound(brandId));
    }

    @Transactional
    public Program createProgram(UUID brandId, NewProgram command) {
        var tenant = TenantContext.require();
        brand(brandId);
        var id = UUID.randomUUID();
        try {
            jdbc.sql("""
                    insert into programs (tenant_id, program_id, brand_id, code, name, points_name,
                                          purchase_currency, earn_points, earn_per_minor, expiry_months)
                    values (:tenant, :id, :brand, :code, :name, :pointsName, :currency, :earnPoints, :earnPer, :expiry)""")
                .param("tenant", tenant)
                .param("id", id)
                .param("brand", brandId)
                .param("code", command.code())
                .param("name", command.name())
                .param("pointsName", command.pointsName())
                .param("currency", command.purchaseCurrency().getCurrencyCode())
                .param("earnPoints", command.earnPoints())
                .param("earnPer", command.earnPerMinor())
                .param("expiry", command.expiryMonths())
                .update();
        } catch (DuplicateKeyException e) {
            throw new ProgramCodeTaken(command.code());
        }
        events.publishEvent(new ProgramOpened(tenant, id, brandId));
        return program(id);
    }

    @Transactional(readOnly = true)
    public Program program(UUID programId) {
        return jdbc.sql("select * from programs where tenant_id = :tenant and program_id = :program")
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .query(TenantManagement::program)
            .optional()
            .orElseThrow(() -> new ProgramNotFound(programId.toString()));
    }

    /** Programs of the tenant, or of one brand when a brand is given. */
    @Transactional(readOnly = true)
    public List<Program> programs(Optional<UUID> brandId) {
        return jdbc.sql("""
                select * from programs
                 where tenant_id = :tenant and (cast(:brand as uuid) is null or brand_id = :brand)
                 order by code""")
            .param("tenant", TenantContext.require())
            .param("brand", brandId.orElse(null))
            .query(TenantManagement::program)
            .list();
    }

    private static Tenant tenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("tenant_id", UUID.class), rs.getString("slug"), rs.getString("name"),
            rs.getString("settlement_currency"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Brand brand(ResultSet rs, int row) throws SQLException {
        return new Brand(rs.getObject("brand_id", UUID.class), rs.getString("code"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Program program(ResultSet rs, int row) throws SQLException {
        return new Program(rs.getObject("program_id", UUID.class), rs.getObject("brand_id", UUID.class),
            rs.getString("code"), rs.getString("name"), rs.getString("points_name"),
            Currency.getInstance(rs.getString("purchase_currency")), rs.getLong("earn_points"),
            rs.getLong("earn_per_minor"), (Integer) rs.getObject("expiry_months"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
