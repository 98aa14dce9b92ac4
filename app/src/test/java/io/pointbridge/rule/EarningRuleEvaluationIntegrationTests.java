package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.bonus;
import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.line;
import static io.pointbridge.rule.RulesApi.lines;
import static io.pointbridge.rule.RulesApi.multiplier;
import static io.pointbridge.rule.RulesApi.outcome;
import static io.pointbridge.rule.RulesApi.perAmount;
import static io.pointbridge.rule.RulesApi.purchase;
import static io.pointbridge.rule.RulesApi.rule;
import static io.pointbridge.rule.RulesApi.with;
import static io.pointbridge.rule.RulesApi.withLineFilter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.pointbridge.testing.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * How rules decide and compute, explained by dry runs of the draft set: a case per condition kind and per
 * action kind, then stacking, priority and exclusion. Programs earn 1 point per EUR 1.00 at the base rate.
 */
class EarningRuleEvaluationIntegrationTests extends IntegrationTest {

    private RulesApi rulesOfANewProgram(String timeZone) {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var rules = new RulesApi(api, group.cafe().program().id());
        rules.timeZone(timeZone);
        return rules;
    }

    static Stream<Arguments> conditionKinds() {
        return Stream.of(
            arguments("amount", "purchase", "event.amount > 1000",
                purchase("1000.01"), purchase("1000.00")),
            arguments("category", "purchase", "'books' in event.categories",
                purchase("20.00", "lines", lines(line("b-1", "books", "12.00"), line("p-1", "pens", "8.00"))),
                purchase("20.00", "lines", lines(line("p-1", "pens", "20.00")))),
            arguments("SKU", "purchase", "'latte' in event.skus",
                purchase("4.50", "lines", lines(line("latte", "drinks", "4.50"))),
                purchase("4.50", "lines", lines(line("mocha", "drinks", "4.50")))),
            arguments("a line's category and amount", "purchase",
                "event.lines.exists(l, l.category == 'food' && l.amount >= 5)",
                purchase("9.00", "lines", lines(line("cake", "food", "5.00"), line("tea", "drinks", "4.00"))),
                purchase("9.00", "lines", lines(line("cookie", "food", "4.99"), line("tea", "drinks", "4.01")))),
            arguments("channel", "purchase", "event.channel == 'app'",
                purchase("10.00", "channel", "app"), purchase("10.00", "channel", "web")),
            arguments("store", "purchase", "event.store in ['paris-1', 'paris-2']",
                purchase("10.00", "store", "paris-2"), purchase("10.00", "store", "lyon-1")),
            arguments("date, in the program's time zone", "purchase",
                "event.date >= '2026-12-24' && event.date <= '2026-12-26'",
                purchase("10.00", "occurredAt", "2026-12-23T23:30:00Z"),
                purchase("10.00", "occurredAt", "2026-12-23T22:30:00Z")),
            arguments("weekday", "purchase", "event.weekday in ['SATURDAY', 'SUNDAY']",
                purchase("10.00", "occurredAt", "2026-11-28T10:00:00Z"),
                purchase("10.00", "occurredAt", "2026-11-27T10:00:00Z")),
            arguments("hour of the day", "purchase", "event.hour < 10",
                purchase("10.00", "occurredAt", "2026-11-27T08:30:00Z"),
                purchase("10.00", "occurredAt", "2026-11-27T09:30:00Z")),
            arguments("first order", "purchase", "event.firstOrder",
                purchase("10.00", "firstOrder", true), purchase("10.00", "firstOrder", false)),
            arguments("attribute of a reported event", "review",
                "has(event.attributes.rating) && event.attributes.rating >= 4",
                Map.of("type", "review", "attributes", Map.of("rating", 5)),
                Map.of("type", "review", "attributes", Map.of("rating", 3))),
            arguments("custom event type", "custom.app-download", "event.attributes.platform == 'ios'",
                Map.of("type", "custom.app-download", "attributes", Map.of("platform", "ios")),
                Map.of("type", "custom.app-download", "attributes", Map.of("platform", "android"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionKinds")
    void aConditionOnTheEventDecidesWhetherTheRuleAwards(String kind, String eventType, String condition,
            Map<String, Object> matching, Map<String, Object> other) {
        var rules = rulesOfANewProgram("Europe/Paris");
        rules.draft(rule("By " + kind, eventType, condition, fixed(10)));

        var awarded = outcome(rules.dryRunDraft(matching), "By " + kind);
        var notAwarded = outcome(rules.dryRunDraft(other), "By " + kind);

        assertThat(awarded.path("outcome").asString()).as(awarded.toString()).isEqualTo("AWARDED");
        assertThat(awarded.path("points").asLong()).isEqualTo(10);
        assertThat(notAwarded.path("outcome").asString()).as(notAwarded.toString()).isEqualTo("CONDITION_FALSE");
        assertThat(notAwarded.path("points").asLong()).isZero();
        assertThat(notAwarded.path("reason").asString()).isEqualTo("its condition is false");
    }

    static Stream<Arguments> memberConditions() {
        return Stream.of(
            arguments("tier", "member.tier == 'gold'", Map.of("tier", "gold"), Map.of("tier", "silver")),
            arguments("tags", "'vip' in member.tags", Map.of("tags", new String[] {"vip", "staff"}), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memberConditions")
    void aConditionOnTheMemberDecidesWhetherTheRuleAwards(String kind, String condition, Map<String, Object> matching,
            Map<String, Object> other) {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("By " + kind, "purchase", condition, fixed(10)));

        var awarded = outcome(rules.dryRun(Map.of("event", purchase("10.00"), "member", matching, "ruleSet", "DRAFT")),
            "By " + kind);
        var notAwarded = outcome(rules.dryRun(Map.of("event", purchase("10.00"), "member", other, "ruleSet", "DRAFT")),
            "By " + kind);

        assertThat(awarded.path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(notAwarded.path("outcome").asString()).isEqualTo("CONDITION_FALSE");
    }

    static Stream<Arguments> actionKinds() {
        var mixedBasket = lines(line("cake", "food", "10.00"), line("tea", "drinks", "5.50"),
            line("bun", "food", "2.25"));
        return Stream.of(
            arguments("5 points per EUR 1.00 of 23.90", perAmount(5, "1.00"), purchase("23.90"), 23, 119),
            arguments("3 points per EUR 2.50 of 23.90, rounded down", perAmount(3, "2.50"), purchase("23.90"), 23, 28),
            arguments("5 points per EUR 1.00 of the food lines (12.25)", withLineFilter(perAmount(5, "1.00"),
                "line.category == 'food'"), purchase("17.75", "lines", mixedBasket), 17, 61),
            arguments("fixed 50 points", fixed(50), purchase("23.90"), 23, 50),
            arguments("double the base rate's 23 points", multiplier("2"), purchase("23.90"), 23, 23),
            arguments("1.5 times the base rate's 23 points, rounded down", multiplier("1.5"), purchase("23.90"),
                23, 11),
            arguments("triple the base rate on the food lines (12 points)", withLineFilter(multiplier("3"),
                "line.category == 'food'"), purchase("17.75", "lines", mixedBasket), 17, 24),
            arguments("10 % bonus on the base rate's 23 points, rounded down", bonus("10"), purchase("23.90"), 23, 2),
            arguments("25 % bonus on the base rate's 100 points", bonus("25"), purchase("100.00"), 100, 25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actionKinds")
    void anActionComputesItsPoints(String description, Map<String, Object> action, Map<String, Object> event,
            long basePoints, long rulePoints) {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("Action", "purchase", null, action));

        var explanation = rules.dryRunDraft(event);

        assertThat(explanation.path("basePoints").asLong()).isEqualTo(basePoints);
        assertThat(outcome(explanation, "Action").path("points").asLong()).as(explanation.toString())
            .isEqualTo(rulePoints);
        assertThat(explanation.path("totalPoints").asLong()).isEqualTo(basePoints + rulePoints);
    }

    @Test
    void aLineFilterThatKeepsNoLineAwardsNothingAndSaysSo() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("Books", "purchase", null, withLineFilter(perAmount(5, "1.00"), "line.category == 'books'")));

        var books = outcome(rules.dryRunDraft(purchase("4.00", "lines", lines(line("tea", "drinks", "4.00")))),
            "Books");

        assertThat(books.path("outcome").asString()).isEqualTo("NOTHING_TO_AWARD");
        assertThat(books.path("reason").asString()).isEqualTo("no line of the purchase passes its line filter");
    }

    @Test
    void stacksRulesThatDoNotExcludeEachOther() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(with(rule("Ten", "purchase", null, fixed(10)), "priority", 100));
        rules.draft(with(rule("Twenty", "purchase", null, fixed(20)), "priority", 200));

        var explanation = rules.dryRunDraft(purchase("5.00"));

        assertThat(explanation.path("rules").valueStream().map(rule -> rule.path("name").asString()))
            .as("evaluated in priority order").containsExactly("Ten", "Twenty");
        assertThat(explanation.path("rules").valueStream().map(rule -> rule.path("outcome").asString()))
            .containsOnly("AWARDED");
        assertThat(explanation.path("totalPoints").asLong()).isEqualTo(5 + 10 + 20);
    }

    @Test
    void anExclusiveRuleThatAwardsExcludesEveryLaterRuleButNotEarlierOnes() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(with(rule("Earlier", "purchase", null, fixed(5)), "priority", 10));
        var exclusive = rules.draft(with(rule("Exclusive", "purchase", "event.amount >= 50", fixed(100)),
            "priority", 50, "exclusive", true));
        rules.draft(with(rule("Later", "purchase", null, fixed(10)), "priority", 100));
        rules.draft(with(rule("Later bonus", "purchase", null, bonus("50")), "priority", 200));

        var big = rules.dryRunDraft(purchase("50.00"));
        var small = rules.dryRunDraft(purchase("49.00"));

        assertThat(outcome(big, "Earlier").path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(outcome(big, "Exclusive").path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(Stream.of("Later", "Later bonus").map(name -> outcome(big, name))).allSatisfy(excluded -> {
            assertThat(excluded.path("outcome").asString()).isEqualTo("EXCLUDED");
            assertThat(excluded.path("excludedBy").asString()).isEqualTo(exclusive.toString());
            assertThat(excluded.path("reason").asString())
                .isEqualTo("exclusive rule 'Exclusive' (priority 50) awarded points first");
        });
        assertThat(big.path("totalPoints").asLong()).isEqualTo(50 + 5 + 100);
        assertThat(outcome(small, "Exclusive").path("outcome").asString())
            .as("an exclusive rule that awards nothing excludes nothing").isEqualTo("CONDITION_FALSE");
        assertThat(outcome(small, "Later").path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(outcome(small, "Later bonus").path("points").asLong()).as("50 %% of 49 + 5 + 10").isEqualTo(32);
    }

    @Test
    void onlyTheFirstRuleOfAnExclusionGroupToAwardPointsApplies() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(with(rule("Gold welcome", "purchase", "member.tier == 'gold'", fixed(30)),
            "priority", 10, "exclusionGroup", "welcome"));
        var first = rules.draft(with(rule("Big basket welcome", "purchase", "event.amount > 20", fixed(20)),
            "priority", 20, "exclusionGroup", "welcome"));
        rules.draft(with(rule("Any welcome", "purchase", null, fixed(10)),
            "priority", 30, "exclusionGroup", "welcome"));
        rules.draft(with(rule("Outside the group", "purchase", null, fixed(1)), "priority", 40));

        var explanation = rules.dryRunDraft(purchase("25.00"));

        assertThat(outcome(explanation, "Gold welcome").path("outcome").asString()).isEqualTo("CONDITION_FALSE");
        assertThat(outcome(explanation, "Big basket welcome").path("outcome").asString()).isEqualTo("AWARDED");
        var excluded = outcome(explanation, "Any welcome");
        assertThat(excluded.path("outcome").asString()).isEqualTo("EXCLUDED");
        assertThat(excluded.path("excludedBy").asString()).isEqualTo(first.toString());
        assertThat(excluded.path("reason").asString())
            .isEqualTo("rule 'Big basket welcome' of exclusion group 'welcome' awarded points first");
        assertThat(outcome(explanation, "Outside the group").path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(explanation.path("totalPoints").asLong()).isEqualTo(25 + 20 + 1);
    }

    @Test
    void aBonusCountsTheBaseRateAndTheRulesBeforeItOnly() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(with(rule("Before", "purchase", null, fixed(50)), "priority", 10));
        rules.draft(with(rule("Bonus", "purchase", null, bonus("10")), "priority", 20));
        rules.draft(with(rule("After", "purchase", null, fixed(30)), "priority", 30));

        var explanation = rules.dryRunDraft(purchase("100.00"));

        assertThat(outcome(explanation, "Bonus").path("points").asLong()).as("10 %% of 100 + 50").isEqualTo(15);
        assertThat(explanation.path("totalPoints").asLong()).isEqualTo(100 + 50 + 15 + 30);
    }

    @Test
    void aRuleAwardsNothingOutsideItsCampaignWindow() {
        var rules = rulesOfANewProgram("UTC");
        var start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        rules.draft(with(rule("Next week", "purchase", null, fixed(10)),
            "validFrom", start.toString(), "validTo", start.plus(7, ChronoUnit.DAYS).toString()));

        var now = outcome(rules.dryRunDraft(purchase("10.00")), "Next week");
        var during = outcome(rules.dryRunDraft(purchase("10.00", "occurredAt", start.plusSeconds(3600).toString())),
            "Next week");
        var after = outcome(rules.dryRunDraft(purchase("10.00", "occurredAt",
            start.plus(7, ChronoUnit.DAYS).toString())), "Next week");

        assertThat(now.path("outcome").asString()).isEqualTo("NOT_EFFECTIVE");
        assertThat(now.path("reason").asString()).startsWith("its campaign runs from " + start);
        assertThat(during.path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(after.path("outcome").asString()).as("the end is exclusive").isEqualTo("NOT_EFFECTIVE");
    }

    @Test
    void aConditionThatCannotBeEvaluatedAwardsNothingAndSaysWhy() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("Good review", "review", "event.attributes.rating >= 4", fixed(10)));

        var review = outcome(rules.dryRunDraft(Map.of("type", "review", "attributes", Map.of("text", "nice"))),
            "Good review");

        assertThat(review.path("outcome").asString()).isEqualTo("CONDITION_FAILED");
        assertThat(review.path("reason").asString()).startsWith("its expression could not be evaluated")
            .contains("rating");
    }

    @Test
    void onlyTheRulesOfTheEventsTypeAreEvaluatedAndAFirstOrderIsAPurchaseToo() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("Purchase", "purchase", null, fixed(1)));
        rules.draft(rule("First order", "first-order", null, fixed(100)));
        rules.draft(rule("Review", "review", null, fixed(5)));

        JsonNode repeat = rules.dryRunDraft(purchase("10.00"));
        JsonNode first = rules.dryRunDraft(purchase("10.00", "firstOrder", true));
        JsonNode review = rules.dryRunDraft(Map.of("type", "review"));

        assertThat(repeat.path("rules").valueStream().map(rule -> rule.path("name").asString()))
            .containsExactly("Purchase");
        assertThat(first.path("rules").valueStream().map(rule -> rule.path("name").asString()))
            .containsExactlyInAnyOrder("Purchase", "First order");
        assertThat(first.path("totalPoints").asLong()).isEqualTo(10 + 1 + 100);
        assertThat(review.path("basePoints").asLong()).as("only purchases earn at the base rate").isZero();
        assertThat(review.path("totalPoints").asLong()).isEqualTo(5);
    }

    @Test
    void aDryRunOfThePublishedSetSeesDraftsOnlyOnceTheyArePublished() {
        var rules = rulesOfANewProgram("UTC");
        rules.draft(rule("Soon", "purchase", null, fixed(10)));

        var before = rules.dryRun(Map.of("event", purchase("10.00")));
        rules.publish();
        var after = rules.dryRun(Map.of("event", purchase("10.00")));

        assertThat(before.path("ruleSet").asString()).isEqualTo("PUBLISHED");
        assertThat(before.path("rules").isEmpty()).isTrue();
        assertThat(before.path("totalPoints").asLong()).isEqualTo(10);
        assertThat(outcome(after, "Soon").path("outcome").asString()).isEqualTo("AWARDED");
        assertThat(after.path("totalPoints").asLong()).isEqualTo(20);
    }
}
