package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.rate.ExchangeRates.RateQuery;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.MovableClock;
import io.pointbridge.testing.MovableTime;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotReversible;
import io.pointbridge.tenant.member.Membership;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Every way a rate, quote, transfer or reversal can be wrong gets its own stable problem type, and changes
 * nothing: balances, transfers and rates stay as they were, the ledger's invariants hold.
 */
@Import(MovableTime.class)
class ExchangeBadInputIntegrationTests extends IntegrationTest {

    @Autowired
    ExchangeFixtures exchange;

    @Autowired
    MovableClock clock;

    @Autowired
    ExchangeRates rates;

    @Autowired
    Ledger ledger;

    @Test
    void rejectsRatePartsThatAreNotWholePositiveNumbers() {
        var group = fixtures.demoGroup();
        var admin = admin();
        var before = rateIds(group);
        for (var part : List.of("sourceUnits", "targetUnits")) {
            for (Object value : List.of(0, -3, 1.5, "seven")) {
                var body = rate(group, group.cafe().program().id(), group.cinema().program().id());
                body.put(part, value);
                var refused = admin.post("/api/v1/exchange/rates", body);
                assertThat(refused.status()).as(part + " = " + value).isEqualTo(400);
                assertThat(refused.problemType()).isEqualTo("invalid-request");
                assertThat(refused.json().path("errors").findValuesAsString("field")).containsExactly(part);
            }
        }
        var body = rate(group, group.cafe().program().id(), group.cinema().program().id());
        body.put("minimumPoints", 15);
        body.put("stepPoints", 10);
        assertThat(admin.post("/api/v1/exchange/rates", body).json().path("errors").findValuesAsString("field"))
            .containsExactly("minimumPoints");
        body = rate(group, group.cafe().program().id(), group.cinema().program().id());
        body.put("fee", Map.of("percent", "100"));
        assertThat(admin.post("/api/v1/exchange/rates", body).json().path("errors").findValuesAsString("field"))
            .containsExactly("fee.percent");
        assertThat(rateIds(group)).isEqualTo(before);
    }

    @Test
    void rejectsARateFromAProgramToItself() {
        var group = fixtures.demoGroup();
        var before = rateIds(group);
        var refused = admin().post("/api/v1/exchange/rates",
            rate(group, group.cafe().program().id(), group.cafe().program().id()));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("same-program");
        assertThat(rateIds(group)).isEqualTo(before);
    }

    @Test
    void rejectsAnotherTenantsProgramInARate() {
        var group = fixtures.demoGroup();
        var other = fixtures.group();
        var before = rateIds(group);
        for (var body : List.of(rate(group, other.cafe().program().id(), group.cinema().program().id()),
                rate(group, group.cafe().program().id(), other.cinema().program().id()))) {
            var refused = admin().post("/api/v1/exchange/rates", body);
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.problemType()).isEqualTo("program-not-found");
        }
        assertThat(rateIds(group)).isEqualTo(before);
    }

    @Test
    void rejectsAStatementPeriodThatEndsBeforeItStarts() {
        fixtures.demoGroup();
        var admin = admin();
        var path = "/api/v1/exchange/settlement/statement?from=2026-02-01&to=2026-01-01";
        for (var accept : List.of("application/json", "text/csv")) {
            var refused = admin.send(admin.builder(path).header("Accept", accept).GET());
            assertThat(refused.status()).as(accept + ": " + refused.body()).isEqualTo(400);
        }
        var json = admin.get(path);
        assertThat(json.problemType()).isEqualTo("invalid-request");
        assertThat(json.json().path("errors").findValuesAsString("field")).containsExactly("to");
        assertThat(admin.get("/api/v1/exchange/settlement/statement?from=yesterday").problemType())
            .isEqualTo("invalid-request");
    }

    @Test
    void rejectsAQuoteForAPairWithoutRate() {
        var setup = setup(null);
        exchange.value(setup.group(), setup.group().cafe(), "0.01");
        setup.refusesQuote(10, 422, "no-exchange-rate");
    }

    @Test
    void rejectsAQuoteForADisabledPair() {
        var setup = setup(Terms.of(1, 1));
        exchange.rate(setup.group(), setup.group().cafe(), setup.group().cinema(), Terms.of(1, 1).disabled());
        setup.refusesQuote(10, 422, "exchange-rate-disabled");
    }

    @Test
    void rejectsAnExpiredQuote() {
        var setup = setup(Terms.of(1, 1));
        var quote = setup.quote(10);
        clock.advance(Duration.ofSeconds(61));
        setup.refusesExecution(quote, setup.cafe(), 422, "quote-expired");
    }

    @Test
    void rejectsSomeoneElsesQuote() {
        var setup = setup(Terms.of(1, 1));
        var quote = setup.quote(10);
        setup.refusesExecution(quote, api.withApiKey(setup.group().cinema().apiKey()), 404, "quote-not-found");
        setup.refusesExecution(quote, api.withApiKey(fixtures.group().cafe().apiKey()), 404, "quote-not-found");
        assertThat(api.withApiKey(setup.group().cinema().apiKey()).get("/api/v1/exchange/quotes/" + quote)
            .problemType()).isEqualTo("quote-not-found");
    }

    @Test
    void rejectsAnAmountOffTheStep() {
        var setup = setup(Terms.of(1, 1).amounts(20, 10));
        var refused = setup.refusesQuote(25, 422, "amount-off-step");
        assertThat(refused.number("stepPoints")).isEqualTo(10);
    }

    @Test
    void rejectsAnAmountUnderTheMinimum() {
        var setup = setup(Terms.of(1, 1).amounts(20, 10));
        var refused = setup.refusesQuote(10, 422, "below-minimum");
        assertThat(refused.number("minimumPoints")).isEqualTo(20);
    }

    @Test
    void rejectsAnAmountOverACap() {
        var setup = setup(Terms.of(1, 1).caps(null, 50L, null));
        setup.refusesQuote(60, 422, "exchange-cap-exceeded");
        // Two quotes each within the cap: executing the second would pass it.
        var first = setup.quote(30);
        var second = setup.quote(30);
        assertThat(setup.cafe().post("/api/v1/exchange/quotes/" + first + "/transfer", Map.of()).status())
            .isEqualTo(201);
        var before = setup.snapshot();
        var refused = setup.refusesExecution(second, setup.cafe(), 422, "exchange-cap-exceeded");
        assertThat(refused.text("cap")).isEqualTo("perMemberPerMonth");
        assertThat(refused.number("remaining")).isEqualTo(20);
        assertThat(setup.snapshot()).isEqualTo(before);
    }

    @Test
    void rejectsTheSameSourceAndTarget() {
        var setup = setup(Terms.of(1, 1));
        var member = setup.person().get(0);
        var refused = setup.cafe().post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", member.id(), "targetMemberId", member.id(), "points", 10));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("same-program");
        setup.unchanged();
    }

    @Test
    void rejectsMembershipsOfTwoPersons() {
        var setup = setup(Terms.of(1, 1));
        var stranger = fixtures.member(setup.group(), setup.group().cinema());
        setup.refusesQuoteTo(stranger.id(), 10, 422, "memberships-of-different-persons");
    }

    @Test
    void rejectsAnotherTenantsMember() {
        var setup = setup(Terms.of(1, 1));
        var other = fixtures.group();
        var outsider = fixtures.member(other, other.cinema());
        setup.refusesQuoteTo(outsider.id(), 10, 404, "member-not-found");
        var refused = api.withApiKey(other.cafe().apiKey()).post("/api/v1/exchange/quotes", Map.of(
            "sourceMemberId", setup.person().get(0).id(), "targetMemberId", setup.person().get(1).id(), "points", 10));
        assertThat(refused.problemType()).isEqualTo("member-not-found");
        setup.unchanged();
    }

    @Test
    void rejectsAConversionBeyondTheConvertiblePoints() {
        var setup = setup(Terms.of(1, 1));
        setup.refusesQuote(101, 422, "insufficient-points");
        var quote = setup.quote(100);
        assertThat(setup.cafe().post("/api/v1/members/" + setup.person().get(0).id() + "/spends", Map.of("points", 1))
            .status()).isEqualTo(201);
        setup.refusesExecution(quote, setup.cafe(), 422, "insufficient-points");
    }

    @Test
    void rejectsPointsThatAreNotAPositiveWholeNumber() {
        var setup = setup(Terms.of(1, 1));
        for (Object points : List.of(0, -10, 2.5, "ten")) {
            var refused = setup.cafe().post("/api/v1/exchange/quotes", Map.of(
                "sourceMemberId", setup.person().get(0).id(), "targetMemberId", setup.person().get(1).id(),
                "points", points));
            assertThat(refused.status()).as("points = " + points).isEqualTo(400);
            assertThat(refused.json().path("errors").findValuesAsString("field")).containsExactly("points");
        }
        setup.unchanged();
    }

    @Test
    void rejectsAConversionTooSmallToCreditAPoint() {
        var setup = setup(Terms.of(10, 1));
        setup.refusesQuote(9, 422, "conversion-too-small");
    }

    @Test
    void rejectsAConversionOutOfAProgramWithoutValue() {
        var setup = setup(null);
        exchange.rate(setup.group(), setup.group().cafe(), setup.group().cinema(), Terms.of(1, 1));
        setup.refusesQuote(10, 422, "program-value-missing");
    }

    @Test
    void rejectsAReversalAfterItsWindow() {
        var setup = setup(Terms.of(1, 1));
        var transfer = setup.convert(10);
        var before = setup.snapshot();
        clock.advance(Duration.ofHours(25));
        var refused = setup.cafe().post("/api/v1/exchange/transfers/" + transfer + "/reversal", Map.of());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("reversal-window-closed");
        assertThat(setup.snapshot()).isEqualTo(before);
    }

    @Test
    void rejectsASecondReversalAndAnotherBrandsReversal() {
        var setup = setup(Terms.of(1, 1));
        var transfer = setup.convert(10);
        var cinema = api.withApiKey(setup.group().cinema().apiKey());
        assertThat(cinema.post("/api/v1/exchange/transfers/" + transfer + "/reversal", Map.of()).problemType())
            .isEqualTo("transfer-not-found");
        assertThat(setup.cafe().post("/api/v1/exchange/transfers/" + transfer + "/reversal", Map.of()).status())
            .isEqualTo(201);
        var before = setup.snapshot();
        var refused = setup.cafe().post("/api/v1/exchange/transfers/" + transfer + "/reversal", Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("transfer-already-reversed");
        assertThat(setup.snapshot()).isEqualTo(before);
    }

    @Test
    void refusesToReverseAConversionAsAPlainJournalEntry() {
        var setup = setup(Terms.of(1, 1));
        var transfer = setup.convert(10);
        var entry = setup.cafe().get("/api/v1/exchange/transfers/" + transfer).text("entryId");
        var before = setup.snapshot();
        assertThatThrownBy(() -> fixtures.as(setup.group(), () -> ledger.reverse(setup.person().get(0).id(),
            UUID.fromString(entry), "test:admin", "mistake"))).isInstanceOf(EntryNotReversible.class);
        assertThat(setup.snapshot()).isEqualTo(before);
    }

    /** A group whose cafe member (100 points) has a cinema membership too; the cafe converts at the terms, if any. */
    private Setup setup(Terms terms) {
        var group = fixtures.group();
        if (terms != null) {
            exchange.bothWays(group, terms);
        }
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        return new Setup(group, person, api.withApiKey(group.cafe().apiKey()));
    }

    private record Snapshot(long sourceBalance, long targetBalance, int transfers) {
    }

    private record Setup(Group group, List<Membership> person, Api cafe) {

        String quote(long points) {
            var quote = quoteTo(person.get(1).id(), points);
            assertThat(quote.status()).as(quote.body()).isEqualTo(201);
            return quote.text("id");
        }

        String convert(long points) {
            var transfer = cafe.post("/api/v1/exchange/quotes/" + quote(points) + "/transfer", Map.of());
            assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);
            return transfer.text("id");
        }

        Response quoteTo(UUID target, long points) {
            return cafe.post("/api/v1/exchange/quotes",
                Map.of("sourceMemberId", person.get(0).id(), "targetMemberId", target, "points", points));
        }

        Response refusesQuote(long points, int status, String type) {
            return refusesQuoteTo(person.get(1).id(), points, status, type);
        }

        Response refusesQuoteTo(UUID target, long points, int status, String type) {
            var before = snapshot();
            var refused = quoteTo(target, points);
            assertThat(refused.status()).as(refused.body()).isEqualTo(status);
            assertThat(refused.problemType()).isEqualTo(type);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(snapshot()).isEqualTo(before);
            return refused;
        }

        Response refusesExecution(String quote, Api caller, int status, String type) {
            var before = snapshot();
            var refused = caller.post("/api/v1/exchange/quotes/" + quote + "/transfer", Map.of());
            assertThat(refused.status()).as(refused.body()).isEqualTo(status);
            assertThat(refused.problemType()).isEqualTo(type);
            assertThat(snapshot()).isEqualTo(before);
            return refused;
        }

        void unchanged() {
            assertThat(snapshot()).isEqualTo(new Snapshot(100, 0, 0));
        }

        Snapshot snapshot() {
            var source = person.get(0).id();
            return new Snapshot(cafe.get("/api/v1/members/" + source + "/balance").number("balance"),
                cafe.get("/api/v1/exchange/members/" + source + "/balances").json().path("balances").get(1)
                    .path("balance").asLong(),
                cafe.get("/api/v1/exchange/transfers?memberId=" + source).json().path("items").size());
        }
    }

    private Api admin() {
        return api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
    }

    private static Map<String, Object> rate(Group group, UUID source, UUID target) {
        var body = new HashMap<String, Object>();
        body.put("sourceProgramId", source);
        body.put("targetProgramId", target);
        body.put("sourceUnits", 10);
        body.put("targetUnits", 7);
        body.put("minimumPoints", 10);
        return body;
    }

    private List<UUID> rateIds(Group group) {
        var all = new RateQuery(null, null, null, false);
        return fixtures.as(group, () -> rates.page(all, null, ExchangeRates.MAX_PAGE_SIZE).items().stream()
            .map(rate -> rate.id()).toList());
    }
}
