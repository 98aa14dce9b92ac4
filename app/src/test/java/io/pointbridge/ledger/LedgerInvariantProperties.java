package io.pointbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Posted;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryAlreadyReversed;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotFound;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotReversible;
import io.pointbridge.tenant.ledger.LedgerFailures.InsufficientPoints;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.purchase.PurchaseFailures.RefundExceedsPurchase;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.purchase.Purchases.NewRefund;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Random runs of earns, refunds, spends, adjustments and reversals keep the ledger's invariants and match a model. */
class LedgerInvariantProperties extends IntegrationTest {

    private static final String ACTOR = "test:properties";
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final int MEMBERS = 3;

    @Autowired
    private Purchases purchases;

    @Autowired
    private Ledger ledger;

    @Autowired
    private Wallets wallets;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    /**
     * jqwik does not run Spring's JUnit extension, so the instance is prepared by a TestContextManager
     * of its own; it resolves the same configuration as every other IntegrationTest and so takes the
     * one cached application context from Spring's context cache rather than starting another.
     */
    @BeforeProperty
    void injectApplication() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
    }

    @Property(tries = 40)
    void operationsKeepTheLedgerBalancedAndMatchAModelOfIt(@ForAll("operations") List<Operation> operations) {
        var group = fixtures.group();
        var members = List.of(fixtures.member(group), fixtures.member(group), fixtures.member(group, group.cinema()));
        var model = new Model(members);
        try (var scope = TenantContext.enter(group.tenantId())) {
            for (var operation : operations) {
                switch (operation) {
                    case Purchase purchase -> purchase(model, purchase);
                    case Refund refund -> refund(model, refund);
                    case Spend spend -> spend(model, spend);
                    case Adjust adjust -> adjust(model, adjust);
                    case Reverse reverse -> reverse(model, reverse);
                }
            }
            for (int m = 0; m < MEMBERS; m++) {
                var balance = wallets.balance(model.members.get(m).id());
                assertThat(balance.balance()).as("balance of member %d", m).isEqualTo(model.balances[m]);
                assertThat(balance.available()).as("available points of member %d", m).isEqualTo(model.balances[m]);
            }
            assertPurchasesTookBackWhatTheyRecord(group, model);
        }
        assertThat(fixtures.violations(group)).isEmpty();
        covers("refund short of points spent already", model.sawShortRefund);
        covers("spend refused", model.sawRefusedSpend);
        covers("reversal posted", model.sawReversal);
    }

    /** Reports how many tries reached a situation, and fails the property if none did: it would prove nothing there. */
    private static void covers(String situation, boolean reached) {
        Statistics.label(situation).collect(reached)
            .coverage(coverage -> coverage.check(true).count(tries -> tries > 0));
    }

    @Provide
    Arbitrary<List<Operation>> operations() {
        var member = Arbitraries.integers().between(0, MEMBERS - 1);
        var pick = Arbitraries.integers().between(0, 1_000).withDistribution(RandomDistribution.uniform());
        var earningNothing = Arbitraries.longs().between(1, 99);
        var earning = Arbitraries.longs().between(100, 6_000).withDistribution(RandomDistribution.uniform());
        var percent = Arbitraries.integers().between(1, 100).withDistribution(RandomDistribution.uniform());
        var spent = Arbitraries.longs().between(1, 40).withDistribution(RandomDistribution.uniform());
        Arbitrary<Operation> purchase = Combinators.combine(member,
            Arbitraries.frequencyOf(Tuple.of(1, earningNothing), Tuple.of(4, earning))).as(Purchase::new);
        Arbitrary<Operation> refund = Combinators.combine(pick, Arbitraries.of(true, false), percent).as(Refund::new);
        Arbitrary<Operation> spend = Combinators.combine(member, spent, Arbitraries.of(false, true)).as(Spend::new);
        Arbitrary<Operation> adjust = Combinators.combine(member,
            Arbitraries.longs().between(-30, 40).filter(points -> points != 0)).as(Adjust::new);
        Arbitrary<Operation> reverse = Combinators.combine(pick,
            Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true))).as(Reverse::new);
        return Arbitraries.frequencyOf(Tuple.of(4, purchase), Tuple.of(4, refund), Tuple.of(4, spend),
            Tuple.of(2, adjust), Tuple.of(3, reverse)).list().ofMinSize(5).ofMaxSize(40)
            .withSizeDistribution(RandomDistribution.uniform());
    }

    /** One step of a scenario; picks choose among what exists when the step runs, so shrinking keeps them valid. */
    sealed interface Operation permits Purchase, Refund, Spend, Adjust, Reverse {
    }

    record Purchase(int member, long amountMinor) implements Operation {
    }

    /** Refunds the rest of a purchase, or a percentage of it; refunding more than is left is refused. */
    record Refund(int purchasePick, boolean wholeRest, int percent) implements Operation {
    }

    /** Spends the points given, or the whole balance if there is one. */
    record Spend(int member, long points, boolean wholeBalance) implements Operation {
    }

    record Adjust(int member, long points) implements Operation {
    }

    record Reverse(int entryPick, boolean asAnotherMember) implements Operation {
    }

    private void purchase(Model model, Purchase operation) {
        var orderId = "order-" + (model.sales.size() + 1);
        long earned = operation.amountMinor() / 100;
        var recorded = purchases.record(new NewPurchase(model.id(operation.member()), orderId, EUR,
            operation.amountMinor(), List.of(), ACTOR));
        assertThat(recorded.pointsEarned()).as("points earned on %s", operation).isEqualTo(earned);
        model.balances[operation.member()] += earned;
        assertThat(recorded.balanceAfter()).as("balance after %s", operation)
            .isEqualTo(model.balances[operation.member()]);
        var sale = new Sale(orderId, operation.member(), operation.amountMinor(), earned);
        model.sales.add(sale);
        if (earned > 0) {
            assertThat(recorded.entryId()).isNotNull();
            model.entries.add(new Entry(recorded.entryId(), operation.member(), EntryKind.EARN, earned));
        } else {
            assertThat(recorded.entryId()).isNull();
        }
    }

    private void refund(Model model, Refund operation) {
        if (model.sales.isEmpty()) {
            return;
        }
        var sale = model.sales.get(operation.purchasePick() % model.sales.size());
        long refundable = sale.amountMinor - sale.refundedMinor;
        long amount = operation.wholeRest() && refundable > 0 ? refundable
            : Math.max(1, sale.amountMinor * operation.percent() / 100);
        var refund = new NewRefund(model.id(sale.member), sale.orderId, EUR, amount, null, ACTOR);
        if (amount > refundable) {
            assertThatThrownBy(() -> purchases.refund(refund)).as("%s of %s", operation, sale)
                .isInstanceOf(RefundExceedsPurchase.class);
            return;
        }
        long reversedAfter = sale.earned * (sale.refundedMinor + amount) / sale.amountMinor;
        long toReverse = reversedAfter - sale.pointsReversed;
        long reversed = Math.min(toReverse, model.balances[sale.member]);
        var recorded = purchases.refund(refund);
        assertThat(recorded.pointsReversed()).as("points reversed by %s of %s", operation, sale).isEqualTo(reversed);
        assertThat(recorded.pointsNotRecovered()).as("points not recovered by %s of %s", operation, sale)
            .isEqualTo(toReverse - reversed);
        model.balances[sale.member] -= reversed;
        assertThat(recorded.balanceAfter()).as("balance after %s", operation).isEqualTo(model.balances[sale.member]);
        sale.refundedMinor += amount;
        sale.pointsReversed = reversedAfter;
        sale.notRecovered += toReverse - reversed;
        model.sawShortRefund |= toReverse > reversed;
        if (reversed > 0) {
            assertThat(recorded.entryId()).isNotNull();
            model.entries.add(new Entry(recorded.entryId(), sale.member, EntryKind.REFUND, -reversed));
        } else {
            assertThat(recorded.entryId()).isNull();
        }
    }

    private void spend(Model model, Spend operation) {
        long balance = model.balances[operation.member()];
        long points = operation.wholeBalance() && balance > 0 ? balance : operation.points();
        debit(model, operation.member(), points, EntryKind.SPEND, AccountKind.REDEMPTION, operation);
    }

    private void adjust(Model model, Adjust operation) {
        if (operation.points() < 0) {
            debit(model, operation.member(), -operation.points(), EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT,
                operation);
            return;
        }
        var posted = ledger.credit(new Credit(model.id(operation.member()), operation.points(), EntryKind.ADJUSTMENT,
            AccountKind.ADJUSTMENT, null, "goodwill", ACTOR, null));
        posted(model, operation.member(), EntryKind.ADJUSTMENT, operation.points(), posted, operation);
    }

    private void debit(Model model, int member, long points, EntryKind kind, AccountKind to, Operation operation) {
        var debit = new Debit(model.id(member), points, kind, to, null, null, ACTOR, null, Shortfall.REFUSE);
        if (points > model.balances[member]) {
            assertThatThrownBy(() -> ledger.debit(debit)).as("%s with %d points", operation, model.balances[member])
                .isInstanceOf(InsufficientPoints.class);
            model.sawRefusedSpend |= kind == EntryKind.SPEND;
            return;
        }
        posted(model, member, kind, -points, ledger.debit(debit), operation);
    }

    private void reverse(Model model, Reverse operation) {
        if (model.entries.isEmpty()) {
            return;
        }
        var entry = model.entries.get(operation.entryPick() % model.entries.size());
        int member = operation.asAnotherMember() ? (entry.member + 1) % MEMBERS : entry.member;
        Class<? extends RuntimeException> refusal = null;
        if (entry.kind == EntryKind.REVERSAL || entry.kind == EntryKind.EARN || entry.kind == EntryKind.REFUND) {
            refusal = EntryNotReversible.class;
        } else if (member != entry.member) {
            refusal = EntryNotFound.class;
        } else if (entry.reversed) {
            refusal = EntryAlreadyReversed.class;
        } else if (entry.points > model.balances[member]) {
            refusal = InsufficientPoints.class;
        }
        if (refusal != null) {
            assertThatThrownBy(() -> ledger.reverse(model.id(member), entry.id, ACTOR, "correction"))
                .as("%s of %s with %d points", operation, entry, model.balances[member])
                .isInstanceOf(refusal);
            return;
        }
        var posted = ledger.reverse(model.id(member), entry.id, ACTOR, "correction");
        entry.reversed = true;
        model.sawReversal = true;
        posted(model, member, EntryKind.REVERSAL, -entry.points, posted, operation);
    }

    private static void posted(Model model, int member, EntryKind kind, long points, Posted posted,
            Operation operation) {
        assertThat(posted.points()).as("points moved by %s", operation).isEqualTo(points);
        model.balances[member] += points;
        assertThat(posted.balanceAfter()).as("balance after %s", operation).isEqualTo(model.balances[member]);
        model.entries.add(new Entry(posted.entryId(), member, kind, points));
    }

    /**
     * Per purchase, the points its refunds and any reversals touching it took from the wallet, net, are what
     * its record says it reversed less what could not be recovered; never more than it earned; and all of
     * it once the purchase is refunded in full.
     */
    private void assertPurchasesTookBackWhatTheyRecord(Group group, Model model) {
        var rows = new TransactionTemplate(transactionManager).execute(status -> jdbc.sql("""
                select p.order_id, p.amount_minor, p.points_earned, p.refunded_minor, p.points_reversed,
                       (select coalesce(sum(r.points_short), 0) from refunds r
                         where r.tenant_id = p.tenant_id and r.purchase_id = p.purchase_id) as not_recovered,
                       (select coalesce(-sum(w.amount), 0) from postings w
                          join accounts a on a.tenant_id = w.tenant_id and a.account_id = w.account_id
                                         and a.kind = 'WALLET'
                          join journal_entries e on e.tenant_id = w.tenant_id and e.entry_id = w.entry_id
                          left join refunds r on r.tenant_id = p.tenant_id and r.purchase_id = p.purchase_id
                                             and r.entry_id in (e.entry_id, e.reverses_entry_id)
                         where w.tenant_id = p.tenant_id
                           and (r.refund_id is not null or e.reverses_entry_id = p.entry_id)) as taken_back
                  from purchases p where p.tenant_id = :tenant order by p.purchased_at""")
            .param("tenant", group.tenantId())
            .query((rs, row) -> new PurchaseRow(rs.getString("order_id"), rs.getLong("amount_minor"),
                rs.getLong("points_earned"), rs.getLong("refunded_minor"), rs.getLong("points_reversed"),
                rs.getLong("not_recovered"), rs.getLong("taken_back")))
            .list());
        assertThat(rows).hasSameSizeAs(model.sales);
        for (var row : rows) {
            var sale = model.sale(row.orderId());
            assertThat(row.pointsEarned()).as("points earned by %s", row).isEqualTo(sale.earned);
            assertThat(row.refundedMinor()).as("amount refunded of %s", row).isEqualTo(sale.refundedMinor);
            assertThat(row.pointsReversed()).as("points reversed of %s", row).isEqualTo(sale.pointsReversed);
            assertThat(row.notRecovered()).as("points not recovered of %s", row).isEqualTo(sale.notRecovered);
            assertThat(row.takenBack()).as("points taken back for %s", row)
                .isEqualTo(row.pointsReversed() - row.notRecovered())
                .isBetween(0L, row.pointsEarned());
            if (row.refundedMinor() == row.amountMinor()) {
                assertThat(row.pointsReversed()).as("points reversed by the full refund of %s", row)
                    .isEqualTo(row.pointsEarned());
            }
        }
    }

    private record PurchaseRow(String orderId, long amountMinor, long pointsEarned, long refundedMinor,
            long pointsReversed, long notRecovered, long takenBack) {
    }

    /** What the operations that succeeded should have done: balances, entries and purchases. */
    private static final class Model {

        final List<Membership> members;
        final long[] balances = new long[MEMBERS];
        final List<Entry> entries = new ArrayList<>();
        final List<Sale> sales = new ArrayList<>();
        boolean sawShortRefund;
        boolean sawRefusedSpend;
        boolean sawReversal;

        Model(List<Membership> members) {
            this.members = members;
        }

        UUID id(int member) {
            return members.get(member).id();
        }

        Sale sale(String orderId) {
            return sales.stream().filter(sale -> sale.orderId.equals(orderId)).findFirst().orElseThrow();
        }
    }

    private static final class Entry {

        final UUID id;
        final int member;
        final EntryKind kind;
        final long points;
        boolean reversed;

        Entry(@Nullable UUID id, int member, EntryKind kind, long points) {
            assertThat(id).as("entry of %d points", points).isNotNull();
            this.id = id;
            this.member = member;
            this.kind = kind;
            this.points = points;
        }

        @Override
        public String toString() {
            return kind + " " + points + " of member " + member + (reversed ? " (reversed)" : "");
        }
    }

    private static final class Sale {

        final String orderId;
        final int member;
        final long amountMinor;
        final long earned;
        long refundedMinor;
        long pointsReversed;
        long notRecovered;

        Sale(String orderId, int member, long amountMinor, long earned) {
            this.orderId = orderId;
            this.member = member;
            this.amountMinor = amountMinor;
            this.earned = earned;
        }

        @Override
        public String toString() {
            return orderId + " of member " + member + " (" + amountMinor + " minor, " + earned + " points, "
                + refundedMinor + " refunded)";
        }
    }
}
