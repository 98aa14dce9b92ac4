package io.pointbridge.tenant.tier.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tier.TierReviews;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs the tier review job now, for one tenant: its admins for their own, platform operators for any (e.g.
 * after downtime). Each run is audited; what it changed is in the members' tier histories.
 */
@RestController
class TierReviewsController {

    private final TierReviews reviews;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;
    private final AuditTrail audit;
    private final Clock clock;

    TierReviewsController(TierReviews reviews, TenantManagement tenancy, IdempotentRequests idempotent, AuditTrail audit,
            Clock clock) {
        this.reviews = reviews;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
        this.audit = audit;
        this.clock = clock;
    }

    @PostMapping("/api/v1/tier-reviews")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> run(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return runForCurrentTenant(caller, key, http);
    }

    @PostMapping("/api/v1/tenants/{tenantId}/tier-reviews")
    @PreAuthorize("hasRole('PLATFORM_OPERATOR')")
    ResponseEntity<Object> runFor(@PathVariable UUID tenantId, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return TenantContext.callAs(tenantId, () -> {
            tenancy.currentTenant();
            return runForCurrentTenant(caller, key, http);
        });
    }

    private ResponseEntity<Object> runForCurrentTenant(Caller caller, String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), Map.of(), () -> {
            var report = reviews.reviewDue(clock.instant());
            audit.record(new Change(caller.actor(), "tier-reviews.ran", "tenant:" + TenantContext.require(), null, report,
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key)));
            return ResponseEntity.ok(report);
        });
    }
}
