package io.pointbridge.tenant.tenancy.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
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
import io.pointbridge.tenant.tenancy.TenantIdentities;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.BrandChanges;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import io.pointbridge.tenant.tenancy.TenantManagement.ProgramChanges;
import io.pointbridge.tenant.tenancy.TenantOnboarding;
import io.pointbridge.tenant.tenancy.TenantOnboarding.OnboardedTenant;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.ChangeTimeZone;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateBrand;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateProgram;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.CreateTenant;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.UpdateBrand;
import io.pointbridge.tenant.tenancy.web.TenancyRequests.UpdateProgram;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
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

/** Onboarding of tenants (with their identity) by platform operators; brands and programs, created and updated, by tenant admins. */
@RestController
@RequestMapping("/api/v1")
class TenancyController {

    private final TenantManagement tenancy;
    private final TenantOnboarding onboarding;
    private final IdempotentRequests idempotent;

    TenancyController(TenantManagement tenancy, TenantOnboarding onboarding, IdempotentRequests idempotent) {
        this.tenancy = tenancy;
        this.onboarding = onboarding;
        this.idempotent = idempotent;
    }

    /** A tenant as onboarded: the tenant, its organization in the identity provider, and its first admin. */
    record TenantOnboarded(@JsonUnwrapped Tenant tenant, Organization organization, Admin admin) {

        static TenantOnboarded of(OnboardedTenant onboarded, boolean withPassword) {
            var identity = onboarded.identity();
            return new TenantOnboarded(onboarded.tenant(), new Organization(identity.organizationId(), onboarded.tenant().slug()),
                new Admin(identity.adminUserId(), withPassword ? identity.initialPassword() : null,
                    identity.initialPassword() != null));
        }
    }

    /** The tenant's organization; its alias is the tenant's slug, which tokens name in their {@code organization} claim. */
    record Organization(String id, String alias) {
    }

    /**
     * The first admin's account. {@code initialPassword} is shown in the first answer only (a replay leaves it
     * out) and must be changed at first sign-in; it is absent when the account existed with its own password.
     */
    record Admin(String userId, @Nullable String initialPassword, boolean passwordChangeRequired) {
    }

    /**
     * Onboards a tenant: the tenant, its organization in the identity provider and its first admin. The
     * record of the request is kept in the new tenant's own scope, so a retry is recognised through the slug:
     * same key and body replay the result (without the initial password, which is not stored), anything
     * else finds the slug taken.
     */
    @PostMapping("/tenants")
    @PreAuthorize("hasRole('PLATFORM_OPERATOR')")
    ResponseEntity<Object> createTenant(@Valid @RequestBody CreateTenant request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var command = new NewTenant(request.slug(), request.name(), currency("settlementCurrency", request.settlementCurrency()));
        var admin = new TenantIdentities.FirstAdmin(request.admin().email().strip().toLowerCase(Locale.ROOT),
            request.admin().firstName().strip(), request.admin().lastName().strip());
        var existing = tenancy.tenantIdBySlug(request.slug());
        if (existing.isPresent()) {
            return TenantContext.callAs(existing.get(),
                () -> idempotent.replay(key, http.getMethod(), http.getRequestURI(), request))
                .orElseThrow(() -> new TenantSlugTaken(request.slug()));
        }
        var id = UUID.randomUUID();
        var shown = new AtomicReference<OnboardedTenant>();
        var response = TenantContext.callAs(id, () -> idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var onboarded = onboarding.onboard(id, command, admin);
            shown.set(onboarded);
            return ResponseEntity.created(URI.create("/api/v1/tenants/" + id)).body(TenantOnboarded.of(onboarded, false));
        }));
        if (shown.get() == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
            .body(TenantOnboarded.of(shown.get(), true));
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

    @PutMapping("/brands/{brandId}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> updateBrand(@PathVariable UUID brandId, @Valid @RequestBody UpdateBrand request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(tenancy.updateBrand(brandId, new BrandChanges(request.name()))));
    }

    /** Opens a program of a brand: tenant admins for any brand, brand managers for theirs. */
    @PostMapping("/brands/{brandId}/programs")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    ResponseEntity<Object> createProgram(@PathVariable UUID brandId, @Valid @RequestBody CreateProgram request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        if (!caller.mayActOnBrand(brandId)) {
            throw new BrandNotFound(brandId);
        }
        var command = new NewProgram(request.code(), request.name(), request.pointsName(),
            currency("purchaseCurrency", request.purchaseCurrency()), request.earnRate().points(),
            request.earnRate().perMinorUnits(), request.expiryMonths(),
            request.timeZone() == null ? ZoneOffset.UTC : timeZone("timeZone", request.timeZone()));
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var program = tenancy.createProgram(brandId, command);
            return ResponseEntity.created(URI.create("/api/v1/programs/" + program.id())).body(program);
        });
    }

    @PutMapping("/programs/{programId}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> updateProgram(@PathVariable UUID programId, @Valid @RequestBody UpdateProgram request,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var changes = new ProgramChanges(request.name(), request.pointsName(), request.earnRate().points(),
            request.earnRate().perMinorUnits(), request.expiryMonths());
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(tenancy.updateProgram(programId, changes)));
    }

    @GetMapping("/programs")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    List<Program> programs(@RequestParam Optional<UUID> brandId, @AuthenticationPrincipal Caller caller) {
        return tenancy.programs(brandId).stream()
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
