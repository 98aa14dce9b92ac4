package io.pointbridge.exchange.rate.web;

import io.pointbridge.exchange.rate.ExchangeRate;
import io.pointbridge.exchange.rate.ExchangeRate.Caps;
import io.pointbridge.exchange.rate.ExchangeRate.Fee;
import io.pointbridge.exchange.rate.ExchangeRate.Restrictions;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.rate.ExchangeRates.RatePage;
import io.pointbridge.exchange.rate.ExchangeRates.RateQuery;
import io.pointbridge.exchange.rate.NewRate;
import io.pointbridge.exchange.rate.RateFailures.ExchangeRateNotFound;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Exchange rates: tenant admins change them (each change a new version), tenant admins and brand managers
 * read them all, an integration reads those of pairs its brand takes part in.
 */
@RestController
@RequestMapping("/api/v1/exchange/rates")
class RatesController {

    static final long MAX_POINTS = 1_000_000_000L;

    private final ExchangeRates rates;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;

    RatesController(ExchangeRates rates, TenantManagement tenancy, IdempotentRequests idempotent) {
        this.rates = rates;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
    }

    /** The fee in source points: {@code percent} (up to 4 decimals, rounded up per conversion) plus {@code fixed}. */
    record FeeTerms(
            @DecimalMin("0") @DecimalMax(value = "100", inclusive = false)
            @Digits(integer = 3, fraction = 4, message = "at most 4 decimals") BigDecimal percent,
            @Min(0) @Max(MAX_POINTS) Long fixed) {
    }

    /** Caps in source points; left out: no cap. */
    record CapTerms(@Min(1) @Max(MAX_POINTS) Long perMemberPerDay, @Min(1) @Max(MAX_POINTS) Long perMemberPerMonth,
            @Min(1) @Max(MAX_POINTS) Long perPairPerDay) {
    }

    /** What converted points may do: be converted again (default yes), expire within some days (default no limit). */
    record RestrictionTerms(Boolean convertible, @Min(1) @Max(3650) Integer expiresWithinDays) {
    }

    /**
     * A new version of the rate from one program to another: {@code sourceUnits} source points convert to
     * {@code targetUnits} target points, both whole numbers; conversions take a multiple of
     * {@code stepPoints} (default 1), at least {@code minimumPoints}. Send {@code "enabled": false} to stop
     * conversions of the pair, which also stops quotes already given.
     */
    record SetRate(@NotNull UUID sourceProgramId, @NotNull UUID targetProgramId,
            @NotNull @Min(1) @Max(MAX_POINTS) Long sourceUnits, @NotNull @Min(1) @Max(MAX_POINTS) Long targetUnits,
            Instant effectiveFrom, Instant effectiveTo, Boolean enabled,
            @NotNull @Min(1) @Max(MAX_POINTS) Long minimumPoints, @Min(1) @Max(MAX_POINTS) Long stepPoints,
            @Valid FeeTerms fee, @Valid CapTerms caps, @Valid RestrictionTerms restrictions) {

        NewRate command() {
            var feeTerms = fee == null ? new FeeTerms(null, null) : fee;
            var capTerms = caps == null ? new CapTerms(null, null, null) : caps;
            var restrictionTerms = restrictions == null ? new RestrictionTerms(null, null) : restrictions;
            return new NewRate(sourceProgramId, targetProgramId, sourceUnits, targetUnits, effectiveFrom, effectiveTo,
                enabled == null || enabled, minimumPoints, stepPoints == null ? 1 : stepPoints,
                new Fee(feeTerms.percent() == null ? BigDecimal.ZERO : feeTerms.percent(),
                    feeTerms.fixed() == null ? 0 : feeTerms.fixed()),
                new Caps(capTerms.perMemberPerDay(), capTerms.perMemberPerMonth(), capTerms.perPairPerDay()),
                new Restrictions(restrictionTerms.convertible() == null || restrictionTerms.convertible(),
                    restrictionTerms.expiresWithinDays()));
        }
    }

    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> change(@Valid @RequestBody SetRate request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var command = request.command();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var rate = rates.change(command, caller.actor());
            return ResponseEntity.created(URI.create("/api/v1/exchange/rates/" + rate.id())).body(rate);
        });
    }

    /** Rate versions, newest first; by default only those not ended yet, {@code current=false} for the history too. */
    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    RatePage list(@RequestParam Optional<UUID> sourceProgramId, @RequestParam Optional<UUID> targetProgramId,
            @RequestParam(defaultValue = "true") boolean current,
            @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(ExchangeRates.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        var query = new RateQuery(sourceProgramId.orElse(null), targetProgramId.orElse(null), brandPrograms(caller),
            current);
        return rates.page(query, cursor, limit);
    }

    @GetMapping("/{rateId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    ExchangeRate rate(@PathVariable UUID rateId, @AuthenticationPrincipal Caller caller) {
        var rate = rates.find(rateId);
        var programs = brandPrograms(caller);
        if (programs != null && !programs.contains(rate.sourceProgramId())
                && !programs.contains(rate.targetProgramId())) {
            throw new ExchangeRateNotFound(rateId);
        }
        return rate;
    }

    /** The programs of a brand-scoped caller's brands (an API key's, a brand manager's); null for tenant-wide callers. */
    private @Nullable Set<UUID> brandPrograms(Caller caller) {
        if (caller.brands() instanceof Caller.BrandScope.All) {
            return null;
        }
        return tenancy.programs(Optional.empty()).stream().filter(program -> caller.mayActOnBrand(program.brandId()))
            .map(Program::id).collect(Collectors.toSet());
    }
}
