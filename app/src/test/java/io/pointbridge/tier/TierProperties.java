package io.pointbridge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tier.Qualification;
import io.pointbridge.tenant.tier.TierChange;
import io.pointbridge.tenant.tier.TierScheme.LevelSettings;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.tenant.tier.TierWindow;
import io.pointbridge.tenant.tier.TierWindow.Kind;
import io.pointbridge.testing.Fixtures.Group;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.TestContextManager;

/**
 * Over random schemes (window kind and length, time zone, grace, 3 to 5 tiers, one of four shapes of
 * all/any conditions) and random histories of purchases, refunds, review runs and idle time stretching over
 * years, the tier a member has, as the application answers it and as the job stores it, always equals the
 * tier computed from scratch by replaying the rules over the history; so do the points each purchase earns
 * at the multiplier of the moment, and, in the end, the member's whole tier history.
 */
class TierProperties extends TierIntegrationTest {

    private static final Instant START = Instant.parse("2031-01-01T00:00:00Z");
    /** Amounts and gaps spread evenly over their range: jqwik's default favours small numbers. */
    private static final RandomDistribution UNIFORM = RandomDistribution.uniform();
    private static final ReentrantLock REPLAYS = new ReentrantLock();

    /** jqwik does not run Spring's JUnit extension: this prepares the instance from the one cached context. */
    @BeforeProperty
    void injectApplication() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
    }

    enum Shape {
        SPEND, SPEND_OR_ORDERS, SPEND_AND_ORDERS, POINTS_OR_SPEND_AND_ORDERS
    }

    /** A scheme: thresholds rise per tier by the given steps (spend in minor units, orders, points). */
    record SchemeSpec(TierWindow window, String zone, int graceDays, int levels, Shape shape, List<Long> spendSteps,
            List<Long> orderSteps, List<Long> pointSteps) {

        long spendAt(int level) {
            return spendSteps.subList(0, level - 1).stream().mapToLong(Long::longValue).sum();
        }

        long ordersAt(int level) {
            return 1 + orderSteps.subList(0, level - 1).stream().mapToLong(Long::longValue).sum();
        }

        long pointsAt(int level) {
            return pointSteps.subList(0, level - 1).stream().mapToLong(Long::longValue).sum();
        }

        BigDecimal multiplier(int level) {
            return BigDecimal.ONE.add(new BigDecimal("0.25").multiply(BigDecimal.valueOf(level - 1)));
        }

        /** The scheme as the application takes it. */
        Settings settings() {
            var levelSettings = new ArrayList<LevelSettings>();
            for (int level = 1; level <= levels; level++) {
                levelSettings.add(new LevelSettings("tier-" + level, "Tier " + level, multiplier(level),
                    level == 1 ? null : qualification(level)));
            }
            return new Settings(window, ZoneId.of(zone), graceDays, levelSettings);
        }

        private Qualification qualification(int level) {
            return switch (shape) {
                case SPEND -> spend(spendAt(level));
                case SPEND_OR_ORDERS -> any(spend(spendAt(level)), orders(ordersAt(level)));
                case SPEND_AND_ORDERS -> all(spend(spendAt(level)), orders(ordersAt(level)));
                case POINTS_OR_SPEND_AND_ORDERS -> any(points(pointsAt(level)), all(spend(spendAt(level)), orders(ordersAt(level))));
            };
        }

        /** The same qualification, written independently, over the model's counters {spend, orders, points}. */
        Predicate<long[]> reaches(int level) {
            return switch (shape) {
                case SPEND -> c -> c[0] >= spendAt(level);
                case SPEND_OR_ORDERS -> c -> c[0] >= spendAt(level) || c[1] >= ordersAt(level);
                case SPEND_AND_ORDERS -> c -> c[0] >= spendAt(level) && c[1] >= ordersAt(level);
                case POINTS_OR_SPEND_AND_ORDERS -> c -> c[2] >= pointsAt(level) || (c[0] >= spendAt(level) && c[1] >= ordersAt(level));
            };
        }
    }

    sealed interface Step {
        long gapSeconds();
    }

    record Purchase(long gapSeconds, long amountMinor) implements Step {
    }

    /** A few purchases ten minutes apart, as when a member comes back after a while. */
    record Burst(long gapSeconds, List<Long> amountsMinor) implements Step {
    }

    record Refund(long gapSeconds, int purchase, int percent) implements Step {
    }

    record Review(long gapSeconds) implements Step {
    }

    record Idle(long gapSeconds) implements Step {
    }

    record Scenario(SchemeSpec scheme, List<Step> steps) {
    }

    @Property(tries = 30)
    void theTierAlwaysEqualsTheTierComputedFromScratch(@ForAll("scenarios") Scenario scenario) {
        replay(scenario);
    }

    /**
     * The same over histories made to dwell on the end of the period: a member who starts high, short windows,
     * a grace period, and small purchases days apart, some of which land in the grace period.
     */
    @Property(tries = 20)
    void aroundReviewsAndGracePeriodsTheTierEqualsTheTierComputedFromScratch(@ForAll("aroundReviews") Scenario scenario) {
        replay(scenario);
    }

    /**
     * The scenario jqwik found (shrunk) where the model upgraded at a refund: rolling 2 months, UTC; on
     * 2031-03-30 a refund came after the January refund of a purchase that had left the window had left it
     * too, so the window held more than at the last purchase. A refund only counts; the next purchase decides.
     */
    @Example
    void aRefundUpgradesNobodyEvenWhenTheWindowHasLetGoOfAnOlderRefund() {
        var scheme = new SchemeSpec(new TierWindow(Kind.ROLLING, 2), "UTC", 7, 3, Shape.SPEND, List.of(6828L, 7661L, 3000L,
            3000L), List.of(1L, 2L, 2L, 1L), List.of(67L, 30L, 42L, 64L));
        replay(new Scenario(scheme, List.of(new Burst(60, List.of(10514L, 12565L, 11680L)), new Review(521290),
            new Purchase(182740, 5452), new Review(239375), new Refund(726918, 3, 2), new Purchase(3600, 500),
            new Refund(748296, 13, 73), new Review(603895), new Review(25063), new Purchase(3601, 500), new Review(451217),
            new Purchase(3600, 500), new Refund(851264, 39, 27), new Purchase(864000, 5999), new Idle(723777),
            new Review(324838), new Purchase(436179, 5688), new Review(39889), new Purchase(518382, 3639),
            new Refund(356971, 15, 10))));
    }

    private void replay(Scenario scenario) {
        // One replay at a time: after its time bound, jqwik's shrinking goes on in a pool thread, replaying
        // against the one clock and application while the next property runs (which then failed on a clock
        // moved under it). Waiting for the lock keeps each replay alone with the clock.
        REPLAYS.lock();
        try {
            replayAlone(scenario);
        } finally {
            REPLAYS.unlock();
        }
    }

    private void replayAlone(Scenario scenario) {
        clock.set(START);
        var group = fixtures.group();
        var member = fixtures.member(group);
        var spec = scenario.scheme();
        configure(group, spec.settings());
        var model = new Model(spec);
        var bought = new ArrayList<Bought>();

        for (var step : scenario.steps()) {
            clock.advance(Duration.ofSeconds(step.gapSeconds()));
            var now = clock.instant();
            switch (step) {
                case Purchase purchase -> buy(group, member, purchase.amountMinor(), model, bought);
                case Burst burst -> {
                    for (var amount : burst.amountsMinor()) {
                        clock.advance(Duration.ofMinutes(10));
                        buy(group, member, amount, model, bought);
                    }
                    now = clock.instant();
                }
                case Refund refund -> {
                    if (bought.isEmpty()) {
                        continue;
                    }
                    var purchase = bought.get(refund.purchase() % bought.size());
                    long refundable = purchase.amount - purchase.refunded;
                    if (refundable == 0) {
                        continue;
                    }
                    long amount = Math.max(1, refundable * refund.percent() / 100);
                    var recorded = refund(group, member, purchase.orderId, amount);
                    purchase.refunded += amount;
                    model.refund(now, -amount, purchase.refunded == purchase.amount ? -1 : 0,
                        -(recorded.pointsReversed() + recorded.pointsNotRecovered()));
                }
                case Review review -> {
                    reviewNow(group);
                    assertStored(stored(group, member), model.at(now), bought.isEmpty(), now);
                }
                case Idle idle -> {
                }
            }
            var expected = model.at(now);
            var actual = tier(group, member);
            assertThat(actual.level()).as("level at %s", now).isEqualTo(expected.level());
            if (expected.level() > 1) {
                assertThat(actual.since()).as("since, at %s", now).isEqualTo(expected.since());
            }
            assertThat(actual.reviewAt()).as("review, at %s", now).isEqualTo(expected.reviewAt());
            assertThat(actual.graceUntil()).as("grace end, at %s", now).isEqualTo(expected.graceUntil());
        }

        reviewNow(group);
        var now = clock.instant();
        assertStored(stored(group, member), model.at(now), bought.isEmpty(), now);
        assertThat(history(group, member).stream().map(TierProperties::describe).toList())
            .isEqualTo(model.changes(now));
        assertThat(fixtures.violations(group)).isEmpty();
        Statistics.label("highest tier").collect(model.changes(now).stream()
            .mapToInt(change -> Integer.parseInt(change.substring(change.indexOf("->") + 2, change.indexOf(" at"))))
            .max().orElse(1));
        model.graceEndsLifted = 0;
        model.at(now);
        Statistics.label("grace end lifted by activity in grace").collect(model.graceEndsLifted > 0);
        Statistics.label("grace started").collect(model.changes(now).stream().anyMatch(change -> change.startsWith("GRACE")));
        Statistics.label("changes").collect(model.changes(now).stream().map(change -> change.split(" ")[0]).distinct()
            .sorted().toList());
    }

    /** A purchase at the clock's time, which earns at the multiplier of the tier the model says the member has. */
    private void buy(Group group, Membership member, long amountMinor, Model model, List<Bought> bought) {
        var now = clock.instant();
        var multiplier = model.spec.multiplier(model.at(now).level());
        var recorded = purchase(group, member, amountMinor);
        long expected = BigDecimal.valueOf(amountMinor).multiply(multiplier)
            .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValueExact();
        assertThat(recorded.pointsEarned()).as("points at the multiplier %s", multiplier).isEqualTo(expected);
        model.purchase(now, amountMinor, 1, expected);
        bought.add(new Bought(recorded.orderId(), amountMinor));
    }

    /** A member gets a row with their first activity; on the entry tier, since when does not matter. */
    private static void assertStored(@Nullable StoredTier stored, Computed expected, boolean noActivity, Instant now) {
        if (noActivity) {
            assertThat(stored).as("stored before any activity").isNull();
            return;
        }
        assertThat(stored).as("stored after the job at %s", now).isNotNull();
        var comparable = expected.level() > 1 ? stored : new StoredTier(stored.level(), expected.since(), stored.reviewAt(),
            stored.graceUntil());
        assertThat(comparable).as("stored after the job at %s", now).isEqualTo(expected.stored());
    }

    private static String describe(TierChange change) {
        return change.kind().name() + " " + change.from().level() + "->" + change.to().level() + " at " + change.effectiveAt();
    }

    private static final class Bought {
        final String orderId;
        final long amount;
        long refunded;

        Bought(String orderId, long amount) {
            this.orderId = orderId;
            this.amount = amount;
        }
    }

    /**
     * What counts, as the model keeps it: amounts by time, in the order they happened; {@code purchase} tells a
     * purchase (which may upgrade at once) from a refund (which only counts).
     */
    private record Activity(Instant at, long spend, long orders, long points, boolean purchase) {
    }

    /** A standing as the model computes it. */
    private record Computed(int level, Instant since, @Nullable Instant reviewAt, @Nullable Instant graceUntil,
            @Nullable Integer graceLevel, List<String> changes) {

        StoredTier stored() {
            return new StoredTier(level, since, reviewAt, graceUntil);
        }
    }

    /**
     * The rules replayed from scratch over the whole history: at each purchase, first every review and grace
     * end due by then, then the purchase itself; at the end, every deadline due by the time asked. A refund only
     * counts (in the window it happens in): it never changes the tier at once, neither down nor up, even when
     * a rolling window that no longer holds an old refund's purchase also lets go of the refund and so rises
     * (README: "The purchase that qualifies a member upgrades them in its own transaction; refunds never
     * downgrade at once"; {@code Tiers#purchaseRefunded} only records the refund).
     */
    private static final class Model {

        private final SchemeSpec spec;
        private final ZoneId zone;
        private final List<Activity> history = new ArrayList<>();
        /** Grace ends where activity in the grace period beat the tier the review found: counted for the statistics. */
        private int graceEndsLifted;

        Model(SchemeSpec spec) {
            this.spec = spec;
            this.zone = ZoneId.of(spec.zone());
        }

        void purchase(Instant at, long spend, long orders, long points) {
            history.add(new Activity(at, spend, orders, points, true));
        }

        void refund(Instant at, long spend, long orders, long points) {
            history.add(new Activity(at, spend, orders, points, false));
        }

        List<String> changes(Instant until) {
            return at(until).changes();
        }

        Computed at(Instant until) {
            var state = new Computed(1, Instant.EPOCH, null, null, null, List.of());
            for (var time : history.stream().filter(Activity::purchase).map(Activity::at).filter(at -> !at.isAfter(until))
                    .distinct().toList()) {
                state = deadlines(state, time);
                var counted = sum(windowStart(time), time, true);
                int reached = reached(counted);
                boolean inGrace = state.graceUntil() != null;
                if (reached > state.level() || (inGrace && reached == state.level())) {
                    state = change(state, reached > state.level() ? "UPGRADED" : "RENEWED", reached,
                        reached > state.level() ? time : state.since(), next(time), null, null, time);
                }
            }
            return deadlines(state, until);
        }

        private Computed deadlines(Computed state, Instant until) {
            while (true) {
                var due = state.graceUntil() != null ? state.graceUntil() : state.reviewAt();
                if (due == null || due.isAfter(until)) {
                    return state;
                }
                var counted = sum(windowStartBefore(due), due, false);
                int reached = reached(counted);
                if (state.graceUntil() != null) {
                    if (reached > state.graceLevel()) {
                        graceEndsLifted++;
                    }
                    state = moveTo(state, Math.max(state.graceLevel(), reached), due);
                } else if (reached >= state.level()) {
                    state = reached == 1 ? state
                        : change(state, reached > state.level() ? "UPGRADED" : "RENEWED", reached,
                            reached > state.level() ? due : state.since(), next(due), null, null, due);
                    if (reached == 1) {
                        state = new Computed(1, state.since(), null, null, null, state.changes());
                    }
                } else if (spec.graceDays() > 0) {
                    state = change(state, "GRACE_STARTED", state.level(), state.since(), null,
                        due.atZone(zone).plusDays(spec.graceDays()).toInstant(), reached, due);
                } else {
                    state = moveTo(state, reached, due);
                }
            }
        }

        private Computed moveTo(Computed state, int reached, Instant at) {
            var kind = reached > state.level() ? "UPGRADED" : reached == state.level() ? "RENEWED" : "DOWNGRADED";
            return change(state, kind, reached, reached == state.level() ? state.since() : at,
                reached > 1 ? next(at) : null, null, null, at);
        }

        private Computed change(Computed state, String kind, int to, Instant since, @Nullable Instant reviewAt,
                @Nullable Instant graceUntil, @Nullable Integer graceLevel, Instant at) {
            var changes = new ArrayList<>(state.changes());
            changes.add(kind + " " + state.level() + "->" + to + " at " + at);
            return new Computed(to, since, reviewAt, graceUntil, graceLevel, changes);
        }

        private int reached(long[] counters) {
            for (int level = spec.levels(); level > 1; level--) {
                if (spec.reaches(level).test(counters)) {
                    return level;
                }
            }
            return 1;
        }

        /**
         * Sums of spend, orders and points after {@code from} (or at it, for a calendar period) up to {@code to};
         * a window's negative sum counts as 0.
         */
        private long[] sum(Instant from, Instant to, boolean toIncluded) {
            boolean fromIncluded = spec.window().kind() == Kind.CALENDAR;
            long[] sums = new long[3];
            for (var activity : history) {
                boolean inside = (activity.at().isAfter(from) || (fromIncluded && activity.at().equals(from)))
                    && (activity.at().isBefore(to) || (toIncluded && activity.at().equals(to)));
                if (inside) {
                    sums[0] += activity.spend();
                    sums[1] += activity.orders();
                    sums[2] += activity.points();
                }
            }
            for (int i = 0; i < sums.length; i++) {
                sums[i] = Math.max(0, sums[i]);
            }
            return sums;
        }

        private Instant windowStart(Instant t) {
            return spec.window().kind() == Kind.ROLLING ? t.atZone(zone).minusMonths(spec.window().months()).toInstant()
                : periodStart(t);
        }

        private Instant windowStartBefore(Instant t) {
            return spec.window().kind() == Kind.ROLLING ? windowStart(t) : periodStart(t.minusNanos(1));
        }

        private Instant next(Instant t) {
            return spec.window().kind() == Kind.ROLLING ? t.atZone(zone).plusMonths(spec.window().months()).toInstant()
                : periodStart(t).atZone(zone).plusMonths(spec.window().months()).toInstant();
        }

        private Instant periodStart(Instant t) {
            var local = t.atZone(zone);
            int months = spec.window().months();
            int first = (local.getMonthValue() - 1) / months * months + 1;
            return LocalDate.of(local.getYear(), first, 1).atStartOfDay(zone).toInstant();
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        // Short windows more often than long ones: more periods, reviews and grace periods per history.
        Arbitrary<TierWindow> window = Arbitraries.of(Kind.values()).flatMap(kind -> kind == Kind.ROLLING
            ? Arbitraries.of(1, 1, 2, 3, 5, 12).map(months -> new TierWindow(kind, months))
            : Arbitraries.of(1, 1, 3, 3, 6, 12).map(months -> new TierWindow(kind, months)));
        var scheme = Combinators.combine(window, Arbitraries.of("UTC", "Europe/Paris", "America/New_York"),
            Arbitraries.of(0, 7, 20, 45), Arbitraries.integers().between(3, 5), Arbitraries.of(Shape.values()),
            Arbitraries.longs().between(3_000, 15_000).withDistribution(UNIFORM).list().ofSize(4), Arbitraries.longs().between(1, 3).withDistribution(UNIFORM).list().ofSize(4),
            Arbitraries.longs().between(50, 200).withDistribution(UNIFORM).list().ofSize(4)).as(SchemeSpec::new);
        return Combinators.combine(scheme, step().list().ofMinSize(5).ofMaxSize(30)).as(Scenario::new);
    }

    @Provide
    Arbitrary<Scenario> aroundReviews() {
        Arbitrary<TierWindow> window = Arbitraries.of(Kind.values()).flatMap(kind -> kind == Kind.ROLLING
            ? Arbitraries.of(1, 2).map(months -> new TierWindow(kind, months))
            : Arbitraries.of(1, 3).map(months -> new TierWindow(kind, months)));
        var scheme = Combinators.combine(window, Arbitraries.of("UTC", "Europe/Paris", "America/New_York"),
            Arbitraries.of(7, 20, 45), Arbitraries.integers().between(3, 5), Arbitraries.of(Shape.values()),
            Arbitraries.longs().between(3_000, 8_000).withDistribution(UNIFORM).list().ofSize(4), Arbitraries.longs().between(1, 2).withDistribution(UNIFORM).list().ofSize(4),
            Arbitraries.longs().between(30, 80).withDistribution(UNIFORM).list().ofSize(4)).as(SchemeSpec::new);
        Arbitrary<Step> start = Arbitraries.longs().between(10_000, 15_000).withDistribution(UNIFORM).list().ofMinSize(3).ofMaxSize(5)
            .map(amounts -> new Burst(60, amounts));
        Arbitrary<Long> days = Arbitraries.longs().between(3_600, 10 * 86_400L).withDistribution(UNIFORM);
        Arbitrary<Step> later = Arbitraries.frequencyOf(
            Tuple.of(4, Combinators.combine(days, Arbitraries.longs().between(500, 6_000).withDistribution(UNIFORM)).as(Purchase::new)),
            Tuple.of(1, Combinators.combine(days, Arbitraries.integers().between(0, 50), Arbitraries.integers().between(1, 100))
                .as(Refund::new)),
            Tuple.of(2, days.map(Review::new)),
            Tuple.of(2, days.map(Idle::new)));
        return Combinators.combine(scheme, start, later.list().ofMinSize(10).ofMaxSize(25))
            .as((spec, first, rest) -> {
                var steps = new ArrayList<Step>(List.of(first));
                steps.addAll(rest);
                return new Scenario(spec, steps);
            });
    }

    private Arbitrary<Step> step() {
        Arbitrary<Step> purchase = Combinators.combine(gap(), Arbitraries.longs().between(500, 15_000).withDistribution(UNIFORM)).as(Purchase::new);
        Arbitrary<Step> refund = Combinators.combine(gap(), Arbitraries.integers().between(0, 50),
            Arbitraries.integers().between(1, 100)).as(Refund::new);
        Arbitrary<Step> burst = Combinators.combine(gap(), Arbitraries.longs().between(500, 15_000).withDistribution(UNIFORM).list().ofMinSize(2)
            .ofMaxSize(4)).as(Burst::new);
        Arbitrary<Step> review = gap().map(Review::new);
        Arbitrary<Step> idle = gap().map(Idle::new);
        return Arbitraries.frequencyOf(Tuple.of(5, purchase), Tuple.of(2, burst), Tuple.of(2, refund), Tuple.of(2, review),
            Tuple.of(2, idle));
    }

    /** Minutes to a day, days to a month, or a season: enough to cross periods, reviews and grace ends. */
    private Arbitrary<Long> gap() {
        return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.longs().between(60, 86_400).withDistribution(UNIFORM)),
            Tuple.of(4, Arbitraries.longs().between(86_400, 30 * 86_400L).withDistribution(UNIFORM)),
            Tuple.of(1, Arbitraries.longs().between(30 * 86_400L, 200 * 86_400L).withDistribution(UNIFORM)));
    }
}
