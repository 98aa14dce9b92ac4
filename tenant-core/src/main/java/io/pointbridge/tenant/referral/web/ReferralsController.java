package io.pointbridge.tenant.referral.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.referral.Referral;
import io.pointbridge.tenant.referral.ReferralFailures.ReferralTermsNotSet;
import io.pointbridge.tenant.referral.ReferralTerms;
import io.pointbridge.tenant.referral.Referrals;
import io.pointbridge.tenant.referral.Referrals.NewTerms;
import io.pointbridge.tenant.referral.Referrals.ReferralCode;
import io.pointbridge.tenant.referral.Referrals.ReferralPage;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
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

/**
 * Referrals: tenant admins set a program's terms; integrations show a member's referral code, record who
 * referred a new member, and list a member's referrals. Rewards follow the referee's first qualifying purchase.
 */
@RestController
@RequestMapping("/api/v1")
class ReferralsController {

    static final long MAX_POINTS = 1_000_000;

    private final Referrals referrals;
    private final TenantManagement tenancy;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    ReferralsController(Referrals referrals, TenantManagement tenancy, MemberAccess access,
            IdempotentRequests idempotent) {
        this.referrals = referrals;
        this.tenancy = tenancy;
        this.access = access;
        this.idempotent = idempotent;
    }

    /**
     * A program's referral terms, replaced as a whole.
     *
     * @param minimumPurchase       the smallest purchase that qualifies, in the program's purchase currency
     * @param claimWindowDays       how many days after enrolling a member may name who referred them
     * @param maxRewardsPerReferrer how many referrals one member is rewarded for as referrer; left out for no limit
     */
    record SetTerms(@NotNull Boolean enabled, @NotNull @Min(0) @Max(MAX_POINTS) Long referrerPoints,
            @NotNull @Min(0) @Max(MAX_POINTS) Long refereePoints,
            @NotNull @DecimalMin("0") @DecimalMax("1000000000") BigDecimal minimumPurchase,
            @NotNull @Min(1) @Max(365) Integer claimWindowDays, @Min(1) @Max(1_000_000) Integer maxRewardsPerReferrer) {

        NewTerms terms() {
            return new NewTerms(enabled, referrerPoints, refereePoints, minimumPurchase, claimWindowDays,
                maxRewardsPerReferrer);
        }
    }

    /** @param code the referral code of the member who referred this one, as the member typed it */
    record NameReferrer(@NotBlank @Size(max = 32) String code) {
    }

    @GetMapping("/programs/{programId}/referral-terms")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    ReferralTerms terms(@PathVariable UUID programId, @AuthenticationPrincipal Caller caller) {
        requireVisible(caller, programId);
        return referrals.terms(programId).orElseThrow(() -> new ReferralTermsNotSet(programId));
    }

    @PutMapping("/programs/{programId}/referral-terms")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> setTerms(@PathVariable UUID programId, @Valid @RequestBody SetTerms request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var terms = request.terms();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(referrals.setTerms(programId, terms, caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key))));
    }

    /** The member's referral code to share; made on the first request, the same ever after. */
    @GetMapping("/members/{memberId}/referral-code")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    ReferralCode code(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return referrals.code(access.require(caller, memberId).id());
    }

    /** Records who referred the member: the code they name, within the program's window after enrolling. */
    @PostMapping("/members/{memberId}/referral")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> nameReferrer(@PathVariable UUID memberId, @Valid @RequestBody NameReferrer request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var referee = access.require(caller, memberId);
            var referral = referrals.claim(referee.id(), request.code(), caller.actor());
            return ResponseEntity.created(URI.create("/api/v1/members/" + memberId + "/referral")).body(referral);
        });
    }

    @GetMapping("/members/{memberId}/referral")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    Referral referredBy(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return referrals.referredBy(access.require(caller, memberId).id());
    }

    /** The referrals the member made as referrer, newest first. */
    @GetMapping("/members/{memberId}/referrals")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    ReferralPage referrals(@PathVariable UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Referrals.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return referrals.madeBy(access.require(caller, memberId).id(), cursor, limit);
    }

    private void requireVisible(Caller caller, UUID programId) {
        if (!caller.mayActOnBrand(tenancy.program(programId).brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
    }
}
