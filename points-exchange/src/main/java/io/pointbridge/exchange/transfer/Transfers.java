package io.pointbridge.exchange.transfer;

import io.pointbridge.tenant.Cursors;
import io.pointbridge.exchange.rate.ExchangeRate;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.settlement.Settlements;
import io.pointbridge.exchange.transfer.TransferFailures.QuoteAlreadyExecuted;
import io.pointbridge.exchange.transfer.TransferFailures.QuoteExpired;
import io.pointbridge.exchange.transfer.TransferFailures.ReversalWindowClosed;
import io.pointbridge.exchange.transfer.TransferFailures.TransferAlreadyReversed;
import io.pointbridge.exchange.transfer.TransferFailures.TransferNotFound;
import io.pointbridge.exchange.transfer.UsageCaps.Counted;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.CreditedPoints;
import io.pointbridge.tenant.ledger.Ledger.Exchange;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Executes quotes as transfers and reverses transfers. A transfer is one transaction: the journal entry across
 * both programs, the cap counters, the transfer itself, its settlement record and its outbox event; a failure
 * anywhere leaves nothing behind.
 */
@Service
public class Transfers {

    public static final int MAX_PAGE_SIZE = 100;
    private static final String CURSOR = "t1";
    private static final String SELECT = """
            select t.*, s.amount_minor as settlement_minor, s.currency as settlement_currency
              from exchange_transfers t
              join settlement_records s on s.tenant_id = t.tenant_id and s.transfer_id = t.transfer_id
                                       and s.kind = 'TRANSFER'
            """;

    private final JdbcClient jdbc;
    private final Quotes quotes;
    private final ExchangeRates rates;
    private final Memberships memberships;
    private final PointsPolicies policies;
    private final Ledger ledger;
    private final UsageCaps caps;
    private final Settlements settlements;
    private final Outbox outbox;
    private final ExchangeMetrics metrics;
    private final ExchangeSettings settings;
    private final Clock clock;

    Transfers(JdbcClient jdbc, Quotes quotes, ExchangeRates rates, Memberships memberships, PointsPolicies policies,
            Ledger ledger, UsageCaps caps, Settlements settlements, Outbox outbox, ExchangeMetrics metrics,
            ExchangeSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.quotes = quotes;
        this.rates = rates;
        this.memberships = memberships;
        this.policies = policies;
        this.ledger = ledger;
        this.caps = caps;
        this.settlements = settlements;
        this.outbox = outbox;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    /** A page of transfers, newest first; {@code nextCursor} is empty on the last page. */
    public record TransferPage(List<Transfer> items, Optional<String> nextCursor) {
    }

    /**
     * Executes a quote, at most once: refused if it expired, if its pair's rate has been disabled (or has
     * ended) since, if the memberships no longer belong to one person, if a cap would be passed or if the
     * source membership's convertible points fall short. The quote's terms apply, whatever rate version is in
     * effect now.
     */
    @Transactional
    public Transfer execute(UUID quoteId, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var quote = quotes.require(quoteId);
        if (quote.transferId() != null) {
            throw new QuoteAlreadyExecuted(quoteId, quote.transferId());
        }
        if (!now.isBefore(quote.expiresAt())) {
            throw new QuoteExpired(quoteId, quote.expiresAt());
        }
        var source = memberships.require(quote.sourceMemberId());
        var target = memberships.require(quote.targetMemberId());
        var inEffect = quotes.rateFor(source, target, now);
        // The quote's terms apply: usually the version still in effect, read already.
        var rate = inEffect.id().equals(quote.rateId()) ? inEffect : rates.find(quote.rateId());
        var id = UUID.randomUUID();
        var exchanged = ledger.exchange(new Exchange(source.id(), target.id(), quote.sourcePoints(), quote.feePoints(),
            quote.targetPoints(), creditExpiry(policies.of(target.programId()), rate, now),
            rate.restrictions().convertible(), id.toString(), "points exchange", actor));
        var counted = caps.count(rate, source.id(), quote.sourcePoints(), now);
        try {
            jdbc.sql("""
                    insert into exchange_transfers (tenant_id, transfer_id, quote_id, rate_id, person_id,
                        source_membership_id, target_membership_id, source_program_id, target_program_id,
                        source_brand_id, target_brand_id, source_points, fee_points, target_points, entry_id,
                        executed_by, executed_at, reversible_until, counted_member_day, counted_member_month,
                        counted_pair_day)
                    values (:tenant, :id, :quote, :rate, :person, :source, :target, :sourceProgram, :targetProgram,
                        :sourceBrand, :targetBrand, :points, :fee, :credit, :entry, :actor, :now, :until, :memberDay,
                        :memberMonth, :pairDay)""")
                .param("tenant", tenant).param("id", id).param("quote", quoteId).param("rate", rate.id())
                .param("person", quote.personId()).param("source", source.id()).param("target", target.id())
                .param("sourceProgram", quote.sourceProgramId()).param("targetProgram", quote.targetProgramId())
                .param("sourceBrand", quote.sourceBrandId()).param("targetBrand", quote.targetBrandId())
                .param("points", quote.sourcePoints()).param("fee", quote.feePoints())
                .param("credit", quote.targetPoints()).param("entry", exchanged.entryId()).param("actor", actor)
                .param("now", at(now)).param("until", at(now.plus(settings.reversalWindow())))
                .param("memberDay", counted.memberDay()).param("memberMonth", counted.memberMonth())
                .param("pairDay", counted.pairDay())
                .update();
        } catch (DuplicateKeyException executedMeanwhile) {
            throw new QuoteAlreadyExecuted(quoteId, null);
        }
        settlements.recordTransfer(id, quote.sourceBrandId(), quote.targetBrandId(), quote.sourceProgramId(),
            quote.sourcePoints() - quote.feePoints(), now);
        var transfer = require(id);
        outbox.append(PointsTransferred.TYPE, PointsTransferred.of(transfer));
        metrics.executed(transfer.sourcePoints());
        return transfer;
    }

    /**
     * Reverses a transfer inside its window while the points it credited are all unspent: both memberships
     * get back exactly what the transfer moved, the caps get back what it counted, and the settlement record
     * is negated.
     */
    @Transactional
    public Transfer reverse(UUID transferId, String actor, @Nullable String reason) {
        var now = clock.instant();
        var counted = lock(transferId);
        var transfer = require(transferId);
        if (transfer.reversed()) {
            throw new TransferAlreadyReversed(transferId);
        }
        if (!now.isBefore(transfer.reversibleUntil())) {
            throw new ReversalWindowClosed(transferId, transfer.reversibleUntil());
        }
        var reversal = ledger.reverse(transfer.sourceMemberId(), transfer.entryId(), actor, reason,
            CreditedPoints.MUST_BE_UNSPENT);
        caps.giveBack(transfer, counted);
        settlements.recordReversal(transferId, now);
        jdbc.sql("""
                update exchange_transfers
                   set reversal_entry_id = :entry, reversed_by = :actor, reversed_at = :now, reversal_reason = :reason
                 where tenant_id = :tenant and transfer_id = :transfer""")
            .param("entry", reversal.entryId()).param("actor", actor).param("now", at(now)).param("reason", reason)
            .param("tenant", TenantContext.require()).param("transfer", transferId)
            .update();
        var reversed = require(transferId);
        outbox.append(TransferReversed.TYPE, TransferReversed.of(reversed));
        metrics.reversed(reversed.sourcePoints());
        return reversed;
    }

    @Transactional(readOnly = true)
    public Optional<Transfer> find(UUID transferId) {
        return jdbc.sql(SELECT + " where t.tenant_id = :tenant and t.transfer_id = :transfer")
            .param("tenant", TenantContext.require()).param("transfer", transferId)
            .query(Transfers::transfer)
            .optional();
    }

    @Transactional(readOnly = true)
    public Transfer require(UUID transferId) {
        return find(transferId).orElseThrow(() -> new TransferNotFound(transferId));
    }

    /** Transfers into or out of a membership, newest first. */
    @Transactional(readOnly = true)
    public TransferPage ofMember(UUID membershipId, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        var after = cursor == null ? null : Cursors.decode(CURSOR, cursor);
        var rows = jdbc.sql(SELECT + """
                 where t.tenant_id = :tenant
                   and (t.source_membership_id = :member or t.target_membership_id = :member)
                   and (cast(:after as bigint) is null or t.transfer_seq < :after)
                 order by t.transfer_seq desc
                 limit :limit""")
            .param("tenant", TenantContext.require()).param("member", membershipId).param("after", after)
            .param("limit", limit + 1)
            .query((rs, row) -> new Row(rs.getLong("transfer_seq"), transfer(rs, row)))
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit
            ? Optional.of(Cursors.encode(CURSOR, page.getLast().seq())) : Optional.<String>empty();
        return new TransferPage(page.stream().map(Row::transfer).toList(), next);
    }

    private record Row(long seq, Transfer transfer) {
    }

    /** Locks the transfer against a concurrent reversal; answers which cap counters it was added to. */
    private Counted lock(UUID transferId) {
        return jdbc.sql("""
                select counted_member_day, counted_member_month, counted_pair_day from exchange_transfers
                 where tenant_id = :tenant and transfer_id = :transfer for update""")
            .param("tenant", TenantContext.require()).param("transfer", transferId)
            .query((rs, row) -> new Counted(rs.getBoolean("counted_member_day"), rs.getBoolean("counted_member_month"),
                rs.getBoolean("counted_pair_day")))
            .optional()
            .orElseThrow(() -> new TransferNotFound(transferId));
    }

    /**
     * Credited points expire with the target program's expiry (rolling or on its fixed dates) or the rate's
     * restriction, whichever comes first. They are spendable at once: the returns window is for purchases.
     */
    private static @Nullable Instant creditExpiry(PointsPolicy target, ExchangeRate rate, Instant now) {
        var byProgram = target.expiry().expiresAt(now, now);
        var byRate = rate.restrictions().expiresWithinDays() == null ? null
            : now.plus(Duration.ofDays(rate.restrictions().expiresWithinDays()));
        return Stream.of(byProgram, byRate).filter(instant -> instant != null).min(Instant::compareTo).orElse(null);
    }

    private static Transfer transfer(ResultSet rs, int row) throws SQLException {
        var reversalEntry = rs.getObject("reversal_entry_id", UUID.class);
        var reversal = reversalEntry == null ? null : new Transfer.Reversal(reversalEntry,
            rs.getObject("reversed_at", OffsetDateTime.class).toInstant(), rs.getString("reversed_by"),
            rs.getString("reversal_reason"));
        return new Transfer(rs.getObject("transfer_id", UUID.class), rs.getObject("quote_id", UUID.class),
            rs.getObject("rate_id", UUID.class), rs.getObject("person_id", UUID.class),
            rs.getObject("source_membership_id", UUID.class), rs.getObject("target_membership_id", UUID.class),
            rs.getObject("source_program_id", UUID.class), rs.getObject("target_program_id", UUID.class),
            rs.getObject("source_brand_id", UUID.class), rs.getObject("target_brand_id", UUID.class),
            rs.getLong("source_points"), rs.getLong("fee_points"), rs.getLong("target_points"),
            rs.getObject("entry_id", UUID.class),
            new Transfer.Settlement(rs.getLong("settlement_minor"), rs.getString("settlement_currency")),
            rs.getString("executed_by"), rs.getObject("executed_at", OffsetDateTime.class).toInstant(),
            rs.getObject("reversible_until", OffsetDateTime.class).toInstant(), reversal);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
