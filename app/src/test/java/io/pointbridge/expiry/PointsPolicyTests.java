package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.tenant.tenancy.PointsPolicy.ExpiryKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** When points become spendable and expire under a program's policy, and which policies are refused. */
class PointsPolicyTests {

    private static final Instant EARNED = Instant.parse("2026-03-10T15:30:00Z");

    @Test
    void pendingPointsBecomeSpendableThatManyDaysAfterEarning() {
        var policy = new PointsPolicy(14, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(12), null);

        var terms = policy.termsFor(EARNED);

        assertThat(terms.availableAt()).isEqualTo(Instant.parse("2026-03-24T15:30:00Z"));
        assertThat(terms.expiresAt()).isEqualTo(Instant.parse("2027-03-10T15:30:00Z"));
    }

    @Test
    void pointsWithoutExpiryNeverExpire() {
        assertThat(PointsPolicy.standard(null).termsFor(EARNED).expiresAt()).isNull();
        assertThat(PointsPolicy.standard(null).termsFor(EARNED).availableAt()).isEqualTo(EARNED);
    }

    @Test
    void rollingExpiryKeepsTheDayOfMonthOrTheMonthsLastDay() {
        var expiry = Expiry.rolling(1);

        assertThat(expiry.expiresAt(Instant.parse("2026-01-31T10:00:00Z"), Instant.parse("2026-01-31T10:00:00Z")))
            .isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
    }

    @Test
    void anAnnualDateExpiresPointsAtTheEndOfThatDayInTheProgramsZone() {
        var expiry = Expiry.fixedDates(List.of("12-31"), 0, "Europe/Berlin");

        assertThat(expiry.expiresAt(EARNED, EARNED)).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        var lateOnTheDay = Instant.parse("2026-12-31T22:30:00Z");
        assertThat(expiry.expiresAt(lateOnTheDay, lateOnTheDay)).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        var justAfter = Instant.parse("2026-12-31T23:00:00Z");
        assertThat(expiry.expiresAt(justAfter, justAfter)).isEqualTo(Instant.parse("2027-12-31T23:00:00Z"));
    }

    @Test
    void aMinimumHoldingPeriodPushesExpiryToTheFirstDateAfterIt() {
        var expiry = Expiry.fixedDates(List.of("12-31"), 12, "UTC");

        assertThat(expiry.expiresAt(EARNED, EARNED)).isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
    }

    @Test
    void theFirstOfSeveralDatesAfterEarningWins() {
        var expiry = Expiry.fixedDates(List.of("12-31", "06-30", "2026-04-15"), 0, "UTC");

        assertThat(expiry.expiresAt(EARNED, EARNED)).isEqualTo(Instant.parse("2026-04-16T00:00:00Z"));
        var may = Instant.parse("2026-05-01T00:00:00Z");
        assertThat(expiry.expiresAt(may, may)).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    }

    @Test
    void pendingPointsExpireOnTheFirstDateAfterTheyBecomeSpendable() {
        var policy = new PointsPolicy(30, ClawbackPolicy.PARTIAL, 0,
            Expiry.fixedDates(List.of("03-31"), 0, "UTC"), null);

        var terms = policy.termsFor(EARNED);

        assertThat(terms.availableAt()).isEqualTo(Instant.parse("2026-04-09T15:30:00Z"));
        assertThat(terms.expiresAt()).isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
    }

    @Test
    void pointsEarnedAfterTheLastDatedDayNeverExpire() {
        var expiry = Expiry.fixedDates(List.of("2026-01-31"), 0, "UTC");

        assertThat(expiry.expiresAt(EARNED, EARNED)).isNull();
    }

    @Test
    void onlyNegativeAllowedHasADebtAllowance() {
        assertThat(new PointsPolicy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 250, Expiry.none(), null).debtAllowance())
            .isEqualTo(250);
        assertThat(PointsPolicy.standard(12).debtAllowance()).isZero();
    }

    @Test
    void refusesPoliciesThatCannotWorkNamingTheField() {
        var refusals = Map.<String, ThrowingCallable>of(
            "pendingDays", () -> new PointsPolicy(366, ClawbackPolicy.PARTIAL, 0, Expiry.none(), null),
            "debtLimit", () -> new PointsPolicy(0, ClawbackPolicy.PARTIAL, 10, Expiry.none(), null),
            "expiryReminderDays", () -> new PointsPolicy(0, ClawbackPolicy.PARTIAL, 0, Expiry.none(), 30),
            "expiry.months", () -> Expiry.rolling(0),
            "expiry.dates[1]", () -> Expiry.fixedDates(List.of("12-31", "02-29"), 0, "UTC"),
            "expiry.dates[0]", () -> Expiry.fixedDates(List.of("2026-02-30"), 0, "UTC"),
            "expiry.zone", () -> Expiry.fixedDates(List.of("12-31"), 0, "Mars/Olympus"),
            "expiry.dates", () -> new Expiry(ExpiryKind.ROLLING, 12, List.of("12-31"), null, null));
        refusals.forEach((field, policy) -> assertThatThrownBy(policy).as(field)
            .isInstanceOfSatisfying(InvalidRequest.class, refused -> assertThat(fields(refused)).containsExactly(field)));
        assertThatThrownBy(() -> new PointsPolicy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 0, Expiry.none(), null))
            .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("debtLimit:");
    }

    @Test
    void refusesPendingAsLongAsRollingExpiryForPointsWouldExpireUnspendable() {
        assertThat(new PointsPolicy(27, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(1), null).pendingDays()).isEqualTo(27);
        assertThatThrownBy(() -> new PointsPolicy(28, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(1), null))
            .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("pendingDays:");
    }

    private static List<Object> fields(InvalidRequest refused) {
        return ((List<?>) refused.properties().get("errors")).stream().map(error -> ((Map<?, ?>) error).get("field"))
            .map(Object.class::cast).toList();
    }
}
