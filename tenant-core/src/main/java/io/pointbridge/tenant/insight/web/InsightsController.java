package io.pointbridge.tenant.insight.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.insight.Granularity;
import io.pointbridge.tenant.insight.ProgramInsights;
import io.pointbridge.tenant.insight.ProgramInsights.Insight;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.LocalDate;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.format.annotation.DateTimeFormat.ISO;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inflation watch: a program's points issued, redeemed, expired and outstanding per day, week or month. */
@RestController
class InsightsController {

    private final ProgramInsights insights;
    private final TenantManagement tenancy;

    InsightsController(ProgramInsights insights, TenantManagement tenancy) {
        this.insights = insights;
        this.tenancy = tenancy;
    }

    /**
     * @param period day, week or month (UTC; weeks from Monday)
     * @param from   the first day to cover (widened to its period's start); by default eleven periods before now
     * @param to     the day after the last to cover (widened to a period's end); by default the current period's end
     */
    @GetMapping("/api/v1/programs/{programId}/insights")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'INTEGRATION')")
    Insight insights(@PathVariable UUID programId, @RequestParam(defaultValue = "month") String period,
            @RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to,
            @AuthenticationPrincipal Caller caller) {
        var granularity = Granularity.parse("period", period);
        if (!caller.mayActOnBrand(tenancy.program(programId).brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
        return insights.of(programId, granularity, from, to);
    }
}
