package io.pointbridge.tenant.purchase.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.purchase.Money;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.purchase.Purchases.NewRefund;
import io.pointbridge.tenant.purchase.Purchases.PurchaseLine;
import io.pointbridge.tenant.tenancy.TenancyFailures.UnknownCurrency;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Purchases that earn points and refunds that reverse them, posted by integrations. */
@RestController
@RequestMapping("/api/v1/members/{memberId}/purchases")
@PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
class PurchasesController {

    static final String MAX_AMOUNT = "1000000000";
    static final String ORDER_ID = "[\\p{Alnum}._:/#-]{1,128}";
    static final String CODE = "[\\p{Alnum}._:/#-]{1,64}";

    private final Purchases purchases;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    PurchasesController(Purchases purchases, MemberAccess access, IdempotentRequests idempotent) {
        this.purchases = purchases;
        this.access = access;
        this.idempotent = idempotent;
    }

    record Line(@Size(max = 64) String sku, @Size(max = 64) String category, @NotNull @Min(1) @Max(1_000_000) Long quantity,
            @NotNull @DecimalMin("0") @DecimalMax(MAX_AMOUNT) BigDecimal amount) {
    }

    record PostPurchase(
            @NotBlank @Pattern(regexp = ORDER_ID, message = "1 to 128 letters, digits or . _ : / # -") String orderId,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(MAX_AMOUNT) BigDecimal amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code such as EUR") String currency,
            @Size(max = 200) List<@Valid @NotNull Line> lines,
            @Pattern(regexp = CODE, message = "1 to 64 letters, digits or . _ : / # -") String channel,
            @Pattern(regexp = CODE, message = "1 to 64 letters, digits or . _ : / # -") String store) {
    }

    record PostRefund(
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(MAX_AMOUNT) BigDecimal amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code such as EUR") String currency,
            @Size(max = 128) String reference) {
    }

    @PostMapping
    ResponseEntity<Object> purchase(@PathVariable UUID memberId, @Valid @RequestBody PostPurchase request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var currency = currency(request.currency());
        long amount = Money.toMinor("amount", request.amount(), currency);
        var given = request.lines() == null ? List.<Line>of() : request.lines();
        var lines = IntStream.range(0, given.size())
            .mapToObj(i -> new PurchaseLine(given.get(i).sku(), given.get(i).category(), given.get(i).quantity(),
                Money.toMinor("lines[" + i + "].amount", given.get(i).amount(), currency)))
            .toList();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var recorded = purchases.record(new NewPurchase(member.id(), request.orderId(), currency, amount, lines,
                request.channel(), request.store(), caller.actor()));
            return ResponseEntity.created(URI.create(http.getRequestURI() + "/" + recorded.orderId())).body(recorded);
        });
    }

    @PostMapping("/{orderId}/refunds")
    ResponseEntity<Object> refund(@PathVariable UUID memberId, @PathVariable @Pattern(regexp = ORDER_ID) String orderId,
            @Valid @RequestBody PostRefund request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var currency = currency(request.currency());
        long amount = Money.toMinor("amount", request.amount(), currency);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var recorded = purchases.refund(new NewRefund(member.id(), orderId, currency, amount, request.reference(),
                caller.actor()));
            return ResponseEntity.status(201).body(recorded);
        });
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new UnknownCurrency("currency", code);
        }
    }
}
