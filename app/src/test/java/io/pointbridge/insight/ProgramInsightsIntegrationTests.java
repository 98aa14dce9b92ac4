package io.pointbridge.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.exchange.settlement.ProgramValues;
import io.pointbridge.reward.RewardFixtures;
import io.pointbridge.reward.RewardFixtures.Spec;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Exchange;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.MovableClock;
import io.pointbridge.testing.MovableTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Insights over a history seeded across days and months (the clock moved between them): every figure equals
 * what the journal holds, the liability reconciles with the wallets, and bad requests name their field.
 */
@Import(MovableTime.class)
class ProgramInsightsIntegrationTests extends IntegrationTest {

    @Autowired
    MovableClock clock;

    @Autowired
    Ledger ledger;

    @Autowired
    RewardFixtures rewards;

    @Autowired
    ProgramValues values;

    private Duration moved = Duration.ZERO;

    @AfterEach
    void restoreTheClock() {
        clock.advance(moved.negated());
    }

    @Test
    void reportsWhatTheJournalHoldsPerDayAndMonthAndReconcilesWithTheWallets() {
        var group = fixtures.group();
        var pos = api.withApiKey(group.cafe().apiKey());
        var person = fixtures.person(group, group.cafe(), group.cinema());
        var ann = person.get(0);
        var bob = fixtures.member(group);
        var voucher = rewards.reward(group, Spec.voucher(40));
        var coffee = rewards.reward(group, Spec.voucher(10));

        // Day 0, from noon UTC: issued 150 (earn 100, adjustment 50), reclaimed 20 (refund), redeemed 30 (spend).
        var day0 = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        move(Duration.between(clock.instant(), day0.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC)));
        assertThat(purchase(pos, ann, "order-1", "100.00").number("pointsEarned")).isEqualTo(100);
        fixtures.credit(group, bob, 50);
        assertThat(pos.post("/api/v1/members/" + ann.id() + "/spends", Map.of("points", 30)).status()).isEqualTo(201);
        assertThat(pos.post("/api/v1/members/" + ann.id() + "/purchases/order-1/refunds",
            Map.of("amount", "20.00", "currency", "EUR")).number("pointsReversed")).isEqualTo(20);

        // Day 1: redeemed 50 of which 40 returned (a cancelled redemption), reclaimed 5 (manual debit),
        // expired 7, exchanged out 20 (18 to the cinema's clearing, 2 fee; the cinema credits 12).
        move(Duration.ofDays(1));
        var cancelled = pos.post("/api/v1/members/" + bob.id() + "/redemptions", Map.of("rewardId", voucher.id()));
        assertThat(pos.post("/api/v1/members/" + bob.id() + "/redemptions/" + cancelled.text("id") + "/cancellation",
            Map.of()).status()).isEqualTo(200);
        assertThat(pos.post("/api/v1/members/" + bob.id() + "/redemptions", Map.of("rewardId", coffee.id())).status())
            .isEqualTo(201);
        debit(group, ann, 5, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT);
        debit(group, ann, 7, EntryKind.EXPIRY, AccountKind.BREAKAGE);
        fixtures.as(group, () -> ledger.exchange(new Exchange(ann.id(), person.get(1).id(), 20, 2, 12, null, true,
            "test-exchange", null, "test:insights")));

        // Day 41, a month later at least: issued 30.
        move(Duration.ofDays(40));
        purchase(pos, bob, "order-2", "30.00");
        fixtures.as(group, () -> values.set(group.cafe().program().id(), new BigDecimal("0.015"), "test:insights"));

        var days = insights(pos, group, "day", day0, day0.plusDays(2));
        assertThat(days.path("from").asString()).isEqualTo(day0.toString());
        assertThat(days.path("periods").size()).isEqualTo(2);
        assertFigures(days.path("periods").get(0), 150, 20, 30, 0, 0, 0, 0, 0, 100);
        assertThat(days.path("periods").get(0).path("redemptionRate").decimalValue()).isEqualByComparingTo("0.2308");
        assertFigures(days.path("periods").get(1), 0, 5, 50, 40, 7, 20, 0, 100, 58);
        assertThat(days.path("periods").get(1).has("redemptionRate")).as("nothing issued net").isFalse();
        assertFigures(days.path("totals"), 150, 25, 80, 40, 7, 20, 0, 0, 58);

        var months = insights(pos, group, "month", day0, day0.plusDays(42));
        var periods = months.path("periods");
        assertThat(LocalDate.parse(months.path("from").asString())).isEqualTo(day0.withDayOfMonth(1));
        assertThat(LocalDate.parse(periods.get(periods.size() - 1).path("end").asString()))
            .isEqualTo(day0.plusDays(41).withDayOfMonth(1).plusMonths(1));
        for (int i = 1; i < periods.size(); i++) {
            assertThat(periods.get(i).path("liabilityOpening").asLong()).as("opening of period %d", i)
                .isEqualTo(periods.get(i - 1).path("liabilityClosing").asLong());
        }
        assertFigures(months.path("totals"), 180, 25, 80, 40, 7, 20, 0, 0, 88);
        assertThat(balance(pos, ann) + balance(pos, bob)).as("the wallets now").isEqualTo(88);
        var value = months.path("totals").path("liabilityValue");
        assertThat(value.path("amount").decimalValue()).isEqualByComparingTo("1.32");
        assertThat(value.path("currency").asString()).isEqualTo("EUR");

        var cinema = insights(api.withApiKey(group.cinema().apiKey()), group.cinema().program().id().toString(), "week",
            day0, day0.plusDays(2));
        assertFigures(cinema.path("totals"), 0, 0, 0, 0, 0, 0, 12, 0, 12);
        assertThat(cinema.path("totals").has("liabilityValue")).as("no value set for cinema points").isFalse();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void coversTheCurrentPeriodAndTheElevenBeforeItByDefault() {
        var group = fixtures.group();
        var pos = api.withApiKey(group.cafe().apiKey());
        fixtures.credit(group, fixtures.member(group), 75);

        var report = pos.get("/api/v1/programs/" + group.cafe().program().id() + "/insights");

        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.text("period")).isEqualTo("MONTH");
        assertThat(report.json().path("periods").size()).isEqualTo(12);
        var current = report.json().path("periods").get(11);
        assertThat(LocalDate.parse(current.path("start").asString()))
            .isEqualTo(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1));
        assertThat(current.path("issued").asLong()).isEqualTo(75);
        assertThat(current.path("liabilityClosing").asLong()).isEqualTo(75);
    }

    @Test
    void refusesBadPeriodsWithTheirFieldAndOtherBrandsPrograms() {
        var group = fixtures.group();
        var pos = api.withApiKey(group.cafe().apiKey());
        var path = "/api/v1/programs/" + group.cafe().program().id() + "/insights";

        var cases = List.of(
            Map.entry(pos.get(path + "?period=year"), "period"),
            Map.entry(pos.get(path + "?from=2026-03-01&to=2026-02-01"), "to"),
            Map.entry(pos.get(path + "?period=day&from=2020-01-01&to=2026-01-01"), "to"),
            Map.entry(pos.get(path + "?from=yesterday"), "from"));
        var otherBrand = api.withApiKey(group.cinema().apiKey()).get(path);

        assertThat(cases).allSatisfy(entry -> {
            assertThat(entry.getKey().status()).as(entry.getKey().body()).isEqualTo(400);
            assertThat(entry.getKey().problemType()).isEqualTo("invalid-request");
            assertThat(entry.getKey().json().path("errors").findValuesAsString("field"))
                .containsExactly(entry.getValue());
        });
        assertThat(otherBrand.status()).isEqualTo(404);
        assertThat(otherBrand.problemType()).isEqualTo("program-not-found");
    }

    private static void assertFigures(JsonNode figures, long issued, long reclaimed, long redeemed, long returned,
            long expired, long exchangedOut, long exchangedIn, long opening, long closing) {
        var fields = List.of("issued", "reclaimed", "redeemed", "returned", "expired", "exchangedOut", "exchangedIn",
            "other", "liabilityOpening", "liabilityClosing");
        assertThat(fields.stream().map(field -> figures.path(field).asLong()).toList())
            .as("issued, reclaimed, redeemed, returned, expired, exchanged out and in, other, liability of %s", figures)
            .containsExactly(issued, reclaimed, redeemed, returned, expired, exchangedOut, exchangedIn, 0L, opening,
                closing);
        assertThat(closing - opening).as("the liability reconciles with the flows")
            .isEqualTo(issued - reclaimed - (redeemed - returned) - expired - (exchangedOut - exchangedIn));
    }

    private JsonNode insights(Api api, Group group, String period, LocalDate from, LocalDate to) {
        return insights(api, group.cafe().program().id().toString(), period, from, to);
    }

    private static JsonNode insights(Api api, String program, String period, LocalDate from, LocalDate to) {
        var report = api.get(
            "/api/v1/programs/" + program + "/insights?period=" + period + "&from=" + from + "&to=" + to);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        return report.json();
    }

    private void debit(Group group, Membership member, long points, EntryKind kind, AccountKind to) {
        fixtures.as(group, () -> ledger.debit(new Debit(member.id(), points, kind, to, null, "test", "test:insights",
            null, Shortfall.REFUSE)));
    }

    private static Response purchase(Api pos, Membership member, String order, String amount) {
        var purchase = pos.post("/api/v1/members/" + member.id() + "/purchases",
            Map.of("orderId", order, "amount", amount, "currency", "EUR"));
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(201);
        return purchase;
    }

    private static long balance(Api pos, Membership member) {
        return pos.get("/api/v1/members/" + member.id() + "/balance").number("balance");
    }

    private void move(Duration duration) {
        clock.advance(duration);
        moved = moved.plus(duration);
    }
}
