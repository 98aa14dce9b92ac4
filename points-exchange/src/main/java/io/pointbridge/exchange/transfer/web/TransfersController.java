package io.pointbridge.exchange.transfer.web;

import io.pointbridge.exchange.transfer.Quote;
import io.pointbridge.exchange.transfer.Quotes;
import io.pointbridge.exchange.transfer.Quotes.NewQuote;
import io.pointbridge.exchange.transfer.Transfer;
import io.pointbridge.exchange.transfer.TransferFailures.QuoteNotFound;
import io.pointbridge.exchange.transfer.TransferFailures.TransferNotFound;
import io.pointbridge.exchange.transfer.Transfers;
import io.pointbridge.exchange.transfer.Transfers.TransferPage;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
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
 * Conversions of a person's points between their memberships: an integration of the source brand (or a
 * tenant admin) asks for a quote, executes it as a transfer, and may reverse the transfer. Members convert
 * with their own token through {@link MemberConversionsController}.
 */
@RestController
@RequestMapping("/api/v1/exchange")
class TransfersController {

    static final long MAX_POINTS = 1_000_000_000L;

    private final Quotes quotes;
    private final Transfers transfers;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    TransfersController(Quotes quotes, Transfers transfers, MemberAccess access, IdempotentRequests idempotent) {
        this.quotes = quotes;
        this.transfers = transfers;
        this.access = access;
        this.idempotent = idempotent;
    }

    /** Convert {@code points} of the source member into the target member, another membership of the same person. */
    record RequestQuote(@NotNull UUID sourceMemberId, @NotNull UUID targetMemberId,
            @NotNull @Min(1) @Max(MAX_POINTS) Long points) {
    }

    record ReverseTransfer(@Size(max = 500) String reason) {
    }

    @PostMapping("/quotes")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> quote(@Valid @RequestBody RequestQuote request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var source = access.require(caller, request.sourceMemberId());
            var quote = quotes.quote(new NewQuote(source.id(), request.targetMemberId(), request.points(),
                caller.actor()));
            return ResponseEntity.created(URI.create("/api/v1/exchange/quotes/" + quote.id())).body(quote);
        });
    }

    @GetMapping("/quotes/{quoteId}")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    Quote quote(@PathVariable UUID quoteId, @AuthenticationPrincipal Caller caller) {
        return visibleQuote(caller, quoteId);
    }

    /** Executes the quote; the same quote executes once, whatever the Idempotency-Key. */
    @PostMapping("/quotes/{quoteId}/transfer")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> execute(@PathVariable UUID quoteId, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), quoteId, () -> {
            visibleQuote(caller, quoteId);
            var transfer = transfers.execute(quoteId, caller.actor());
            return ResponseEntity.created(URI.create("/api/v1/exchange/transfers/" + transfer.id())).body(transfer);
        });
    }

    @GetMapping("/transfers/{transferId}")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    Transfer transfer(@PathVariable UUID transferId, @AuthenticationPrincipal Caller caller) {
        var transfer = transfers.require(transferId);
        if (!caller.mayActOnBrand(transfer.sourceBrandId()) && !caller.mayActOnBrand(transfer.targetBrandId())) {
            throw new TransferNotFound(transferId);
        }
        return transfer;
    }

    /** Transfers into or out of a member, newest first. */
    @GetMapping("/transfers")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    TransferPage transfers(@RequestParam UUID memberId, @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Transfers.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        return transfers.ofMember(access.require(caller, memberId).id(), cursor, limit);
    }

    /** Reverses the transfer, inside its window and while the points it credited are unspent. */
    @PostMapping("/transfers/{transferId}/reversal")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> reverse(@PathVariable UUID transferId,
            @Valid @RequestBody(required = false) ReverseTransfer request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var body = request == null ? new ReverseTransfer(null) : request;
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), body, () -> {
            var transfer = transfers.require(transferId);
            if (!caller.mayActOnBrand(transfer.sourceBrandId())) {
                throw new TransferNotFound(transferId);
            }
            var reversed = transfers.reverse(transferId, caller.actor(), body.reason());
            return ResponseEntity.status(201).body(reversed);
        });
    }

    private Quote visibleQuote(Caller caller, UUID quoteId) {
        var quote = quotes.require(quoteId);
        if (!caller.mayActOnBrand(quote.sourceBrandId())) {
            throw new QuoteNotFound(quoteId);
        }
        return quote;
    }
}
