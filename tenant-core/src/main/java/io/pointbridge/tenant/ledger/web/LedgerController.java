package io.pointbridge.tenant.ledger.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Posted;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.WalletBalance;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.ledger.Wallets.HistoryPage;
import io.pointbridge.tenant.member.MemberAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A member's points: balance and history, spending by integrations, adjustments and reversals by tenant admins. */
@RestController
@RequestMapping("/api/v1")
class LedgerController {

    static final long MAX_POINTS = 1_000_000_000L;

    private final Ledger ledger;
    private final Wallets wallets;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    LedgerController(Ledger ledger, Wallets wallets, MemberAccess access, IdempotentRequests idempotent) {
        this.ledger = ledger;
        this.wallets = wallets;
        this.access = access;
        this.idempotent = idempotent;
    }

    record SpendPoints(@NotNull @Min(1) @Max(MAX_POINTS) Long points, @Size(max = 128) String reference,
            @Size(max = 500) String description) {
    }

    /** A manual adjustment: positive credits the member, negative debits; the reason is kept with the entry. */
    record AdjustPoints(@NotNull @Min(-MAX_POINTS) @Max(MAX_POINTS) Long points, @NotBlank @Size(max = 500) String reason) {
    }

    record ReverseEntry(@NotBlank @Size(max = 500) String reason) {
    }

    /** The outcome of a write: the entry, the member's points it moved (signed) and the balance after it. */
    record PointsPosted(UUID entryId, long points, long balance, Instant postedAt) {
        static PointsPosted of(Posted posted) {
            return new PointsPosted(posted.entryId(), posted.points(), posted.balanceAfter(), posted.postedAt());
        }
    }

    @GetMapping("/members/{memberId}/balance")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    // The access check and the read in one read-only transaction: one BEGIN, one tenant setting, one COMMIT.
    @Transactional(readOnly = true)
    WalletBalance balance(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return wallets.balance(access.require(caller, memberId).id());
    }

    @GetMapping("/members/{memberId}/history")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    // The access check and the read in one read-only transaction: one BEGIN, one tenant setting, one COMMIT.
    @Transactional(readOnly = true)
    HistoryPage history(@PathVariable UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Wallets.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return wallets.history(access.require(caller, memberId).id(), cursor, limit);
    }

    @PostMapping("/members/{memberId}/spends")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> spend(@PathVariable UUID memberId, @Valid @RequestBody SpendPoints request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var posted = ledger.debit(new Debit(member.id(), request.points(), EntryKind.SPEND, AccountKind.REDEMPTION,
                request.reference(), request.description(), caller.actor(), null, Shortfall.REFUSE));
            return ResponseEntity.status(201).body(PointsPosted.of(posted));
        });
    }

    /** A goodwill credit or a correction: tenant admins on any member, brand managers on their brands' members. */
    @PostMapping("/members/{memberId}/adjustments")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    ResponseEntity<Object> adjust(@PathVariable UUID memberId, @Valid @RequestBody AdjustPoints request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        if (request.points() == 0) {
            throw new InvalidRequest("points", "must not be zero");
        }
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var posted = ledger.adjust(member.id(), request.points(), request.reason(), caller.actor());
            return ResponseEntity.status(201).body(PointsPosted.of(posted));
        });
    }

    /** Corrects a mistake with a reversing entry; history itself never changes. */
    @PostMapping("/members/{memberId}/entries/{entryId}/reversal")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> reverse(@PathVariable UUID memberId, @PathVariable UUID entryId,
            @Valid @RequestBody ReverseEntry request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var posted = ledger.reverse(member.id(), entryId, caller.actor(), request.reason());
            return ResponseEntity.status(201).body(PointsPosted.of(posted));
        });
    }
}
