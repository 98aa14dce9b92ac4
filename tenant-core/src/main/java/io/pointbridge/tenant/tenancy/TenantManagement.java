package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandCodeTaken;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramCodeTaken;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantSlugTaken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Onboards tenants and manages the brands and programs inside the current tenant. Every creation and
 * every update that changes something is audited in its own transaction.
 */
@Service
public class TenantManagement {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final AuditTrail audit;
    private final ProgramRows programs;

    TenantManagement(JdbcClient jdbc, PlatformTransactionManager transactionManager, ApplicationEventPublisher events,
            AuditTrail audit, ProgramRows programs) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
        this.audit = audit;
        this.programs = programs;
    }

    public record NewTenant(String slug, String name, Currency settlementCurrency) {
    }

    public record NewBrand(String code, String name) {
    }

    public record NewProgram(String code, String name, String pointsName, Currency purchaseCurrency,
            long earnPoints, long earnPerMinor, Integer expiryMonths, ZoneId timeZone) {

        /** A program whose local time is UTC. */
        public NewProgram(String code, String name, String pointsName, Currency purchaseCurrency, long earnPoints,
                long earnPerMinor, Integer expiryMonths) {
            this(code, name, pointsName, purchaseCurrency, earnPoints, earnPerMinor, expiryMonths, ZoneOffset.UTC);
        }
    }

    /** What a brand's update sets: its code is its stable name in integrations and stays. */
    public record BrandChanges(String name) {
    }

    /**
     * What a program's update sets. Its code, brand and purchase currency stay: purchases and refunds made
     * before are computed in that currency. A new earn rate or expiry applies to points earned from now on.
     */
    public record ProgramChanges(String name, String pointsName, long earnPoints, long earnPerMinor,
            Integer expiryMonths) {
    }

    /**
     * Creates a tenant; the whole creation runs as that tenant, so row-level security admits it, and its
     * audit record is the first in the new tenant's trail.
     */
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
                var tenant = currentTenant();
                audit.record("tenant.created", "tenant:" + id, null, tenant);
                return tenant;
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
     * Every tenant's id, for jobs that work tenant by tenant; usable without a tenant selected. It reveals nothing
     * but the ids: each tenant's rows are then read as that tenant.
     */
    public List<UUID> allTenantIds() {
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
        var brand = brand(id);
        audit.record("brand.created", "brand:" + id, null, brand);
        return brand;
    }

    /** Updates a brand; an update that changes nothing is not a change and is not audited. */
    @Transactional
    public Brand updateBrand(UUID brandId, BrandChanges changes) {
        var before = lockBrand(brandId);
        if (before.name().equals(changes.name())) {
            return before;
        }
        jdbc.sql("update brands set name = :name where tenant_id = :tenant and brand_id = :brand")
            .param("name", changes.name())
            .param("tenant", TenantContext.require())
            .param("brand", brandId)
            .update();
        var after = brand(brandId);
        audit.record("brand.updated", "brand:" + brandId, before, after);
        return after;
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
                                          purchase_currency, earn_points, earn_per_minor, expiry_months, time_zone)
                    values (:tenant, :id, :brand, :code, :name, :pointsName, :currency, :earnPoints, :earnPer, :expiry,
                            :zone)""")
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
                .param("zone", command.timeZone().getId())
                .update();
        } catch (DuplicateKeyException e) {
            throw new ProgramCodeTaken(command.code());
        }
        events.publishEvent(new ProgramOpened(tenant, id, brandId));
        var program = program(id);
        audit.record("program.created", "program:" + id, null, program);
        return program;
    }

    /** Updates a program; an update that changes nothing is not a change and is not audited. */
    @Transactional
    public Program updateProgram(UUID programId, ProgramChanges changes) {
        var before = lockProgram(programId);
        var unchanged = new ProgramChanges(before.name(), before.pointsName(), before.earnPoints(),
            before.earnPerMinor(), before.expiryMonths());
        if (unchanged.equals(changes)) {
            return before;
        }
        jdbc.sql("""
                update programs set name = :name, points_name = :pointsName, earn_points = :earnPoints,
                                    earn_per_minor = :earnPer, expiry_months = :expiry
                 where tenant_id = :tenant and program_id = :program""")
            .param("name", changes.name())
            .param("pointsName", changes.pointsName())
            .param("earnPoints", changes.earnPoints())
            .param("earnPer", changes.earnPerMinor())
            .param("expiry", changes.expiryMonths())
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .update();
        programs.forget(programId);
        var after = program(programId);
        audit.record("program.updated", "program:" + programId, before, after);
        return after;
    }

    @Transactional(readOnly = true)
    public Program program(UUID programId) {
        return programs.row(programId).program();
    }

    /**
     * Moves a program to another time zone: from then on its earning rules read dates and weekdays, and count
     * their caps' days, weeks and months, in that zone. Audited.
     */
    @Transactional
    public Program changeTimeZone(UUID programId, ZoneId timeZone, String actor, @Nullable String requestId) {
        var before = jdbc.sql("""
                select time_zone from programs where tenant_id = :tenant and program_id = :program for update""")
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .query(String.class)
            .optional()
            .orElseThrow(() -> new ProgramNotFound(programId.toString()));
        jdbc.sql("update programs set time_zone = :zone where tenant_id = :tenant and program_id = :program")
            .param("zone", timeZone.getId())
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .update();
        programs.forget(programId);
        audit.record(new Change(actor, "program.time-zone-changed", "program:" + programId, Map.of("timeZone", before),
            Map.of("timeZone", timeZone.getId()), requestId));
        return program(programId);
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

    /** The brand as it is, locked until the transaction ends so that the audited "before" stays true. */
    private Brand lockBrand(UUID brandId) {
        return jdbc.sql("select * from brands where tenant_id = :tenant and brand_id = :brand for update")
            .param("tenant", TenantContext.require())
            .param("brand", brandId)
            .query(TenantManagement::brand)
            .optional()
            .orElseThrow(() -> new BrandNotFound(brandId));
    }

    private Program lockProgram(UUID programId) {
        return jdbc.sql("select * from programs where tenant_id = :tenant and program_id = :program for update")
            .param("tenant", TenantContext.require())
            .param("program", programId)
            .query(TenantManagement::program)
            .optional()
            .orElseThrow(() -> new ProgramNotFound(programId.toString()));
    }

    private static Tenant tenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("tenant_id", UUID.class), rs.getString("slug"), rs.getString("name"),
            rs.getString("settlement_currency"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Brand brand(ResultSet rs, int row) throws SQLException {
        return new Brand(rs.getObject("brand_id", UUID.class), rs.getString("code"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    static Program program(ResultSet rs, int row) throws SQLException {
        return new Program(rs.getObject("program_id", UUID.class), rs.getObject("brand_id", UUID.class),
            rs.getString("code"), rs.getString("name"), rs.getString("points_name"),
            Currency.getInstance(rs.getString("purchase_currency")), rs.getLong("earn_points"),
            rs.getLong("earn_per_minor"), (Integer) rs.getObject("expiry_months"), ZoneId.of(rs.getString("time_zone")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
