package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import io.pointbridge.tenant.member.Membership;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A member converts points between brands over HTTP: both sides, histories, settlement, reversal and caps. */
class ExchangeIntegrationTests extends IntegrationTest {

    @Autowired
    ExchangeFixtures exchange;

    @Test
    void convertsBetweenBrandsOfTheDemoGroupEndToEnd() throws SQLException {
        var group = fixtures.demoGroup();
        var admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var person = fixtures.person(group, group.cafe(), group.cinema());
        var stars = person.get(0);
        var points = person.get(1);
        fixtures.credit(group, stars, 1000);

        // A tenant admin sets the rate (10 Cafe Stars → 7 Cinema Points, fee 1.5% + 1) and the point values.
        var rate = admin.post("/api/v1/exchange/rates", Map.of("sourceProgramId", group.cafe().program().id(),
            "targetProgramId", group.cinema().program().id(), "sourceUnits", 10, "targetUnits", 7, "minimumPoints", 10,
            "stepPoints", 5, "fee", Map.of("percent", "1.5", "fixed", 1)));
        assertThat(rate.status()).as(rate.body()).isEqualTo(201);
        assertThat(admin.post("/api/v1/exchange/program-values",
            Map.of("programId", group.cafe().program().id(), "pointValue", "0.01")).status()).isEqualTo(201);
        assertThat(admin.get("/api/v1/exchange/rates?sourceProgramId=" + group.cafe().program().id()).json()
            .path("items").get(0).path("id").asString()).isEqualTo(rate.text("id"));
        var before = statement(admin);

        // The cafe's POS quotes and executes 500 stars: fee ⌈7.5⌉ + 1 = 9, credit ⌊491 × 7 / 10⌋ = 343.
        var quote = cafe.post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", stars.id(), "targetMemberId", points.id(), "points", 500));
        assertThat(quote.status()).as(quote.body()).isEqualTo(201);
        assertThat(quote.number("feePoints")).isEqualTo(9);
        assertThat(quote.number("targetPoints")).isEqualTo(343);
        assertThat(quote.text("rateId")).isEqualTo(rate.text("id"));
        var transfer = cafe.post("/api/v1/exchange/quotes/" + quote.text("id") + "/transfer", Map.of());
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);
        var transferId = transfer.text("id");
        assertThat(transfer.json().path("settlement").path("amountMinor").asLong()).isEqualTo(491);

        // Both balances and both histories show it, each on its own brand's side.
        assertThat(cafe.get("/api/v1/members/" + stars.id() + "/balance").number("balance")).isEqualTo(500);
        assertThat(cinema.get("/api/v1/members/" + points.id() + "/balance").number("balance")).isEqualTo(343);
        var cafeLine = cafe.get("/api/v1/members/" + stars.id() + "/history?limit=1").json().path("items").get(0);
        assertThat(cafeLine.path("kind").asString()).isEqualTo("TRANSFER");
        assertThat(cafeLine.path("points").asLong()).isEqualTo(-500);
        assertThat(cafeLine.path("reference").asString()).isEqualTo(transferId);
        var cinemaLine = cinema.get("/api/v1/members/" + points.id() + "/history?limit=1").json().path("items").get(0);
        assertThat(cinemaLine.path("points").asLong()).isEqualTo(343);
        var overview = cafe.get("/api/v1/exchange/members/" + stars.id() + "/balances").json();
        assertThat(overview.path("balances").findValuesAsString("memberId"))
            .containsExactly(stars.id().toString(), points.id().toString());

        // The settlement statement shows 4.91 EUR owed by the cafe to the cinema; positions net to zero.
        var after = statement(admin);
        assertThat(pairAmount(after, "cafe", "cinema") - pairAmount(before, "cafe", "cinema")).isEqualTo(491);
        assertThat(after.path("netTotalMinor").asLong()).isZero();
        assertThat(positions(after)).isZero();
        var csv = admin.send(admin.builder("/api/v1/exchange/settlement/statement").header("Accept", "text/csv").GET());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).startsWith("row,payer_brand,payee_brand,")
            .contains("\r\npair,cafe,cinema,,")
            .contains("\r\nposition,,,cafe,");

        // The reversal restores both sides and the statement.
        var reversal = cafe.post("/api/v1/exchange/transfers/" + transferId + "/reversal",
            Map.of("reason", "changed mind"));
        assertThat(reversal.status()).as(reversal.body()).isEqualTo(201);
        assertThat(reversal.json().path("reversal").path("reason").asString()).isEqualTo("changed mind");
        assertThat(cafe.get("/api/v1/members/" + stars.id() + "/balance").number("balance")).isEqualTo(1000);
        assertThat(cinema.get("/api/v1/members/" + points.id() + "/balance").number("balance")).isZero();
        assertThat(cinema.get("/api/v1/members/" + points.id() + "/history?limit=1").json().path("items").get(0)
            .path("kind").asString()).isEqualTo("REVERSAL");
        assertThat(pairAmount(statement(admin), "cafe", "cinema")).isEqualTo(pairAmount(before, "cafe", "cinema"));
        assertThat(cinema.get("/api/v1/exchange/transfers/" + transferId).json().path("reversal").isObject()).isTrue();
        assertThat(outboxTypes(group)).contains("exchange.rate-changed", "exchange.program-value-set",
            "exchange.points-transferred", "exchange.transfer-reversed");
        var metrics = api.with("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString("prometheus:metrics-dev".getBytes(StandardCharsets.UTF_8))).get("/actuator/prometheus");
        assertThat(metrics.body()).contains("pointbridge_exchange_transfers_total{outcome=\"executed\"",
            "pointbridge_exchange_transfers_total{outcome=\"reversed\"",
            "pointbridge_points_exchanged_total{outcome=\"executed\"");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void capsGiveBackWhatAReversalReturns() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1).caps(300L, null, null));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 1000);
        var cafe = api.withApiKey(group.cafe().apiKey());

        var first = convert(cafe, person, 200);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        var refused = quote(cafe, person, 200);
        assertThat(refused.problemType()).isEqualTo("exchange-cap-exceeded");
        assertThat(refused.number("remaining")).isEqualTo(100);

        assertThat(cafe.post("/api/v1/exchange/transfers/" + first.text("id") + "/reversal", Map.of()).status())
            .isEqualTo(201);
        assertThat(convert(cafe, person, 300).status()).isEqualTo(201);
        assertThat(quote(cafe, person, 1).problemType()).isEqualTo("exchange-cap-exceeded");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesToReverseOnceTheConvertedPointsAreSpent() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 2));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var transfer = convert(cafe, person, 100);
        assertThat(cinema.post("/api/v1/members/" + person.get(1).id() + "/spends", Map.of("points", 1)).status())
            .isEqualTo(201);

        var refused = cafe.post("/api/v1/exchange/transfers/" + transfer.text("id") + "/reversal", Map.of());
        assertThat(refused.problemType()).isEqualTo("credited-points-spent");
        assertThat(cafe.get("/api/v1/members/" + person.get(0).id() + "/balance").number("balance")).isZero();
        assertThat(cinema.get("/api/v1/members/" + person.get(1).id() + "/balance").number("balance")).isEqualTo(199);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void executesAQuoteOnce() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quote = quote(cafe, person, 10);
        var path = "/api/v1/exchange/quotes/" + quote.text("id") + "/transfer";

        var first = cafe.post(path, Map.of(), "transfer-once-1");
        var replay = cafe.post(path, Map.of(), "transfer-once-1");
        var again = cafe.post(path, Map.of(), "transfer-once-2");

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("quote-already-executed");
        assertThat(again.text("transferId")).isEqualTo(first.text("id"));
        assertThat(cafe.get("/api/v1/members/" + person.get(0).id() + "/balance").number("balance")).isEqualTo(90);
    }

    @Test
    void aNewRateVersionLeavesQuotesGivenBefore() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(10, 7));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quoted = quote(cafe, person, 50);

        exchange.rate(group, group.cafe(), group.cinema(), Terms.of(10, 5));

        var transfer = cafe.post("/api/v1/exchange/quotes/" + quoted.text("id") + "/transfer", Map.of());
        assertThat(transfer.status()).isEqualTo(201);
        assertThat(transfer.number("targetPoints")).isEqualTo(35);
        assertThat(quote(cafe, person, 50).number("targetPoints")).isEqualTo(25);
    }

    @Test
    void disablingTheRateStopsQuotesGivenBefore() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quoted = quote(cafe, person, 50);

        exchange.rate(group, group.cafe(), group.cinema(), Terms.of(1, 1).disabled());

        var refused = cafe.post("/api/v1/exchange/quotes/" + quoted.text("id") + "/transfer", Map.of());
        assertThat(refused.problemType()).isEqualTo("exchange-rate-disabled");
        assertThat(cafe.get("/api/v1/members/" + person.get(0).id() + "/balance").number("balance")).isEqualTo(100);
    }

    @Test
    void restrictsConvertedPointsAsTheRateSays() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1).restricted(false, 30));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        assertThat(convert(cafe, person, 60).status()).isEqualTo(201);

        var back = cinema.post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", person.get(1).id(), "targetMemberId", person.get(0).id(), "points", 10));
        assertThat(back.problemType()).isEqualTo("insufficient-points");
        assertThat(back.number("available")).isZero();
        var balance = cinema.get("/api/v1/members/" + person.get(1).id() + "/balance").json();
        assertThat(balance.path("available").asLong()).isEqualTo(60);
        var expiry = Instant.parse(balance.path("nextExpiry").path("at").asString());
        assertThat(expiry).isBefore(Instant.now().plus(30, ChronoUnit.DAYS).plusSeconds(60));
        var overview = cinema.get("/api/v1/exchange/members/" + person.get(1).id() + "/balances").json();
        assertThat(overview.path("balances").get(1).path("convertible").asLong()).isZero();
        assertThat(overview.path("balances").get(0).path("convertible").asLong()).isEqualTo(40);
        // Spending them is fine: only conversion is restricted.
        assertThat(cinema.post("/api/v1/members/" + person.get(1).id() + "/spends", Map.of("points", 60)).status())
            .isEqualTo(201);
    }

    private Response quote(Api caller, List<Membership> person, long points) {
        return caller.post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", person.get(0).id(), "targetMemberId", person.get(1).id(), "points", points));
    }

    private Response convert(Api caller, List<Membership> person, long points) {
        var quote = quote(caller, person, points);
        assertThat(quote.status()).as(quote.body()).isEqualTo(201);
        return caller.post("/api/v1/exchange/quotes/" + quote.text("id") + "/transfer", Map.of());
    }

    private static JsonNode statement(Api admin) {
        var statement = admin.get("/api/v1/exchange/settlement/statement");
        assertThat(statement.status()).as(statement.body()).isEqualTo(200);
        return statement.json();
    }

    private static long pairAmount(JsonNode statement, String payer, String payee) {
        for (var pair : statement.path("pairs")) {
            if (pair.path("payerBrandCode").asString().equals(payer)
                    && pair.path("payeeBrandCode").asString().equals(payee)) {
                return pair.path("amountMinor").asLong();
            }
        }
        return 0;
    }

    private static long positions(JsonNode statement) {
        long sum = 0;
        for (var position : statement.path("positions")) {
            sum += position.path("netMinor").asLong();
        }
        return sum;
    }

    private static List<String> outboxTypes(Group group) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("select type from outbox_events where tenant_id = ?")) {
            statement.setObject(1, group.tenantId());
            var types = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
            return types;
        }
    }
}
