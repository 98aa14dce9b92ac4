package io.pointbridge.exchange.transfer.web;

import io.pointbridge.exchange.transfer.Quote;
import io.pointbridge.exchange.transfer.Quotes;
import io.pointbridge.exchange.transfer.Quotes.NewQuote;
import io.pointbridge.exchange.transfer.Transfer;
import io.pointbridge.exchange.transfer.TransferFailures.QuoteNotFound;
import io.pointbridge.exchange.transfer.TransferFailures.TransferNotFound;
import io.pointbridge.exchange.transfer.Transfers;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.MemberLogins;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Instant;
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
import org.springframework.web.bind.annotation.RestController;

/**
 * A member converts points between their own memberships with their own token: a quote, then its execution as a
 * transfer, at the same rates, caps and fees as an integration's conversion. Only the member's own memberships,
 * quotes and transfers can be named; anyone else's answer as unknown ones. Reversing stays with the brands and
 * the tenant's admins (see docs/permissions.md).
 */
@RestController
@RequestMapping("/api/v1/me/exchange")
@PreAuthorize("hasRole('MEMBER')")
class MemberConversionsController {

    private final Quotes quotes;
    private final Transfers transfers;
    private final MemberLogins logins;
    private final IdempotentRequests idempotent;

    MemberConversionsController(Quotes quotes, Transfers transfers, MemberLogins logins, IdempotentRequests idempotent) {
        this.quotes = quotes;
        this.transfers = transfers;
        this.logins = logins;
        this.idempotent = idempotent;
    }

    /** Convert {@code points} of one of the member's memberships into another of theirs. */
    record RequestQuote(@NotNull UUID sourceMemberId, @NotNull UUID targetMemberId,
            @NotNull @Min(1) @Max(TransfersController.MAX_POINTS) Long points) {
    }

    /**
     * What a write's idempotency fingerprint holds: the member beside the request, so that an Idempotency-Key another
     * member used (the keys are the tenant's) is refused as reused, never answered with that member's answer.
     */
    private record Fingerprint(String member, Object request) {
    }

    /** A transfer as the member sees it: what left, what it cost, what arrived, and until when it can be reversed. */
    record MemberTransfer(UUID id, UUID quoteId, UUID sourceMemberId, UUID targetMemberId, UUID sourceProgramId,
            UUID targetProgramId, long sourcePoints, long feePoints, long targetPoints, Instant executedAt,
            Instant reversibleUntil, @Nullable Instant reversedAt) {

        static MemberTransfer of(Transfer transfer) {
            return new MemberTransfer(transfer.id(), transfer.quoteId(), transfer.sourceMemberId(),
                transfer.targetMemberId(), transfer.sourceProgramId(), transfer.targetProgramId(),
                transfer.sourcePoints(), transfer.feePoints(), transfer.targetPoints(), transfer.executedAt(),
                transfer.reversibleUntil(), transfer.reversal() == null ? null : transfer.reversal().reversedAt());
        }
    }

    @PostMapping("/quotes")
    ResponseEntity<Object> quote(@Valid @RequestBody RequestQuote request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), new Fingerprint(caller.actor(), request),
            () -> {
                var source = logins.ownMembership(caller, request.sourceMemberId());
                var target = logins.ownMembership(caller, request.targetMemberId());
                var quote = quotes.quote(new NewQuote(source.id(), target.id(), request.points(), caller.actor()));
                return ResponseEntity.created(URI.create("/api/v1/me/exchange/quotes/" + quote.id())).body(quote);
            });
    }

    @GetMapping("/quotes/{quoteId}")
    Quote quote(@PathVariable UUID quoteId, @AuthenticationPrincipal Caller caller) {
        return ownQuote(caller, quoteId);
    }

    /** Executes one of the member's quotes; the same quote executes once, whatever the Idempotency-Key. */
    @PostMapping("/quotes/{quoteId}/transfer")
    ResponseEntity<Object> execute(@PathVariable UUID quoteId, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), new Fingerprint(caller.actor(), quoteId),
            () -> {
                ownQuote(caller, quoteId);
                var transfer = transfers.execute(quoteId, caller.actor());
                return ResponseEntity.created(URI.create("/api/v1/me/exchange/transfers/" + transfer.id()))
                    .body(MemberTransfer.of(transfer));
            });
    }

    @GetMapping("/transfers/{transferId}")
    MemberTransfer transfer(@PathVariable UUID transferId, @AuthenticationPrincipal Caller caller) {
        return transfers.find(transferId)
            .filter(transfer -> logins.owns(caller, transfer.sourceMemberId()))
            .map(MemberTransfer::of)
            .orElseThrow(() -> new TransferNotFound(transferId));
    }

    private Quote ownQuote(Caller caller, UUID quoteId) {
        return quotes.find(quoteId)
            .filter(quote -> logins.owns(caller, quote.sourceMemberId()))
            .orElseThrow(() -> new QuoteNotFound(quoteId));
    }
}
