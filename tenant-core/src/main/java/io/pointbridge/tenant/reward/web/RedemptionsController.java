package io.pointbridge.tenant.reward.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.reward.Redemption;
import io.pointbridge.tenant.reward.Redemptions;
import io.pointbridge.tenant.reward.Redemptions.OptionPage;
import io.pointbridge.tenant.reward.Redemptions.RedemptionPage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import java.util.function.Supplier;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member's redemptions: an integration (or tenant admin) redeems a reward for the member, lists and reads
 * the member's redemptions with their coupon codes, cancels them, and marks gift orders fulfilled.
 *
 * <p>The answer to a redemption shows its coupon code, but the answer kept for idempotent replays does not:
 * the code is added to each answer, first or replayed, from its sealed form, so that no plaintext code is
 * stored anywhere.
 */
@RestController
@RequestMapping("/api/v1/members/{memberId}")
class RedemptionsController {

    static final String REFERENCE = "[\\p{Alnum}._:/#-]{1,128}";
    static final String REFERENCE_RULE = "1 to 128 letters, digits or . _ : / # -";

    private final Redemptions redemptions;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;
    private final JsonMapper json;

    RedemptionsController(Redemptions redemptions, MemberAccess access, IdempotentRequests idempotent,
            JsonMapper json) {
        this.redemptions = redemptions;
        this.access = access;
        this.idempotent = idempotent;
        this.json = json;
    }

    record Redeem(@NotNull UUID rewardId) {
    }

    record Cancel(@Size(max = 500) String reason) {
    }

    /** @param reference the fulfiller's own reference, e.g. a shipment id */
    record Fulfil(@NotBlank @Pattern(regexp = REFERENCE, message = REFERENCE_RULE) String reference) {
    }

    /** The rewards the member's program offers now, each with whether this member can redeem it and, if not, why. */
    @GetMapping("/rewards")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    OptionPage options(@PathVariable UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Redemptions.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return redemptions.options(access.require(caller, memberId).id(), cursor, limit);
    }

    @PostMapping("/redemptions")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> redeem(@PathVariable UUID memberId, @Valid @RequestBody Redeem request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return withCode(memberId, () -> idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var redemption = redemptions.redeem(member.id(), request.rewardId(), caller.actor());
            return ResponseEntity.created(URI.create("/api/v1/members/" + memberId + "/redemptions/" + redemption.id()))
                .body(redemption.withoutCode());
        }));
    }

    @GetMapping("/redemptions")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    RedemptionPage redemptions(@PathVariable UUID memberId,
            @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Redemptions.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return redemptions.page(access.require(caller, memberId).id(), cursor, limit);
    }

    @GetMapping("/redemptions/{redemptionId}")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    Redemption redemption(@PathVariable UUID memberId, @PathVariable UUID redemptionId,
            @AuthenticationPrincipal Caller caller) {
        return redemptions.view(access.require(caller, memberId).id(), redemptionId);
    }

    /** Cancels an issued redemption (coupon not consumed, order not fulfilled): points back, item back to stock. */
    @PostMapping("/redemptions/{redemptionId}/cancellation")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> cancel(@PathVariable UUID memberId, @PathVariable UUID redemptionId,
            @Valid @RequestBody Cancel request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return withCode(memberId, () -> idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var redemption = redemptions.cancel(member.id(), redemptionId, request.reason(), caller.actor());
            return ResponseEntity.ok(redemption.withoutCode());
        }));
    }

    /** Marks a gift's order fulfilled; the same reference again changes nothing, another is refused. */
    @PostMapping("/redemptions/{redemptionId}/fulfilment")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> fulfil(@PathVariable UUID memberId, @PathVariable UUID redemptionId,
            @Valid @RequestBody Fulfil request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var fulfilled = redemptions.fulfil(member.id(), redemptionId, request.reference(), caller.actor());
            return ResponseEntity.ok(fulfilled);
        });
    }

    /** The answer with the redemption's coupon code put back in, read from its sealed form. */
    private ResponseEntity<Object> withCode(UUID memberId, Supplier<ResponseEntity<Object>> answer) {
        var response = answer.get();
        if (!(json.valueToTree(response.getBody()) instanceof ObjectNode body)
                || !(body.get("coupon") instanceof ObjectNode coupon)) {
            return response;
        }
        var redemption = redemptions.view(memberId, UUID.fromString(body.path("id").asString()));
        if (redemption.coupon() != null && redemption.coupon().code() != null) {
            coupon.put("code", redemption.coupon().code());
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(body);
    }
}
