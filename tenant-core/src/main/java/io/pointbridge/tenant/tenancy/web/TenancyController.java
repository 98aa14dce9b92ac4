package io.pointbridge.tenant.tenancy.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.Brand;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantSlugTaken;
import io.pointbridge.tenant.tenancy.TenancyFailures.UnknownCurrency;
import io.pointbridge.tenant.tenancy.TenancyFailures.UnknownTimeZone;
import io.pointbridge.tenant.tenancy.Tenant;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.ChangeTimeZone;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateBrand;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateProgram;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateTenant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Onboarding of tenants by platform operators; brands and programs by tenant admins. */
@RestController
@RequestMapping("/api/v1")
class TenancyController {

    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;

    TenancyController(TenantManagement tenancy, IdempotentRequests idempotent) {
        this.tenancy = tenancy;
        this.idempotent = idempotent;
    }

    /**
     * Creates a tenant. The record of the request is kept in the new tenant's own scope, so a retry is
     * recognised through the slug: same key and body replay the result, anything else finds the slug taken.
     */
    @PostMapping("/tenants")
    @PreAuthorize("hasRole('PLATFORM_OPERATOR')")
    ResponseEntity<Object> createTenant(@Valid @RequestBody CreateTenant request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var command = new NewTenant(request.slug(), request.name(), currency("settlementCurrency", request.settlementCurrency()));
        var existing = tenancy.tenantIdBySlug(request.slug());
        if (existing.isPresent()) {
            return TenantContext.callAs(existing.get(),
                () -> idempotent.replay(key, http.getMethod(), http.getRequestURI(), request))
                .orElseThrow(() -> new TenantSlugTaken(request.slug()));
        }
        var id = UUID.randomUUID();
        return TenantContext.callAs(id, () -> idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var tenant = tenancy.createTenant(id, command);
            return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id())).body(tenant);
        }));
    }

    @GetMapping("/tenant")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    Tenant currentTenant() {
        return tenancy.currentTenant();
    }

    @PostMapping("/brands")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> createBrand(@Valid @RequestBody CreateBrand request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var brand = tenancy.createBrand(new NewBrand(request.code(), request.name()));
            return ResponseEntity.created(URI.create("/api/v1/brands/" + brand.id())).body(brand);
        });
    }

    @GetMapping("/brands")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    List<Brand> brands(@AuthenticationPrincipal Caller caller) {
        return tenancy.brands().stream().filter(brand -> caller.mayActOnBrand(brand.id())).toList();
    }

    @GetMapping("/brands/{brandId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    Brand brand(@PathVariable UUID brandId, @AuthenticationPrincipal Caller caller) {
        if (!caller.mayActOnBrand(brandId)) {
            throw new BrandNotFound(brandId);
        }
        return tenancy.brand(brandId);
    }

    @PostMapping("/brands/{brandId}/programs")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> createProgram(@PathVariable UUID brandId, @Valid @RequestBody CreateProgram request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var command = new NewProgram(request.code(), request.name(), request.pointsName(),
            currency("purchaseCurrency", request.purchaseCurrency()), request.earnRate().points(),
            request.earnRate().perMinorUnits(), request.expiryMonths(),
            request.timeZone() == null ? ZoneOffset.UTC : timeZone("timeZone", request.timeZone()));
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var program = tenancy.createProgram(brandId, command);
            return ResponseEntity.created(URI.create("/api/v1/programs/" + program.id())).body(program);
        });
    }

    @GetMapping("/programs")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    List<Program> programs(@RequestParam Optional<UUID> brandId, @AuthenticationPrincipal Caller caller) {
        return tenancy.programs(brandId.or(caller::brandId)).stream()
            .filter(program -> caller.mayActOnBrand(program.brandId()))
            .toList();
    }

    @GetMapping("/programs/{programId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    Program program(@PathVariable UUID programId, @AuthenticationPrincipal Caller caller) {
        var program = tenancy.program(programId);
        if (!caller.mayActOnBrand(program.brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
        return program;
    }

    /** Sets the zone the program's earning rules read dates, weekdays and cap periods in. */
    @PutMapping("/programs/{programId}/time-zone")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> changeTimeZone(@PathVariable UUID programId, @Valid @RequestBody ChangeTimeZone request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var zone = timeZone("timeZone", request.timeZone());
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> ResponseEntity.ok(
            tenancy.changeTimeZone(programId, zone, caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key))));
    }

    static ZoneId timeZone(String field, String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new UnknownTimeZone(field, zone);
        }
    }

    static Currency currency(String field, String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new UnknownCurrency(field, code);
        }
    }
}
