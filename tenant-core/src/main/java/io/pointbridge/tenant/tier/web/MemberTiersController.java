package io.pointbridge.tenant.tier.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.tier.MemberTier;
import io.pointbridge.tenant.tier.TierHistory;
import io.pointbridge.tenant.tier.TierProgress;
import io.pointbridge.tenant.tier.Tiers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
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

/** A member's tier, progress and tier history; custom qualifying activity reported by integrations. */
@RestController
@RequestMapping("/api/v1/members/{memberId}")
class MemberTiersController {

    static final long MAX_AMOUNT = 1_000_000_000L;

    private final Tiers tiers;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    MemberTiersController(Tiers tiers, MemberAccess access, IdempotentRequests idempotent) {
        this.tiers = tiers;
        this.access = access;
        this.idempotent = idempotent;
    }

    /**
     * @param counter   {@code custom:<name>}, e.g. {@code custom:nights}, as the program's tiers name it
     * @param amount    how much it moves the counter; negative to correct an earlier report
     * @param reference the integration's id of what happened; each counts once per program and counter
     */
    record ReportActivity(
            @NotBlank @Pattern(regexp = "custom:[a-z][a-z0-9-]{0,31}", message = "custom: and 1 to 32 lower-case letters, "
                + "digits or -, starting with a letter") String counter,
            @NotNull @Min(-MAX_AMOUNT) @Max(MAX_AMOUNT) Long amount,
            @NotBlank @Pattern(regexp = "[\\p{Alnum}._:/#-]{1,128}", message = "1 to 128 letters, digits or . _ : / # -")
            String reference) {
    }

    /** What a report did: the member's tier after it, if the program has tiers. */
    record ActivityReported(String counter, long amount, String reference, @Nullable MemberTier tier) {
    }

    @GetMapping("/tier")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    TierProgress tier(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return tiers.progress(access.require(caller, memberId).id());
    }

    @GetMapping("/tier/history")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    TierHistory history(@PathVariable UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(TierHistory.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return tiers.history(access.require(caller, memberId).id(), cursor, limit);
    }

    @PostMapping("/qualifying-activity")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> report(@PathVariable UUID memberId, @Valid @RequestBody ReportActivity request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var tier = tiers.recordActivity(member.id(), request.counter(), request.amount(), request.reference());
            return ResponseEntity.status(201)
                .body(new ActivityReported(request.counter(), request.amount(), request.reference(), tier.orElse(null)));
        });
    }
}
