package io.pointbridge.tenant.tenancy.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.tenant.tenancy.PointsPolicy.ExpiryKind;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
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

/**
 * A program's points policy: pending days, clawback and debt limit, expiry and reminders. Everyone who may see
 * the program may read it; tenant admins change it, audited. A change applies to points earned after it.
 */
@RestController
@RequestMapping("/api/v1/programs/{programId}/points-policy")
class PointsPolicyController {

    private final PointsPolicies policies;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;

    PointsPolicyController(PointsPolicies policies, TenantManagement tenancy, IdempotentRequests idempotent) {
        this.policies = policies;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
    }

    record ExpiryRequest(@NotNull ExpiryKind kind, @Min(1) @Max(Expiry.MAX_MONTHS) Integer months,
            @Size(min = 1, max = Expiry.MAX_DATES) List<@NotNull @Size(max = 10) String> dates,
            @Min(0) @Max(Expiry.MAX_MONTHS) Integer minimumMonths, @Size(max = 64) String zone) {
    }

    /** The whole policy; {@code debtLimit} may be left out (0) unless debt is allowed. */
    record ChangePolicy(@NotNull @Min(0) @Max(PointsPolicy.MAX_PENDING_DAYS) Integer pendingDays,
            @NotNull ClawbackPolicy clawbackPolicy, @Min(0) @Max(PointsPolicy.MAX_DEBT_LIMIT) Long debtLimit,
            @NotNull @Valid ExpiryRequest expiry,
            @Min(1) @Max(PointsPolicy.MAX_REMINDER_DAYS) Integer expiryReminderDays) {

        PointsPolicy policy() {
            return new PointsPolicy(pendingDays, clawbackPolicy, debtLimit == null ? 0 : debtLimit,
                new Expiry(expiry.kind(), expiry.months(), expiry.dates(), expiry.minimumMonths(), expiry.zone()),
                expiryReminderDays);
        }
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT', 'INTEGRATION')")
    PointsPolicy policy(@PathVariable UUID programId, @AuthenticationPrincipal Caller caller) {
        requireVisible(programId, caller);
        return policies.of(programId);
    }

    @PutMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> change(@PathVariable UUID programId, @Valid @RequestBody ChangePolicy request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
            @RequestHeader(name = AuditTrail.REQUEST_ID_HEADER, required = false) String requestId,
            HttpServletRequest http) {
        var policy = request.policy();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            requireVisible(programId, caller);
            return ResponseEntity.ok(policies.change(programId, policy, caller.actor(),
                AuditTrail.requestId(requestId, key)));
        });
    }

    private void requireVisible(UUID programId, Caller caller) {
        if (!caller.mayActOnBrand(tenancy.program(programId).brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
    }
}
