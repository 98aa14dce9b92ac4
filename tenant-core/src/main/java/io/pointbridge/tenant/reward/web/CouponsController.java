package io.pointbridge.tenant.reward.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.reward.CouponCheck;
import io.pointbridge.tenant.reward.Redemptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Coupons as a brand's till or shop sees them: it checks a code a customer shows, then consumes it under its own
 * reference. A code is read case-insensitively, with or without its dashes; another brand's coupons are not found.
 */
@RestController
@RequestMapping("/api/v1/coupons/{code}")
class CouponsController {

    private final Redemptions redemptions;
    private final IdempotentRequests idempotent;

    CouponsController(Redemptions redemptions, IdempotentRequests idempotent) {
        this.redemptions = redemptions;
        this.idempotent = idempotent;
    }

    /** @param reference the consumer's own reference, e.g. the till's order id; consuming again under it is a no-op */
    record Consume(@NotBlank @Pattern(regexp = RedemptionsController.REFERENCE,
            message = RedemptionsController.REFERENCE_RULE) String reference) {
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    CouponCheck coupon(@PathVariable @Size(max = 64) String code, @AuthenticationPrincipal Caller caller) {
        return redemptions.coupon(caller, code);
    }

    @PostMapping("/consume")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> consume(@PathVariable @Size(max = 64) String code, @Valid @RequestBody Consume request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(redemptions.consume(caller, code, request.reference(), caller.actor())));
    }
}
