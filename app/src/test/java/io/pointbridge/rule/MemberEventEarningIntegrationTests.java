package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.outcome;
import static io.pointbridge.rule.RulesApi.rule;
import static io.pointbridge.rule.RulesApi.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Members earn by the rules for what integrations report (reviews, surveys, custom events) and for enrolling:
 * caps per period, the rule version in force when the event occurred, and refusals of bad reports.
 */
class MemberEventEarningIntegrationTests extends IntegrationTest {

    private Group group;
    private RulesApi rules;
    private Api pos;

    private void newProgram() {
        group = fixtures.organization(RulesApi.DEMO_GROUP);
        rules = new RulesApi(api, group.cafe().program().id());
        pos = api.withApiKey(group.cafe().apiKey());
    }

    private Response report(UUID member, Map<String, ?> event) {
        return pos.post("/api/v1/members/" + member + "/events", event);
    }

    private static Map<String, Object> event(String type, Object... settings) {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", type);
        for (int i = 0; i < settings.length; i += 2) {
            event.put((String) settings[i], settings[i + 1]);
        }
        return event;
    }

    /** Noon of the day in UTC, the program's time zone. */
    private static Instant noon(LocalDate day) {
        return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    static Stream<Arguments> capsWithinAPeriod() {
        return Stream.of(
            arguments("DAY", Map.of("period", "DAY", "maxPoints", 100), List.of(40L, 40L, 20L, 0L)),
            arguments("WEEK", Map.of("period", "WEEK", "maxTimes", 2), List.of(40L, 40L, 0L)),
            arguments("MONTH", Map.of("period", "MONTH", "maxPoints", 60, "maxTimes", 5), List.of(40L, 20L, 0L)),
            arguments("LIFETIME", Map.of("period", "LIFETIME", "maxTimes", 1), List.of(40L, 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capsWithinAPeriod")
    void aCapLimitsWhatAMemberEarnsFromARuleWithinAPeriod(String period, Map<String, Object> cap,
            List<Long> expectedPoints) {
        newProgram();
        rules.publish(with(rule("Check-in", "custom.check-in", null, fixed(40)), "cap", cap));
        var member = fixtures.member(group);
        var other = fixtures.member(group);

        var earned = new ArrayList<Long>();
        for (int i = 0; i < expectedPoints.size(); i++) {
            var response = report(member.id(), event("custom.check-in"));
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            earned.add(response.number("pointsEarned"));
        }
        var otherMember = report(other.id(), event("custom.check-in"));

        assertThat(earned).isEqualTo(expectedPoints);
        assertThat(otherMember.number("pointsEarned")).as("caps are per member").isEqualTo(40);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    /**
     * Events reported late, from days before the rule existed, earn nothing live (no rule was in force then);
     * a backtest replays them as if the rule had been, which shows where each period starts.
     */
    static Stream<Arguments> capPeriods() {
        Function<Integer, LocalDate> daysAgo = days -> LocalDate.now(ZoneOffset.UTC).minusDays(days);
        var monday = LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            .minusWeeks(1);
        var firstOfMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return Stream.of(
            arguments("DAY", Map.of("period", "DAY", "maxPoints", 100),
                List.of(noon(daysAgo.apply(2)), noon(daysAgo.apply(2)).plusSeconds(60),
                    noon(daysAgo.apply(2)).plusSeconds(120), noon(daysAgo.apply(2)).plusSeconds(180),
                    noon(daysAgo.apply(1))),
                "40 + 40 + 20 + 0, then 40 the next day", 4, 140),
            arguments("WEEK", Map.of("period", "WEEK", "maxTimes", 2),
                List.of(noon(monday.minusDays(1)), noon(monday), noon(monday.plusDays(1)), noon(monday.plusDays(6))),
                "40 on a Sunday, then 40 + 40 + 0 in the week from Monday", 3, 120),
            arguments("MONTH", Map.of("period", "MONTH", "maxPoints", 60),
                List.of(noon(LocalDate.ofInstant(firstOfMonth, ZoneOffset.UTC).minusDays(1)), firstOfMonth,
                    firstOfMonth.plusSeconds(1), firstOfMonth.plusSeconds(2)),
                "40 on the last day of a month, then 40 + 20 + 0 in the next", 3, 100),
            arguments("LIFETIME", Map.of("period", "LIFETIME", "maxTimes", 1),
                List.of(noon(daysAgo.apply(20)), noon(daysAgo.apply(1))),
                "40 once, ever", 1, 40));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("capPeriods")
    void aCapStartsAfreshEachPeriodInTheProgramsCalendar(String period, Map<String, Object> cap,
            List<Instant> occurredAt, String expectation, int awards, long points) {
        newProgram();
        var member = fixtures.member(group);
        for (var at : occurredAt) {
            var response = report(member.id(), event("custom.check-in", "occurredAt", at.toString()));
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            assertThat(response.number("pointsEarned")).isZero();
        }
        var ruleId = rules.draft(with(rule("Check-in", "custom.check-in", null, fixed(40)), "cap", cap));

        var replayed = rules.backtest(occurredAt.getFirst().minusSeconds(3600), Instant.now().plusSeconds(60))
            .path("draft").path("byRule").get(0);

        assertThat(replayed.path("ruleId").asString()).isEqualTo(ruleId.toString());
        assertThat(replayed.path("awards").asInt()).isEqualTo(awards);
        assertThat(replayed.path("points").asLong()).isEqualTo(points);
    }

    @Test
    void explainsACapCutAndACapReached() {
        newProgram();
        var ruleId = rules.publish(with(rule("Check-in", "custom.check-in", null, fixed(40)),
            "cap", Map.of("period", "DAY", "maxPoints", 50)));
        var member = fixtures.member(group);
        report(member.id(), event("custom.check-in"));

        var cut = report(member.id(), event("custom.check-in"));
        var reached = outcome(rules.dryRun(Map.of("event", event("custom.check-in"),
            "member", Map.of("memberId", member.id()))), "Check-in");

        assertThat(cut.number("pointsEarned")).isEqualTo(10);
        assertThat(cut.json().path("awards").get(0).path("ruleId").asString()).isEqualTo(ruleId.toString());
        assertThat(cut.json().path("awards").get(0).path("note").asString())
            .isEqualTo("cut from 40 to the 50 points it gives per day");
        assertThat(reached.path("outcome").asString()).isEqualTo("CAP_REACHED");
        assertThat(reached.path("reason").asString()).isEqualTo("the member has had 50 of its 50 points this day");
    }

    @Test
    void aReportedEventEarnsByItsRulesAndShowsInTheHistory() {
        newProgram();
        var ruleId = rules.publish(rule("Good review", "review", "event.attributes.rating >= 4", fixed(25)));
        var member = fixtures.member(group);

        var good = report(member.id(), event("review", "reference", "review-1", "attributes", Map.of("rating", 5,
            "text", "Lovely cake", "tags", List.of("food", "service"))));
        var poor = report(member.id(), event("review", "reference", "review-2", "attributes", Map.of("rating", 2)));

        assertThat(good.status()).as(good.body()).isEqualTo(201);
        assertThat(good.number("pointsEarned")).isEqualTo(25);
        assertThat(good.number("balanceAfter")).isEqualTo(25);
        assertThat(good.json().path("awards").get(0).path("ruleId").asString()).isEqualTo(ruleId.toString());
        assertThat(poor.status()).as(poor.body()).isEqualTo(201);
        assertThat(poor.number("pointsEarned")).isZero();
        assertThat(poor.json().has("entryId")).isFalse();
        assertThat(poor.number("balanceAfter")).isEqualTo(25);
        var history = pos.get("/api/v1/members/" + member.id() + "/history").json().path("items");
        assertThat(history.size()).isEqualTo(1);
        assertThat(history.get(0).path("kind").asString()).isEqualTo("EARN");
        assertThat(history.get(0).path("reference").asString()).isEqualTo("review:review-1");
        assertThat(history.get(0).path("entryId").asString()).isEqualTo(good.text("entryId"));
    }

    @Test
    void anEventEarnsByTheRuleVersionInForceWhenItOccurred() {
        newProgram();
        var ruleId = rules.publish(rule("Survey", "survey-answered", null, fixed(10)));
        var underVersionOne = Instant.now();
        rules.change(ruleId, rule("Survey", "survey-answered", null, fixed(30)));
        rules.publish();
        var member = fixtures.member(group);

        var late = report(member.id(), event("survey-answered", "occurredAt", underVersionOne.toString()));
        var current = report(member.id(), event("survey-answered"));
        var beforeAnyRule = report(member.id(), event("survey-answered", "occurredAt",
            underVersionOne.minus(1, ChronoUnit.HOURS).toString()));

        assertThat(late.number("pointsEarned")).isEqualTo(10);
        assertThat(late.json().path("awards").get(0).path("version").asInt()).isEqualTo(1);
        assertThat(current.number("pointsEarned")).isEqualTo(30);
        assertThat(current.json().path("awards").get(0).path("version").asInt()).isEqualTo(2);
        assertThat(beforeAnyRule.number("pointsEarned")).isZero();
    }

    @Test
    void enrollingEarnsTheRegistrationRules() {
        newProgram();
        rules.publish(rule("Welcome", "registration", null, fixed(100)));

        var enrolled = pos.post("/api/v1/members", Map.of("externalId", "newcomer-" + UUID.randomUUID()));
        var balance = pos.get("/api/v1/members/" + enrolled.text("id") + "/balance");

        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        assertThat(balance.number("balance")).isEqualTo(100);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void recordsAnEventWithAReferenceOnceAndReplaysARetry() {
        newProgram();
        rules.publish(rule("Profile", "profile-completed", null, fixed(50)));
        var member = fixtures.member(group);
        var body = event("profile-completed", "reference", "profile-of-" + member.id());

        var first = pos.post("/api/v1/members/" + member.id() + "/events", body, "profile-key-1");
        var retry = pos.post("/api/v1/members/" + member.id() + "/events", body, "profile-key-1");
        var again = pos.post("/api/v1/members/" + member.id() + "/events", body, "profile-key-2");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("duplicate-event");
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance")).isEqualTo(50);
    }

    static Stream<Arguments> badReports() {
        return Stream.of(
            arguments("a purchase, which has its own endpoint", event("purchase"), "type"),
            arguments("an enrolment", event("registration"), "type"),
            arguments("an unknown type", event("reveiw"), "type"),
            arguments("a custom type without its prefix", event("app-download"), "type"),
            arguments("an event from the future", event("review", "occurredAt",
                Instant.now().plus(1, ChronoUnit.HOURS).toString()), "occurredAt"),
            arguments("an event reported too late", event("review", "occurredAt",
                Instant.now().minus(46, ChronoUnit.DAYS).toString()), "occurredAt"),
            arguments("a nested attribute", event("review", "attributes", Map.of("author", Map.of("name", "Ann"))),
                "attributes.author"),
            arguments("an attribute name with a dot", event("review", "attributes", Map.of("a.b", 1)),
                "attributes.a.b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReports")
    void refusesABadReportAndEarnsNothing(String description, Map<String, Object> body, String field) {
        newProgram();
        rules.publish(rule("Anything", "review", null, fixed(5)));
        var member = fixtures.member(group);

        var response = report(member.id(), body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("invalid-request");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo(field);
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance")).isZero();
    }

    @Test
    void anotherBrandsIntegrationCannotReportForTheMember() {
        newProgram();
        var member = fixtures.member(group);

        var response = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members/" + member.id() + "/events",
            event("review"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.problemType()).isEqualTo("member-not-found");
    }
}
