package io.pointbridge.tenant.tier.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tier.Qualification;
import io.pointbridge.tenant.tier.TierScheme;
import io.pointbridge.tenant.tier.TierScheme.LevelSettings;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.tenant.tier.TierSchemes;
import io.pointbridge.tenant.tier.TierWindow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** A program's tiers: set up and changed by tenant admins, read by whoever works with the program. */
@RestController
@RequestMapping("/api/v1/programs/{programId}/tiers")
class TierSchemesController {

    private final TierSchemes schemes;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;

    TierSchemesController(TierSchemes schemes, TenantManagement tenancy, IdempotentRequests idempotent) {
        this.schemes = schemes;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
    }

    /**
     * @param window    {@code {"kind": "rolling", "months": 12}} (the last 12 months) or {@code {"kind": "calendar",
     *                  "months": 12}} (calendar years; 1, 2, 3, 4 or 6 for shorter periods)
     * @param timeZone  where calendar periods and grace days begin (IANA name, e.g. Europe/Paris); UTC if left out
     * @param graceDays days a member keeps a tier after falling short at the review; 0 (the default) downgrades at once
     * @param levels    3 to 5 tiers, lowest first
     */
    record ConfigureTiers(@NotNull @Valid Window window, @Size(max = 64) String timeZone, @Min(0) @Max(365) Integer graceDays,
            @NotNull @Size(max = 10) List<@Valid @NotNull Level> levels) {
    }

    record Window(@NotNull @Pattern(regexp = "rolling|calendar", message = "must be rolling or calendar") String kind,
            @NotNull @Min(1) @Max(TierWindow.MAX_MONTHS) Integer months) {
    }

    /**
     * @param code          stable, lower-case; what other features (e.g. rewards) name the tier by
     * @param multiplier    what purchases earn on this tier, relative to the base rate (1 to 10, 2 decimals)
     * @param qualification what reaching the tier takes; none for the first (entry) tier, e.g.
     *                      {@code {"any": [{"counter": "spend", "atLeast": 50000}, {"counter": "orders", "atLeast": 10}]}}
     *                      (spend in minor units of the program's currency)
     */
    record Level(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "1 to 32 lower-case letters, digits or -")
            String code, @NotBlank @Size(max = 64) String name,
            @NotNull @DecimalMin("1") @DecimalMax("10") @Digits(integer = 2, fraction = 2) BigDecimal multiplier,
            JsonNode qualification) {
    }

    @PutMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> configure(@PathVariable UUID programId, @Valid @RequestBody ConfigureTiers request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var settings = settings(request);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var scheme = schemes.configure(programId, settings, caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.status(scheme.version() == 1 ? HttpStatus.CREATED : HttpStatus.OK).body(scheme);
        });
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    TierScheme scheme(@PathVariable UUID programId, @AuthenticationPrincipal Caller caller) {
        var program = tenancy.program(programId);
        if (!caller.mayActOnBrand(program.brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
        return schemes.require(programId);
    }

    private static Settings settings(ConfigureTiers request) {
        var levels = new ArrayList<LevelSettings>();
        for (int i = 0; i < request.levels().size(); i++) {
            var level = request.levels().get(i);
            var qualification = level.qualification() == null || level.qualification().isNull() ? null
                : Qualification.parse(level.qualification(), "levels[" + i + "].qualification");
            levels.add(new LevelSettings(level.code(), level.name(), level.multiplier(), qualification));
        }
        var window = new TierWindow(TierWindow.Kind.valueOf(request.window().kind().toUpperCase(Locale.ROOT)),
            request.window().months());
        return new Settings(window, zone(request.timeZone()), request.graceDays() == null ? 0 : request.graceDays(), levels);
    }

    private static ZoneId zone(String name) {
        if (name == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new InvalidRequest("timeZone", "is not a time zone such as Europe/Paris or UTC");
        }
    }
}
