package io.pointbridge.tenant.purchase;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.Ledger.Clawback;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.purchase.PurchaseFailures.CurrencyMismatch;
import io.pointbridge.tenant.purchase.PurchaseFailures.DuplicateOrder;
import io.pointbridge.tenant.purchase.PurchaseFailures.PurchaseNotFound;
import io.pointbridge.tenant.purchase.PurchaseFailures.RefundExceedsPurchase;
import io.pointbridge.tenant.rule.EarningEvent;
import io.pointbridge.tenant.rule.Earnings;
import io.pointbridge.tenant.rule.Earnings.RuleAward;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Earns points on purchases, at the program's base rate (times the member's {@link EarningMultiplier}s, such
 * as a tier's) and by its earning rules, and reverses them on refunds; each purchase and refund is published
 * as an event ({@link PurchaseRecorded}, {@link PurchaseMade}, {@link PurchaseRefunded}) inside its transaction.
 *
 * <p>Rounding never creates points: a purchase earns the multiplied base-rate product rounded down (and what
 * rules add, each rounded down), and refunds
 * reverse the cumulative share of the purchase refunded so far, rounded down, so that the refunds of a
 * whole purchase reverse exactly what it earned.
 *
 * <p>A recorded purchase is published as {@link PurchaseRecorded} to listeners in the same transaction
 * (e.g. referral rewards): what they post commits or rolls back with the purchase.
 * <p>Earned points follow the program's {@link PointsPolicy}: they stay pending through its returns window and
 * expire by its expiry. A refund claws its points back from the purchase's own lot first, pending or not, then
 * from the member's other points; what the member has spent already is reported as not recovered or, where the
 * program allows debt, owed up to its limit.
 */
@Service
public class Purchases {

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final Memberships memberships;
    private final TenantManagement tenancy;
    private final Earnings earnings;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final PointsPolicies policies;
    private final ObjectProvider<EarningMultiplier> multipliers;

    Purchases(JdbcClient jdbc, Ledger ledger, Memberships memberships, TenantManagement tenancy, Earnings earnings,
            JsonMapper json, Clock clock, ApplicationEventPublisher events, PointsPolicies policies,
            ObjectProvider<EarningMultiplier> multipliers) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.memberships = memberships;
        this.tenancy = tenancy;
        this.earnings = earnings;
        this.json = json;
        this.clock = clock;
        this.events = events;
        this.policies = policies;
        this.multipliers = multipliers;
    }

    public record PurchaseLine(@Nullable String sku, @Nullable String category, long quantity, long amountMinor) {
    }

    /** A purchase; {@code channel} (e.g. web, app, store) and {@code store} are the integration's own codes, if any. */
    public record NewPurchase(UUID memberId, String orderId, Currency currency, long amountMinor, List<PurchaseLine> lines,
            @Nullable String channel, @Nullable String store, String actor) {

        public NewPurchase(UUID memberId, String orderId, Currency currency, long amountMinor, List<PurchaseLine> lines,
                String actor) {
            this(memberId, orderId, currency, amountMinor, lines, null, null, actor);
        }
    }

    /** A recorded purchase and the points it earned: {@code basePoints} at the base rate, the rest by {@code awards}. */
    public record PurchaseRecorded(UUID purchaseId, UUID memberId, String orderId, long amountMinor, Currency currency,
            long pointsEarned, @Nullable UUID entryId, long balanceAfter, long basePoints, List<RuleAward> awards) {
    }

    public record NewRefund(UUID memberId, String orderId, Currency currency, long amountMinor, @Nullable String reference,
            String actor) {
    }

    /**
     * A refund: the points it reversed, and those it could not because the member had spent them already;
     * {@code pointsOwed} of the points reversed the member now owes (the program allows debt).
     */
    public record RefundRecorded(UUID refundId, UUID purchaseId, long amountMinor, long pointsReversed,
            long pointsNotRecovered, @Nullable UUID entryId, long balanceAfter, long pointsOwed) {

        /** A refund that left no debt. */
        public RefundRecorded(UUID refundId, UUID purchaseId, long amountMinor, long pointsReversed,
                long pointsNotRecovered, @Nullable UUID entryId, long balanceAfter) {
            this(refundId, purchaseId, amountMinor, pointsReversed, pointsNotRecovered, entryId, balanceAfter, 0);
        }
    }

    @Transactional
    public PurchaseRecorded record(NewPurchase purchase) {
        var tenant = TenantContext.require();
        var member = memberships.require(purchase.memberId());
        var program = tenancy.program(member.programId());
        if (!program.purchaseCurrency().equals(purchase.currency())) {
            throw new CurrencyMismatch(purchase.currency().getCurrencyCode(), program.purchaseCurrency().getCurrencyCode());
        }
        var now = clock.instant();
        var id = UUID.randomUUID();
        var lines = purchase.lines().stream()
            .map(line -> new EarningEvent.Line(line.sku(), line.category(), line.quantity(), line.amountMinor()))
            .toList();
        var earned = earnings.earn(member, program, EarningEvent.purchase(now, purchase.amountMinor(),
                purchase.currency(), purchase.channel(), purchase.store(), purchase.orderId(), lines),
            Earnings.Source.PURCHASE, id, purchase.orderId(), "purchase", purchase.actor(), multiplier(member.id()));
        long points = earned.points();
        UUID entry = earned.entryId();
        long balance = earned.balanceAfter() != null ? earned.balanceAfter()
            : jdbc.sql("""
                    select balance from accounts
                     where tenant_id = :tenant and membership_id = :member and kind = 'WALLET'""")
                .param("tenant", tenant).param("member", member.id()).query(Long.class).single();
        try {
            jdbc.sql("""
                    insert into purchases (tenant_id, purchase_id, membership_id, program_id, order_id, currency,
                                           amount_minor, points_earned, entry_id, lines, purchased_at, channel, store)
                    values (:tenant, :id, :member, :program, :order, :currency, :amount, :points, :entry,
                            cast(:lines as jsonb), :now, :channel, :store)""")
                .param("tenant", tenant).param("id", id).param("member", member.id()).param("program", program.id())
                .param("order", purchase.orderId()).param("currency", purchase.currency().getCurrencyCode())
                .param("amount", purchase.amountMinor()).param("points", points).param("entry", entry)
                .param("lines", purchase.lines().isEmpty() ? null : json.writeValueAsString(purchase.lines()))
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("channel", purchase.channel()).param("store", purchase.store())
                .update();
        } catch (DuplicateKeyException e) {
            throw new DuplicateOrder(purchase.orderId());
        }
        events.publishEvent(new PurchaseMade(tenant, id, member.id(), program.id(), purchase.orderId(),
            purchase.amountMinor(), purchase.currency(), points, now));
        var recorded = new PurchaseRecorded(id, member.id(), purchase.orderId(), purchase.amountMinor(), purchase.currency(),
            points, entry, balance, earned.basePoints(), earned.awards());
        events.publishEvent(recorded);
        return recorded;
    }

    /** Whether the member has recorded a purchase of at least this amount (minor units), refunded since or not. */
    @Transactional(readOnly = true)
    public boolean hasPurchaseOfAtLeast(UUID memberId, long amountMinor) {
        return jdbc.sql("""
                select exists (select 1 from purchases
                                where tenant_id = :tenant and membership_id = :member and amount_minor >= :amount)""")
            .param("tenant", TenantContext.require()).param("member", memberId).param("amount", amountMinor)
            .query(Boolean.class).single();
    }

    private BigDecimal multiplier(UUID membershipId) {
        return multipliers.orderedStream().map(multiplier -> multiplier.multiplierFor(membershipId))
            .reduce(BigDecimal.ONE, BigDecimal::multiply);
    }

    @Transactional
    public RefundRecorded refund(NewRefund refund) {
        var tenant = TenantContext.require();
        var member = memberships.require(refund.memberId());
        var purchase = jdbc.sql("""
                select purchase_id, currency, amount_minor, points_earned, refunded_minor, points_reversed, entry_id
                  from purchases where tenant_id = :tenant and membership_id = :member and order_id = :order
                   for update""")
            .param("tenant", tenant).param("member", member.id()).param("order", refund.orderId())
            .query((rs, row) -> new Purchase(rs.getObject("purchase_id", UUID.class), rs.getString("currency"),
                rs.getLong("amount_minor"), rs.getLong("points_earned"), rs.getLong("refunded_minor"),
                rs.getLong("points_reversed"), rs.getObject("entry_id", UUID.class)))
            .optional()
            .orElseThrow(() -> new PurchaseNotFound(refund.orderId()));
        var currency = Currency.getInstance(purchase.currency());
        if (!currency.equals(refund.currency())) {
            throw new CurrencyMismatch(refund.currency().getCurrencyCode(), purchase.currency());
        }
        long refundable = purchase.amountMinor() - purchase.refundedMinor();
        if (refund.amountMinor() > refundable) {
            throw new RefundExceedsPurchase(Money.fromMinor(refundable, currency).toPlainString(), purchase.currency());
        }
        long refundedAfter = purchase.refundedMinor() + refund.amountMinor();
        long reversedAfter = BigInteger.valueOf(purchase.pointsEarned()).multiply(BigInteger.valueOf(refundedAfter))
            .divide(BigInteger.valueOf(purchase.amountMinor())).longValueExact();
        long toReverse = reversedAfter - purchase.pointsReversed();
        long reversed = 0;
        long owed = 0;
        UUID entry = null;
        Long balance = null;
        if (toReverse > 0) {
            var debtLimit = policies.of(member.programId()).debtAllowance();
            var clawed = ledger.clawBack(new Clawback(member.id(), toReverse, EntryKind.REFUND, AccountKind.ISSUANCE,
                refund.orderId(), refund.reference(), refund.actor(), purchase.entryId(), debtLimit));
            reversed = clawed.recovered() + clawed.owed();
            owed = clawed.owed();
            entry = clawed.entryId();
            balance = clawed.balanceAfter();
        }
        if (balance == null) {
            balance = jdbc.sql("select balance from accounts where tenant_id = :tenant and membership_id = :member and kind = 'WALLET'")
                .param("tenant", tenant).param("member", member.id()).query(Long.class).single();
        }
        jdbc.sql("""
                update purchases set refunded_minor = :refunded, points_reversed = :reversed
                 where tenant_id = :tenant and purchase_id = :purchase""")
            .param("refunded", refundedAfter).param("reversed", reversedAfter)
            .param("tenant", tenant).param("purchase", purchase.id())
            .update();
        var id = UUID.randomUUID();
        var now = clock.instant();
        jdbc.sql("""
                insert into refunds (tenant_id, refund_id, purchase_id, amount_minor, points_reversed, points_short,
                                     points_owed, entry_id, refunded_at)
                values (:tenant, :id, :purchase, :amount, :reversed, :short, :owed, :entry, :now)""")
            .param("tenant", tenant).param("id", id).param("purchase", purchase.id()).param("amount", refund.amountMinor())
            .param("reversed", reversed).param("short", toReverse - reversed).param("owed", owed).param("entry", entry)
            .param("now", now.atOffset(ZoneOffset.UTC))
            .update();
        events.publishEvent(new PurchaseRefunded(tenant, id, purchase.id(), member.id(), member.programId(),
            refund.amountMinor(), toReverse, refundedAfter == purchase.amountMinor(), now));
        return new RefundRecorded(id, purchase.id(), refund.amountMinor(), reversed, toReverse - reversed, entry, balance,
            owed);
    }

    private record Purchase(UUID id, String currency, long amountMinor, long pointsEarned, long refundedMinor,
            long pointsReversed, @Nullable UUID entryId) {
    }
}
