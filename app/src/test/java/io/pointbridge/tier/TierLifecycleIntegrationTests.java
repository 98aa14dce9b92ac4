package io.pointbridge.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.tier.Counters;
import io.pointbridge.tenant.tier.TierChange;
import io.pointbridge.tenant.tier.TierChange.Kind;
import io.pointbridge.tenant.tier.TierChange.Reason;
import io.pointbridge.tenant.tier.TierFailures.DuplicateActivity;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.testing.Fixtures.Group;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A member's tier over time: upgraded in the transaction of the purchase that qualifies them, kept until the
 * review at the end of the period whatever refunds come in between, renewed or downgraded there, kept through a
 * grace period, and placed again when the scheme changes; benefits and progress follow.
 */
class TierLifecycleIntegrationTests extends TierIntegrationTest {

    private static final Instant MARCH_2031 = Instant.parse("2031-03-10T10:00:00Z");
    private static final Instant END_OF_2031 = Instant.parse("2032-01-01T00:00:00Z");
    private static final Instant END_OF_2032 = Instant.parse("2033-01-01T00:00:00Z");

    private Group group;
    private Membership member;

    @BeforeEach
    void aMemberOfAProgram() {
        clock.set(MARCH_2031);
        group = fixtures.group();
        member = fixtures.member(group);
    }

    @Test
    void upgradesInThePurchaseThatQualifiesAndEarnsTheNewMultiplierFromTheNextPurchase() {
        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));

        assertThat(purchase(group, member, 6_000).pointsEarned()).isEqualTo(60);
        assertThat(tier(group, member).code()).isEqualTo("bronze");
        clock.advance(Duration.ofDays(3));
        assertThat(purchase(group, member, 5_000).pointsEarned()).as("earned before the upgrade").isEqualTo(50);

        var silver = tier(group, member);
        assertThat(silver.code()).isEqualTo("silver");
        assertThat(silver.since()).isEqualTo(clock.instant());
        assertThat(silver.reviewAt()).isEqualTo(END_OF_2031);
        assertThat(stored(group, member).level()).as("stored with the purchase, not only computed").isEqualTo(2);
        assertThat(history(group, member)).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.UPGRADED);
            assertThat(change.reason()).isEqualTo(Reason.ACTIVITY);
            assertThat(change.from().code()).isEqualTo("bronze");
            assertThat(change.to().code()).isEqualTo("silver");
            assertThat(change.counters()).containsEntry("spend", 11_000L).containsEntry("orders", 2L)
                .containsEntry("points", 110L);
        });
        assertThat(outboxTypes(group, member)).containsExactly("tier.upgraded");
        assertThat(purchase(group, member, 1_000).pointsEarned()).as("10 points × 1.25, rounded down").isEqualTo(12);
        assertThat(purchase(group, member, 2_390).pointsEarned()).as("23.90 × 1.25 = 29.875").isEqualTo(29);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aPurchaseThatRollsBackUpgradesNobody() {
        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));

        fixtures.as(group, () -> new TransactionTemplate(transactionManager).execute(status -> {
            purchases.record(new NewPurchase(member.id(), "order-rolled-back", EUR, 50_000, List.of(), ACTOR));
            status.setRollbackOnly();
            return null;
        }));

        assertThat(tier(group, member).code()).isEqualTo("bronze");
        assertThat(stored(group, member)).isNull();
        assertThat(history(group, member)).isEmpty();
        assertThat(outboxTypes(group, member)).isEmpty();
    }

    /**
     * A rolling window that lets go of an old refund (its purchase left the window before) holds more than it
     * did at the last purchase; a refund at that moment still changes nothing: only a purchase upgrades. The
     * property test's model once upgraded at any activity, refunds included (jqwik's sample: rolling 2 months,
     * UTC, a refund on 2031-03-30 after a refund of January had left the window).
     */
    @Test
    void aRefundNeverUpgradesEvenWhenTheRollingWindowHasLetGoOfAnOlderRefund() {
        configure(group, spendTiers(rollingMonths(2), 7, 5_000, 10_000));
        clock.set(Instant.parse("2031-04-01T10:00:00Z"));
        var first = purchase(group, member, 3_000).orderId();
        clock.set(Instant.parse("2031-04-20T10:00:00Z"));
        refund(group, member, first, 2_000);
        clock.set(Instant.parse("2031-06-10T10:00:00Z"));
        var second = purchase(group, member, 6_000).orderId();
        assertThat(tier(group, member).code()).as("-2,000 (April 20) + 6,000: short of 5,000").isEqualTo("bronze");

        clock.set(Instant.parse("2031-06-25T10:00:00Z"));
        refund(group, member, second, 100);

        assertThat(tier(group, member).code()).as("the window now holds 5,900, but a refund upgrades nobody")
            .isEqualTo("bronze");
        assertThat(stored(group, member).level()).isEqualTo(1);
        assertThat(history(group, member)).isEmpty();

        clock.set(Instant.parse("2031-06-26T10:00:00Z"));
        purchase(group, member, 100);

        var silver = tier(group, member);
        assertThat(silver.code()).as("the next purchase upgrades, at its own time").isEqualTo("silver");
        assertThat(silver.since()).isEqualTo(clock.instant());
        assertThat(silver.reviewAt()).isEqualTo(Instant.parse("2031-08-26T10:00:00Z"));
        assertThat(history(group, member)).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.UPGRADED);
            assertThat(change.reason()).isEqualTo(Reason.ACTIVITY);
            assertThat(change.effectiveAt()).isEqualTo(clock.instant());
            assertThat(change.counters()).containsEntry("spend", 6_000L).containsEntry("orders", 2L);
        });
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void keepsTheTierThroughRefundsUntilTheReviewAtTheEndOfThePeriodThenDowngrades() {
        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));
        var order = purchase(group, member, 35_000).orderId();
        assertThat(tier(group, member).code()).isEqualTo("gold");

        clock.set(Instant.parse("2031-06-01T12:00:00Z"));
        refund(group, member, order, 20_000);
        assertThat(tier(group, member).code()).as("a refund waits for the review").isEqualTo("gold");
        var progress = fixtures.as(group, () -> tiers.progress(member.id()));
        assertThat(progress.keep().met()).isFalse();
        assertThat(progress.keep().by()).isEqualTo(END_OF_2031);
        assertThat(progress.keep().missing()).containsExactly(Map.of("spend", 15_000L));

        clock.set(END_OF_2031.plus(Duration.ofHours(7)));
        var seen = tier(group, member);
        assertThat(seen.code()).as("seen as downgraded before the job runs").isEqualTo("silver");
        assertThat(seen.since()).isEqualTo(END_OF_2031);
        assertThat(seen.reviewAt()).isEqualTo(END_OF_2032);
        assertThat(stored(group, member).level()).isEqualTo(3);

        var report = reviewNow(group);

        assertThat(report.members()).isEqualTo(1);
        assertThat(report.downgraded()).isEqualTo(1);
        assertThat(stored(group, member)).isEqualTo(new StoredTier(2, END_OF_2031, END_OF_2032, null));
        assertThat(history(group, member)).extracting(TierChange::kind, TierChange::reason, TierChange::effectiveAt)
            .containsExactly(tuple(Kind.UPGRADED, Reason.ACTIVITY, MARCH_2031),
                tuple(Kind.DOWNGRADED, Reason.PERIOD_ENDED, END_OF_2031));
        assertThat(history(group, member).getLast().counters()).containsEntry("spend", 15_000L);
        assertThat(outboxTypes(group, member)).containsExactly("tier.upgraded", "tier.downgraded");
        assertThat(reviewNow(group).members()).as("nothing is due twice").isZero();
    }

    @Test
    void renewsATierStillEarnedAtTheReviewAndDowngradesAfterAYearWithout() {
        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));
        purchase(group, member, 30_000);

        clock.set(END_OF_2031.plus(Duration.ofDays(1)));
        assertThat(reviewNow(group).renewed()).isEqualTo(1);
        assertThat(stored(group, member)).isEqualTo(new StoredTier(3, MARCH_2031, END_OF_2032, null));

        clock.set(END_OF_2032.plus(Duration.ofDays(1)));
        assertThat(reviewNow(group).downgraded()).isEqualTo(1);

        assertThat(stored(group, member)).isEqualTo(new StoredTier(1, END_OF_2032, null, null));
        assertThat(history(group, member)).extracting(TierChange::kind)
            .containsExactly(Kind.UPGRADED, Kind.RENEWED, Kind.DOWNGRADED);
        assertThat(reviewNow(group).members()).as("the entry tier is never reviewed").isZero();
    }

    @Test
    void aGracePeriodKeepsTheTierAndAQualifyingPurchaseInItRenewsIt() {
        configure(group, spendTiers(calendarYear(), 30, 10_000, 30_000));
        purchase(group, member, 30_000);
        clock.set(Instant.parse("2032-06-01T09:00:00Z"));
        purchase(group, member, 5_000);

        clock.set(END_OF_2032.plus(Duration.ofHours(1)));
        assertThat(reviewNow(group).graceStarted()).isEqualTo(1);
        var graceEnd = Instant.parse("2033-01-31T00:00:00Z");
        assertThat(stored(group, member)).isEqualTo(new StoredTier(3, MARCH_2031, null, graceEnd));
        var progress = fixtures.as(group, () -> tiers.progress(member.id()));
        assertThat(progress.tier().code()).isEqualTo("gold");
        assertThat(progress.keep().by()).isEqualTo(graceEnd);
        assertThat(progress.keep().missing()).containsExactly(Map.of("spend", 30_000L));

        clock.set(Instant.parse("2033-01-20T15:00:00Z"));
        purchase(group, member, 30_000);

        var renewed = tier(group, member);
        assertThat(renewed.code()).isEqualTo("gold");
        assertThat(renewed.graceUntil()).isNull();
        assertThat(renewed.reviewAt()).isEqualTo(Instant.parse("2034-01-01T00:00:00Z"));
        assertThat(history(group, member)).extracting(TierChange::kind, TierChange::reason).containsExactly(
            tuple(Kind.UPGRADED, Reason.ACTIVITY), tuple(Kind.RENEWED, Reason.PERIOD_ENDED),
            tuple(Kind.GRACE_STARTED, Reason.PERIOD_ENDED), tuple(Kind.RENEWED, Reason.ACTIVITY));
        assertThat(outboxTypes(group, member)).containsExactly("tier.upgraded", "tier.renewed", "tier.grace-started",
            "tier.renewed");
    }

    @Test
    void aGracePeriodEndsInTheBetterOfTheTierTheReviewFoundAndTheOneEarnedSince() {
        configure(group, spendTiers(calendarYear(), 30, 10_000, 30_000));
        purchase(group, member, 30_000);
        clock.set(END_OF_2031.plus(Duration.ofDays(2)));
        purchase(group, member, 5_000);
        clock.set(END_OF_2032.plus(Duration.ofDays(5)));
        purchase(group, member, 12_000);

        clock.set(Instant.parse("2033-02-14T00:00:00Z"));
        var report = reviewNow(group);

        assertThat(report.downgraded()).isEqualTo(1);
        var graceEnd = Instant.parse("2033-01-31T00:00:00Z");
        assertThat(stored(group, member)).isEqualTo(new StoredTier(2, graceEnd, Instant.parse("2034-01-01T00:00:00Z"), null));
        assertThat(history(group, member)).extracting(TierChange::kind, TierChange::reason, change -> change.to().code(),
                TierChange::effectiveAt)
            .containsExactly(tuple(Kind.UPGRADED, Reason.ACTIVITY, "gold", MARCH_2031),
                tuple(Kind.RENEWED, Reason.PERIOD_ENDED, "gold", END_OF_2031),
                tuple(Kind.GRACE_STARTED, Reason.PERIOD_ENDED, "gold", END_OF_2032),
                tuple(Kind.DOWNGRADED, Reason.GRACE_ENDED, "silver", graceEnd));
    }

    @Test
    void aRollingWindowReviewsTheTierItsLengthAfterItWasReached() {
        configure(group, spendTiers(rollingMonths(12), 0, 10_000, 30_000));
        purchase(group, member, 20_000);
        clock.set(Instant.parse("2031-05-01T08:30:00Z"));
        purchase(group, member, 15_000);
        var review = Instant.parse("2032-05-01T08:30:00Z");
        assertThat(tier(group, member).reviewAt()).isEqualTo(review);
        clock.set(Instant.parse("2031-09-01T12:00:00Z"));
        purchase(group, member, 12_000);

        clock.set(review.minusSeconds(1));
        assertThat(tier(group, member).code()).isEqualTo("gold");
        clock.set(review);

        assertThat(tier(group, member).code()).as("of the last 12 months, only September's purchase counts")
            .isEqualTo("silver");
        assertThat(reviewNow(group).downgraded()).isEqualTo(1);
        assertThat(stored(group, member)).isEqualTo(new StoredTier(2, review, Instant.parse("2033-05-01T08:30:00Z"), null));
    }

    @Test
    void aSchemeSetUpOrChangedLaterPlacesMembersByTheirRecentActivity() {
        purchase(group, member, 25_000);
        var idle = fixtures.member(group);
        clock.set(Instant.parse("2031-04-01T00:00:00Z"));

        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));

        assertThat(tier(group, member).code()).as("placed at once as members see it").isEqualTo("silver");
        assertThat(stored(group, member).level()).isEqualTo(1);
        assertThat(reviewNow(group).upgraded()).isEqualTo(1);
        assertThat(stored(group, member)).isEqualTo(new StoredTier(2, clock.instant(), END_OF_2031, null));
        assertThat(stored(group, idle)).isNull();
        assertThat(tier(group, idle).code()).isEqualTo("bronze");

        clock.advance(Duration.ofDays(1));
        configure(group, spendTiers(calendarYear(), 0, 10_000, 20_000));
        assertThat(reviewNow(group).upgraded()).isEqualTo(1);

        assertThat(tier(group, member).code()).isEqualTo("gold");
        assertThat(history(group, member)).extracting(TierChange::reason).containsOnly(Reason.SCHEME_CHANGED);
    }

    @Test
    void progressTellsWhatIsMissingInEachWayToTheNextTierAndThatTheCurrentOneIsKept() {
        configure(group, new Settings(calendarYear(), ZoneOffset.UTC, 0, List.of(
            level("bronze", "Bronze", "1", null),
            level("silver", "Silver", "1.25", any(spend(10_000), orders(5))),
            level("gold", "Gold", "1.5", all(spend(30_000), orders(8))))));
        purchase(group, member, 2_000);
        purchase(group, member, 2_000);
        purchase(group, member, 2_000);

        var bronze = fixtures.as(group, () -> tiers.progress(member.id()));
        assertThat(bronze.tier().code()).isEqualTo("bronze");
        assertThat(bronze.counters()).isEqualTo(Map.of("spend", 6_000L, "orders", 3L, "points", 60L));
        assertThat(bronze.window().from()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(bronze.next().code()).isEqualTo("silver");
        assertThat(bronze.next().by()).isEqualTo(END_OF_2031);
        assertThat(bronze.next().missing()).containsExactlyInAnyOrder(Map.of("spend", 4_000L), Map.of("orders", 2L));
        assertThat(bronze.keep()).isNull();

        purchase(group, member, 5_000);
        var silver = fixtures.as(group, () -> tiers.progress(member.id()));

        assertThat(silver.tier().code()).isEqualTo("silver");
        assertThat(silver.tier().multiplier()).isEqualByComparingTo(new BigDecimal("1.25"));
        assertThat(silver.next().missing()).containsExactly(Map.of("spend", 19_000L, "orders", 4L));
        assertThat(silver.keep().met()).isTrue();
        assertThat(silver.keep().by()).isEqualTo(END_OF_2031);
    }

    @Test
    void customCountersFromIntegrationsCountOncePerReference() {
        configure(group, new Settings(calendarYear(), ZoneOffset.UTC, 0, List.of(
            level("guest", "Guest", "1", null),
            level("regular", "Regular", "1", any(counter("custom:nights", 3), spend(100_000))),
            level("ambassador", "Ambassador", "2", any(counter("custom:nights", 10), spend(500_000))))));

        fixtures.as(group, () -> tiers.recordActivity(member.id(), "custom:nights", 2, "stay-1"));
        assertThat(tier(group, member).code()).isEqualTo("guest");
        var after = fixtures.as(group, () -> tiers.recordActivity(member.id(), "custom:nights", 1, "stay-2"));

        assertThat(after).hasValueSatisfying(tier -> assertThat(tier.code()).isEqualTo("regular"));
        assertThatThrownBy(() -> fixtures.as(group, () -> tiers.recordActivity(member.id(), "custom:nights", 5, "stay-2")))
            .isInstanceOf(DuplicateActivity.class);
        assertThatThrownBy(() -> fixtures.as(group, () -> tiers.recordActivity(member.id(), Counters.SPEND, 5, "stay-3")))
            .isInstanceOf(InvalidRequest.class);
        assertThat(fixtures.as(group, () -> tiers.progress(member.id())).counters()).containsEntry("custom:nights", 3L);
    }

    @Test
    void reportsMadeAtOnceUpgradeTheMemberOnceTheirSumQualifies() throws Exception {
        configure(group, new Settings(calendarYear(), ZoneOffset.UTC, 0, List.of(
            level("guest", "Guest", "1", null),
            level("regular", "Regular", "1", counter("custom:nights", 5)),
            level("ambassador", "Ambassador", "2", counter("custom:nights", 50)))));
        var pool = Executors.newFixedThreadPool(8);
        try {
            var start = new CountDownLatch(1);
            var reports = new ArrayList<Future<?>>();
            for (int i = 0; i < 8; i++) {
                var reference = "stay-" + i;
                reports.add(pool.submit(() -> {
                    start.await();
                    return fixtures.as(group, () -> tiers.recordActivity(member.id(), "custom:nights", 1, reference));
                }));
            }
            start.countDown();
            for (var report : reports) {
                report.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tier(group, member).code()).isEqualTo("regular");
        assertThat(history(group, member)).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.UPGRADED);
            assertThat(change.counters().get("custom:nights")).isBetween(5L, 8L);
        });
        assertThat(stored(group, member).level()).isEqualTo(2);
    }

    @Test
    void programsWithoutTiersEarnTheBaseRateAndHaveNoTier() {
        assertThat(purchase(group, member, 50_000).pointsEarned()).isEqualTo(500);
        assertThat(fixtures.as(group, () -> tiers.tierOf(member.id()))).isEmpty();
        assertThat(fixtures.as(group, () -> tiers.multiplierFor(member.id()))).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(stored(group, member)).isNull();
    }
}
