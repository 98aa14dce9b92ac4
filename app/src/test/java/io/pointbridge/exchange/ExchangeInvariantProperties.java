package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.exchange.settlement.Settlements;
import io.pointbridge.exchange.transfer.Quotes;
import io.pointbridge.exchange.transfer.Quotes.NewQuote;
import io.pointbridge.exchange.transfer.Transfer;
import io.pointbridge.exchange.transfer.Transfers;
import io.pointbridge.testing.Fixtures;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.Membership;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Random sequences of earning, spending, converting and reversing across three programs of one group keep
 * every invariant: each program's accounts sum to zero and no wallet goes negative (the ledger's own
 * verification), every wallet holds what a simple model of the sequence says, every transfer's fee and credit
 * follow the rounding rule exactly, cap counters hold what the transfers not reversed converted, and the
 * settlement statement holds exactly their value and nets to zero.
 */
class ExchangeInvariantProperties {

    private static final List<String> PERCENTS = List.of("0", "1.5", "2.5", "10", "33.3333");
    private static final Set<String> REFUSALS = Set.of("insufficient-points", "below-minimum", "amount-off-step",
        "exchange-cap-exceeded", "conversion-too-small", "credited-points-spent", "transfer-already-reversed");

    private final Fixtures fixtures = RunningApplication.bean(Fixtures.class);
    private final ExchangeFixtures exchange = RunningApplication.bean(ExchangeFixtures.class);
    private final Ledger ledger = RunningApplication.bean(Ledger.class);
    private final Wallets wallets = RunningApplication.bean(Wallets.class);
    private final Quotes quotes = RunningApplication.bean(Quotes.class);
    private final Transfers transfers = RunningApplication.bean(Transfers.class);
    private final Settlements settlements = RunningApplication.bean(Settlements.class);
    private final JdbcClient jdbc = RunningApplication.bean(JdbcClient.class);
    private final TransactionTemplate transactions =
        new TransactionTemplate(RunningApplication.bean(PlatformTransactionManager.class));

    /** Terms of one ordered pair: ratio, fee, minimum as a multiple of the step, a member daily cap or none. */
    record PairTerms(long sourceUnits, long targetUnits, String percent, long fixed, long step, long minimumSteps,
            @Nullable Long dailyCap, boolean convertible) {

        Terms terms() {
            return Terms.of(sourceUnits, targetUnits).fee(percent, fixed).amounts(step * minimumSteps, step)
                .caps(dailyCap, null, null).restricted(convertible, null);
        }
    }

    sealed interface Step {
    }

    record Earn(int person, int program, long points) implements Step {
    }

    record Spend(int person, int program, long points) implements Step {
    }

    /** Converts {@code percent} of what the model says the source wallet holds, on the pair's step. */
    record Convert(int person, int from, int to, long percent) implements Step {
    }

    record Reverse(int transfer) implements Step {
    }

    /** The six ordered pairs' terms (cafe→cinema, cafe→bakery, cinema→cafe, ...), three point values, the steps. */
    record Scenario(List<PairTerms> pairs, List<String> values, List<Step> steps) {
    }

    @Property(tries = 25)
    void exchangesKeepEveryInvariant(@ForAll("scenarios") Scenario scenario) {
        var group = fixtures.group();
        var brands = List.of(group.cafe(), group.cinema(), fixtures.brand(group, "bakery", "Bakery Crumbs"));
        var terms = new HashMap<List<Integer>, PairTerms>();
        for (int from = 0, pair = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    var pairTerms = scenario.pairs().get(pair++);
                    terms.put(List.of(from, to), pairTerms);
                    exchange.rate(group, brands.get(from), brands.get(to), pairTerms.terms());
                }
            }
            exchange.value(group, brands.get(from), scenario.values().get(from));
        }
        var persons = List.of(person(group, brands), person(group, brands), person(group, brands));
        var model = new HashMap<UUID, Long>();
        for (var person : persons) {
            for (var member : person) {
                fixtures.credit(group, member, 300);
                model.put(member.id(), 300L);
            }
        }
        var executed = new ArrayList<Transfer>();

        for (var step : scenario.steps()) {
            switch (step) {
                case Earn earn -> {
                    var member = persons.get(earn.person()).get(earn.program());
                    fixtures.as(group, () -> ledger.credit(new Credit(member.id(), earn.points(), EntryKind.EARN,
                        AccountKind.ISSUANCE, null, "property", "test:property", null)));
                    model.merge(member.id(), earn.points(), Long::sum);
                }
                case Spend spend -> {
                    var member = persons.get(spend.person()).get(spend.program());
                    refusedOr(() -> fixtures.as(group, () -> ledger.debit(new Debit(member.id(), spend.points(),
                        EntryKind.SPEND, AccountKind.REDEMPTION, null, "property", "test:property", null,
                        Shortfall.REFUSE))), posted -> model.merge(member.id(), -spend.points(), Long::sum));
                }
                case Convert convert -> {
                    var pair = terms.get(List.of(convert.from(), convert.to()));
                    var source = persons.get(convert.person()).get(convert.from());
                    var target = persons.get(convert.person()).get(convert.to());
                    long share = model.get(source.id()) * convert.percent() / 100;
                    long points = Math.max(pair.step() * pair.minimumSteps(), share - share % pair.step());
                    refusedOr(() -> fixtures.as(group, () -> {
                        var quote = quotes.quote(new NewQuote(source.id(), target.id(), points, "test:property"));
                        return transfers.execute(quote.id(), "test:property");
                    }), transfer -> {
                        executed.add(transfer);
                        model.merge(source.id(), -transfer.sourcePoints(), Long::sum);
                        model.merge(target.id(), transfer.targetPoints(), Long::sum);
                    });
                }
                case Reverse reverse -> {
                    if (!executed.isEmpty()) {
                        var transfer = executed.get(reverse.transfer() % executed.size());
                        refusedOr(() -> fixtures.as(group,
                            () -> transfers.reverse(transfer.id(), "test:property", null)), reversed -> {
                                model.merge(transfer.sourceMemberId(), transfer.sourcePoints(), Long::sum);
                                model.merge(transfer.targetMemberId(), -transfer.targetPoints(), Long::sum);
                            });
                    }
                }
            }
        }

        long reversed = executed.stream().filter(transfer -> fixtures.as(group,
            () -> transfers.require(transfer.id())).reversed()).count();
        Statistics.label("transfers").collect(executed.isEmpty() ? "none" : executed.size() < 5 ? "1-4" : "5+");
        Statistics.label("reversals").collect(reversed == 0 ? "none" : reversed < 3 ? "1-2" : "3+");
        assertThat(fixtures.violations(group)).isEmpty();
        model.forEach((member, balance) -> assertThat(fixtures.as(group, () -> wallets.balance(member)).balance())
            .as("wallet %s", member).isEqualTo(balance));
        var finals = executed.stream()
            .map(transfer -> fixtures.as(group, () -> transfers.require(transfer.id()))).toList();
        var owed = new HashMap<List<UUID>, Long>();
        var counted = new HashMap<List<UUID>, Long>();
        for (var transfer : finals) {
            var pair = terms.get(
                List.of(index(brands, transfer.sourceProgramId()), index(brands, transfer.targetProgramId())));
            assertFollowsTheRoundingRule(transfer, pair);
            long value = new BigDecimal(transfer.sourcePoints() - transfer.feePoints())
                .multiply(new BigDecimal(scenario.values().get(index(brands, transfer.sourceProgramId()))))
                .movePointRight(2).setScale(0, RoundingMode.FLOOR).longValueExact();
            assertThat(transfer.settlement().amountMinor()).isEqualTo(value);
            if (!transfer.reversed()) {
                owed.merge(List.of(transfer.sourceBrandId(), transfer.targetBrandId()), value, Long::sum);
                if (pair.dailyCap() != null) {
                    counted.merge(List.of(transfer.sourceMemberId(), transfer.targetProgramId()),
                        transfer.sourcePoints(), Long::sum);
                }
            }
        }
        var today = LocalDate.now(ZoneOffset.UTC);
        var statement = fixtures.as(group, () -> settlements.statement(today.minusDays(1), today.plusDays(2), null));
        assertThat(statement.netTotalMinor()).isZero();
        assertThat(statement.positions().stream().mapToLong(position -> position.netMinor()).sum()).isZero();
        var stated = new HashMap<List<UUID>, Long>();
        statement.pairs().stream().filter(line -> line.amountMinor() != 0)
            .forEach(line -> stated.put(List.of(line.payerBrandId(), line.payeeBrandId()), line.amountMinor()));
        owed.values().removeIf(amount -> amount == 0);
        assertThat(stated).isEqualTo(owed);
        counted.values().removeIf(points -> points == 0);
        assertThat(fixtures.as(group, this::memberDailyCounters)).isEqualTo(counted);
    }

    /** F = ⌈S × p / 100⌉ + fixed and T = ⌊(S − F) × tu / su⌋, recomputed with integers. */
    private static void assertFollowsTheRoundingRule(Transfer transfer, PairTerms pair) {
        long percentTenThousandths = new BigDecimal(pair.percent()).movePointRight(4).longValueExact();
        long fee = -Math.floorDiv(-transfer.sourcePoints() * percentTenThousandths, 1_000_000) + pair.fixed();
        assertThat(transfer.feePoints()).isEqualTo(fee);
        var credit = BigInteger.valueOf(transfer.sourcePoints() - fee).multiply(BigInteger.valueOf(pair.targetUnits()))
            .divide(BigInteger.valueOf(pair.sourceUnits()));
        assertThat(transfer.targetPoints()).isEqualTo(credit.longValueExact());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        var pair = Combinators.combine(Arbitraries.longs().between(1, 12), Arbitraries.longs().between(1, 12),
                Arbitraries.of(PERCENTS), Arbitraries.longs().between(0, 3), Arbitraries.of(1L, 5L, 10L),
                Arbitraries.longs().between(1, 3), Arbitraries.of(200L, 500L).injectNull(0.5),
                Arbitraries.of(true, true, false))
            .as(PairTerms::new);
        var value = Arbitraries.of("0", "0.001", "0.0125", "0.02", "0.3333");
        var person = Arbitraries.integers().between(0, 2);
        var program = Arbitraries.integers().between(0, 2);
        var earn = Combinators.combine(person, program, Arbitraries.longs().between(1, 600)).as(Earn::new);
        var spend = Combinators.combine(person, program, Arbitraries.longs().between(1, 200)).as(Spend::new);
        var convert = Combinators.combine(person, program, Arbitraries.integers().between(1, 2),
                Arbitraries.longs().between(1, 100))
            .as((who, from, shift, percent) -> new Convert(who, from, (from + shift) % 3, percent));
        var reverse = Arbitraries.integers().between(0, 20).map(Reverse::new);
        var step = Arbitraries.frequencyOf(Tuple.of(3, earn.map(Step.class::cast)),
            Tuple.of(2, spend.map(Step.class::cast)), Tuple.of(5, convert.map(Step.class::cast)),
            Tuple.of(2, reverse.map(Step.class::cast)));
        return Combinators.combine(pair.list().ofSize(6), value.list().ofSize(3),
            step.list().ofMinSize(5).ofMaxSize(30)).as(Scenario::new);
    }

    private List<Membership> person(Group group, List<BrandSetup> brands) {
        return fixtures.person(group, brands.toArray(BrandSetup[]::new));
    }

    private static int index(List<BrandSetup> brands, UUID program) {
        for (int i = 0; i < brands.size(); i++) {
            if (brands.get(i).program().id().equals(program)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no brand runs program " + program);
    }

    /** Runs the write; a refusal the rules allow for is fine, anything else fails the property. */
    private static <T> void refusedOr(Supplier<T> write, Consumer<T> onSuccess) {
        T result;
        try {
            result = write.get();
        } catch (DomainFailure refused) {
            assertThat(REFUSALS).as(refused.getMessage()).contains(refused.type());
            return;
        }
        onSuccess.accept(result);
    }

    /** The current tenant's member daily cap counters: (source member, target program) → points used, if any. */
    private Map<List<UUID>, Long> memberDailyCounters() {
        return transactions.execute(status -> jdbc.sql("""
                select subject_id, target_program_id, sum(used) as used from exchange_usage
                 where scope = 'MEMBER_DAY' group by subject_id, target_program_id having sum(used) <> 0""")
            .query((rs, row) -> Map.entry(List.of(rs.getObject("subject_id", UUID.class),
                rs.getObject("target_program_id", UUID.class)), rs.getLong("used")))
            .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
