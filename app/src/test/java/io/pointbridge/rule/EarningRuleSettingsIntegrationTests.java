package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.multiplier;
import static io.pointbridge.rule.RulesApi.perAmount;
import static io.pointbridge.rule.RulesApi.rule;
import static io.pointbridge.rule.RulesApi.with;
import static io.pointbridge.rule.RulesApi.withLineFilter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule settings are checked when saved: invalid expressions point at the mistake, conflicting or negative
 * settings are refused with their own problem type, and a refused change saves nothing. Accepted changes
 * are versioned and audited.
 */
class EarningRuleSettingsIntegrationTests extends IntegrationTest {

    private RulesApi rulesOfANewProgram() {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        return new RulesApi(api, group.cafe().program().id());
    }

    static Stream<Arguments> invalidExpressions() {
        return Stream.of(
            arguments("a syntax error", "condition", "event.amount >", 1, 15, "mismatched input"),
            arguments("a misspelt field on the second line", "condition", "event.amount > 10 &&\n  event.amout < 50",
                2, 8,
                "undefined field 'amout'"),
            arguments("an unknown variable", "condition", "customer.tier == 'gold'", 1, 1,
                "undeclared reference to 'customer'"),
            arguments("a condition that is not true or false", "condition", "event.amount * 2.0", 1, 14,
                "expected type 'bool' but found 'double'"),
            arguments("a comparison of a text with a number", "condition", "event.channel > 3", 1, 15,
                "found no matching overload for '_>_'"),
            arguments("a line filter reading an unknown line field", "action.lineFilter", "line.colour == 'red'", 1, 5,
                "undefined field 'colour'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExpressions")
    void refusesAnInvalidExpressionPointingAtTheMistake(String description, String field, String expression, int line,
            int column, String message) throws SQLException {
        var rules = rulesOfANewProgram();
        var body = field.equals("condition") ? rule("Broken", "purchase", expression, fixed(10))
            : rule("Broken", "purchase", null, withLineFilter(perAmount(1, "1.00"), expression));
        var before = saved(rules);

        var response = rules.create(body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("invalid-rule-condition");
        var problem = response.json();
        assertThat(problem.path("field").asString()).isEqualTo(field);
        assertThat(problem.path("line").asInt()).isEqualTo(line);
        assertThat(problem.path("column").asInt()).isEqualTo(column);
        assertThat(problem.path("errors").get(0).path("message").asString()).contains(message);
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo(field);
        assertThat(problem.path("detail").asString()).contains("(line " + line + ", column " + column + ")");
        assertThat(saved(rules)).isEqualTo(before);
    }

    static Stream<Arguments> badSettings() {
        var purchase = rule("Bad", "purchase", null, fixed(10));
        return Stream.of(
            arguments("negative points", rule("Bad", "purchase", null, fixed(-5)), 400, "invalid-request",
                "action.points"),
            arguments("zero points", rule("Bad", "purchase", null, fixed(0)), 400, "invalid-request", "action.points"),
            arguments("a negative amount per points", rule("Bad", "purchase", null, perAmount(5, "-1.00")), 400,
                "invalid-request", "action.per"),
            arguments("a multiplier of 1 or less", rule("Bad", "purchase", null, multiplier("0.5")), 400,
                "invalid-request", "action.factor"),
            arguments("a negative bonus", rule("Bad", "purchase", null, Map.of("kind", "BONUS", "percent", "-10")), 400,
                "invalid-request", "action.percent"),
            arguments("a fixed action with a factor", rule("Bad", "purchase", null,
                Map.of("kind", "FIXED", "points", 5, "factor", "2")), 400, "invalid-request", "action.factor"),
            arguments("a multiplier without its factor", rule("Bad", "purchase", null, Map.of("kind", "MULTIPLIER")),
                400, "invalid-request", "action.factor"),
            arguments("an unknown action kind", rule("Bad", "purchase", null, Map.of("kind", "DOUBLE")), 400,
                "invalid-request", "action.kind"),
            arguments("a negative budget", with(purchase, "budget", -100), 400, "invalid-request", "budget"),
            arguments("a negative cap", with(purchase, "cap", Map.of("period", "DAY", "maxPoints", -1)), 400,
                "invalid-request", "cap.maxPoints"),
            arguments("a cap without a limit", with(purchase, "cap", Map.of("period", "WEEK")), 400,
                "invalid-request", "cap"),
            arguments("a priority of 0", with(purchase, "priority", 0), 400, "invalid-request", "priority"),
            arguments("an unknown event type", rule("Bad", "purchse", null, fixed(10)), 400, "invalid-request",
                "event"),
            arguments("a multiplier of a review, which has no amount", rule("Bad", "review", null, multiplier("2")),
                422, "conflicting-rule-settings", "action.kind"),
            arguments("points per amount on an enrolment", rule("Bad", "registration", null, perAmount(1, "1.00")), 422,
                "conflicting-rule-settings", "action.kind"),
            arguments("a campaign that ends before it starts", with(purchase, "validFrom", "2027-02-01T00:00:00Z",
                "validTo", "2027-01-01T00:00:00Z"), 422, "conflicting-rule-settings", "validTo"),
            arguments("a campaign that has ended", with(purchase, "validTo", "2020-01-01T00:00:00Z"), 400,
                "invalid-request", "validTo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void refusesBadSettingsAndSavesNothing(String description, Map<String, Object> body, int status, String type,
            String field) throws SQLException {
        var rules = rulesOfANewProgram();
        var before = saved(rules);

        var response = rules.create(body);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.problemType()).isEqualTo(type);
        assertThat(response.json().path("errors").valueStream().map(error -> error.path("field").asString()))
            .as(response.body()).contains(field);
        assertThat(saved(rules)).isEqualTo(before);
    }

    @Test
    void refusesTwoExclusiveRulesOfEqualPriorityThatMeetTheSameEvents() throws SQLException {
        var rules = rulesOfANewProgram();
        var first = rules.draft(with(rule("Holiday", "purchase", null, multiplier("2")),
            "priority", 10, "exclusive", true));
        var before = saved(rules);

        var clash = rules.create(with(rule("Flash sale", "first-order", null, fixed(5)), "priority", 10));
        var otherPriority = rules.create(with(rule("Flash sale", "purchase", null, fixed(5)), "priority", 11));

        assertThat(clash.status()).as(clash.body()).isEqualTo(422);
        assertThat(clash.problemType()).isEqualTo("conflicting-rule-settings");
        assertThat(clash.text("field")).isEqualTo("priority");
        assertThat(clash.text("conflictingRuleId")).isEqualTo(first.toString());
        assertThat(clash.text("detail")).contains("'Holiday'", "exclusive", "arbitrary");
        assertThat(otherPriority.status()).as(otherPriority.body()).isEqualTo(201);
        assertThat(saved(rules).rules()).isEqualTo(before.rules() + 1);
    }

    @Test
    void refusesTwoRulesOfOneExclusionGroupWithEqualPriorityUnlessTheirCampaignsDoNotOverlap() {
        var rules = rulesOfANewProgram();
        rules.draft(with(rule("December welcome", "registration", null, fixed(100)), "priority", 10,
            "exclusionGroup", "welcome", "validFrom", "2026-12-01T00:00:00Z", "validTo", "2027-01-01T00:00:00Z"));

        var overlapping = rules.create(with(rule("Winter welcome", "registration", null, fixed(50)), "priority", 10,
            "exclusionGroup", "welcome", "validFrom", "2026-12-15T00:00:00Z", "validTo", "2027-03-01T00:00:00Z"));
        var later = rules.create(with(rule("January welcome", "registration", null, fixed(50)), "priority", 10,
            "exclusionGroup", "welcome", "validFrom", "2027-01-01T00:00:00Z", "validTo", "2027-02-01T00:00:00Z"));

        assertThat(overlapping.status()).as(overlapping.body()).isEqualTo(422);
        assertThat(overlapping.problemType()).isEqualTo("conflicting-rule-settings");
        assertThat(overlapping.text("detail")).contains("exclusion group 'welcome'");
        assertThat(later.status()).as(later.body()).isEqualTo(201);
    }

    @Test
    void refusesASecondRuleWithTheSameName() {
        var rules = rulesOfANewProgram();
        var first = rules.draft(rule("Double points", "purchase", null, multiplier("2")));

        var again = rules.create(rule(" double POINTS ", "purchase", null, fixed(3)));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("rule-name-taken");
        assertThat(again.text("conflictingRuleId")).isEqualTo(first.toString());
    }

    @Test
    void aChangeIsANewVersionAndTheHistoryIsKept() {
        var rules = rulesOfANewProgram();
        var id = rules.publish(rule("Reviews", "review", null, fixed(10)));

        var draft = rules.change(id, rule("Reviews", "review", "event.attributes.rating >= 4", fixed(20)));
        var replaced = rules.change(id, rule("Reviews", "review", "event.attributes.rating >= 4", fixed(25)));
        var beforePublishing = rules.list().get(0);
        rules.publish();
        var history = rules.admin().get(rules.path() + "/" + id).json();

        assertThat(draft.status()).as(draft.body()).isEqualTo(201);
        assertThat(draft.number("version")).isEqualTo(2);
        assertThat(replaced.number("version")).isEqualTo(3);
        assertThat(beforePublishing.path("inForce").path("version").asInt()).isEqualTo(1);
        assertThat(beforePublishing.path("draft").path("version").asInt()).isEqualTo(3);
        assertThat(history.path("versions").valueStream().map(version -> version.path("status").asString() + " "
                + version.path("inForce").asBoolean() + " " + version.path("action").path("points").asLong()))
            .containsExactly("PUBLISHED false 10", "WITHDRAWN false 20", "PUBLISHED true 25");
        assertThat(history.path("versions").get(0).path("supersededAt").asString())
            .isEqualTo(history.path("versions").get(2).path("publishedAt").asString());
    }

    @Test
    void everyChangeIsAuditedWithItsStateBeforeAndAfter() throws SQLException {
        var rules = rulesOfANewProgram();
        var id = rules.draft(rule("Surveys", "survey-answered", null, fixed(10)));
        rules.publish();
        rules.change(id, rule("Surveys", "survey-answered", null, fixed(15)));
        var withdrawn = rules.admin().send(rules.admin().builder(rules.path() + "/" + id + "/draft")
            .header("Idempotency-Key", UUID.randomUUID().toString()).DELETE());
        var retired = rules.admin().post(rules.path() + "/" + id + "/retirement", Map.of());
        rules.publish();

        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(retired.status()).as(retired.body()).isEqualTo(201);
        assertThat(audit(id)).containsExactly(
            "earning-rule.drafted | null | 10",
            "earning-rule.published | null | 10",
            "earning-rule.changed | 10 | 15",
            "earning-rule.draft-withdrawn | 15 | 15",
            "earning-rule.retirement-drafted | 10 | 10",
            "earning-rule.retired | 10 | 10");
        assertThat(rules.list().get(0).path("inForce").path("retires").asBoolean()).isTrue();
        var again = rules.change(id, rule("Surveys", "survey-answered", null, fixed(20)));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("rule-retired");
    }

    @Test
    void publishesOnlyTheDraftsTheFingerprintNames() {
        var rules = rulesOfANewProgram();
        rules.draft(rule("One", "purchase", null, fixed(1)));
        var reviewed = rules.backtest(Instant.now().minus(1, ChronoUnit.DAYS), Instant.now()).path("draftFingerprint")
            .asString();
        rules.draft(rule("Two", "purchase", null, fixed(2)));

        var stale = rules.admin().post(rules.path() + "/publish", Map.of("draftFingerprint", reviewed));
        var nothing = rules.admin().post(rules.path() + "/publish", Map.of());
        var none = rules.admin().post(rules.path() + "/publish", Map.of());

        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.problemType()).isEqualTo("draft-changed");
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(nothing.json().path("published").size()).isEqualTo(2);
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.problemType()).isEqualTo("nothing-to-publish");
    }

    @Test
    void onlyTenantAdminsManageRules() {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var integration = api.withApiKey(group.cafe().apiKey());
        var path = "/api/v1/programs/" + group.cafe().program().id() + "/rules";

        assertThat(integration.post(path, rule("Sneaky", "purchase", null, fixed(1000))).status()).isEqualTo(403);
        assertThat(integration.get(path).status()).isEqualTo(403);
        assertThat(integration.post(path + "/publish", Map.of()).status()).isEqualTo(403);
    }

    /** What is stored of the program's rules: rule and version rows, and audit records about rules. */
    private record Saved(long rules, long versions, long audits) {
    }

    private Saved saved(RulesApi rules) throws SQLException {
        var program = rules.path().split("/")[4];
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                select (select count(*) from earning_rules where program_id = ?::uuid),
                       (select count(*) from earning_rule_versions where program_id = ?::uuid),
                       (select count(*) from audit_records where subject like 'earning-rule:%')""")) {
            statement.setString(1, program);
            statement.setString(2, program);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return new Saved(rows.getLong(1), rows.getLong(2), rows.getLong(3));
            }
        }
    }

    /** The audit records about a rule: action, then the FIXED points before and after (null for none). */
    private List<String> audit(UUID ruleId) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                select action || ' | ' || coalesce(before -> 'definition' -> 'action' ->> 'points', 'null')
                       || ' | ' || coalesce(after -> 'definition' -> 'action' ->> 'points', 'null')
                  from audit_records where subject = ? order by at, audit_id""")) {
            statement.setString(1, "earning-rule:" + ruleId);
            try (var rows = statement.executeQuery()) {
                var records = new ArrayList<String>();
                while (rows.next()) {
                    records.add(rows.getString(1));
                }
                return records;
            }
        }
    }
}
