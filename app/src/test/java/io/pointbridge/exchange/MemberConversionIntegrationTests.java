package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.tenancy.TenantTables;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakMembers;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.tenant.member.Membership;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Members convert points between their own memberships with their own Keycloak token: quote, transfer, idempotent
 * retries, both sides' balances and histories, the settlement statement; and nothing of anyone else's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberConversionIntegrationTests extends IntegrationTest {

    /** What a conversion, or a refused one, can change. */
    private static final List<String> LEDGER_AND_EXCHANGE = List.of("journal_entries", "postings", "accounts", "lots",
        "lot_movements", "exchange_quotes", "exchange_transfers", "exchange_usage", "settlement_records",
        "idempotency_records", "member_logins", "audit_records", "outbox_events");

    @Autowired
    private ExchangeFixtures exchange;

    private final KeycloakMembers members = new KeycloakMembers();
    private Group group;
    private Api admin;

    @BeforeEach
    void brandsOfTheDemoGroupThatConvertBothWays() {
        group = fixtures.organization("demo-group");
        admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
    }

    @AfterAll
    void removeTheMembersFromKeycloak() {
        members.close();
    }

    @Test
    void aMemberConvertsBetweenTheirBrandsWithTheirOwnTokenEndToEnd() {
        exchange.rate(group, group.cafe(), group.cinema(), Terms.of(10, 7).amounts(10, 5).fee("1.5", 1));
        exchange.value(group, group.cafe(), "0.01");
        exchange.value(group, group.cinema(), "0.02");
        // Both brands' integrations enroll the customer with the email each verified; the cinema's joins the cafe's person.
        var email = KeycloakMembers.uniqueEmail();
        var stars = enroll(api.withApiKey(group.cafe().apiKey()), email);
        var points = enroll(api.withApiKey(group.cinema().apiKey()), email);
        assertThat(points.json().path("linked").asBoolean()).isTrue();
        var purchase = api.withApiKey(group.cafe().apiKey()).post("/api/v1/members/" + stars.text("id") + "/purchases",
            Map.of("orderId", "order-" + UUID.randomUUID(), "amount", "1000.00", "currency", "EUR"));
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(201);
        var me = api.withToken(members.token(members.signUp("demo-group", email, true)));
        var before = statement();

        // The member sees both memberships with their points.
        var balances = me.get("/api/v1/me/balances");
        assertThat(balances.status()).as(balances.body()).isEqualTo(200);
        assertThat(balanceOf(balances, stars)).isEqualTo(1000);
        assertThat(balanceOf(balances, points)).isZero();
        assertThat(balances.json().path("memberships").findValuesAsString("pointsName"))
            .containsExactly("Cafe Stars", "Cinema Points");

        // Quote 500 stars: fee ⌈7.5⌉ + 1 = 9, credit ⌊491 × 7 / 10⌋ = 343; a retry with the key answers the same quote.
        var quoteKey = "my-quote-" + UUID.randomUUID();
        var request = Map.of("sourceMemberId", stars.text("id"), "targetMemberId", points.text("id"), "points", 500);
        var quote = me.post("/api/v1/me/exchange/quotes", request, quoteKey);
        assertThat(quote.status()).as(quote.body()).isEqualTo(201);
        assertThat(quote.number("feePoints")).isEqualTo(9);
        assertThat(quote.number("targetPoints")).isEqualTo(343);
        var quoteAgain = me.post("/api/v1/me/exchange/quotes", request, quoteKey);
        assertThat(quoteAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(quoteAgain.text("id")).isEqualTo(quote.text("id"));
        assertThat(me.get("/api/v1/me/exchange/quotes/" + quote.text("id")).text("id")).isEqualTo(quote.text("id"));

        // The transfer executes once: the retry with its key replays it, another key is refused.
        var path = "/api/v1/me/exchange/quotes/" + quote.text("id") + "/transfer";
        var transferKey = "my-transfer-" + UUID.randomUUID();
        var transfer = me.post(path, Map.of(), transferKey);
        var replay = me.post(path, Map.of(), transferKey);
        var again = me.post(path, Map.of(), "my-transfer-" + UUID.randomUUID());
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);
        assertThat(transfer.number("sourcePoints")).isEqualTo(500);
        assertThat(transfer.number("targetPoints")).isEqualTo(343);
        assertThat(transfer.json().has("settlement")).as("the brands' settlement is not the member's").isFalse();
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.text("id")).isEqualTo(transfer.text("id"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("quote-already-executed");
        var transferId = transfer.text("id");
        assertThat(me.get("/api/v1/me/exchange/transfers/" + transferId).number("feePoints")).isEqualTo(9);

        // Both balances and both histories show it.
        var after = me.get("/api/v1/me/balances");
        assertThat(balanceOf(after, stars)).isEqualTo(500);
        assertThat(balanceOf(after, points)).isEqualTo(343);
        var starsLine = me.get("/api/v1/me/memberships/" + stars.text("id") + "/history?limit=1").json().path("items").get(0);
        assertThat(starsLine.path("kind").asString()).isEqualTo("TRANSFER");
        assertThat(starsLine.path("points").asLong()).isEqualTo(-500);
        assertThat(starsLine.path("reference").asString()).isEqualTo(transferId);
        var pointsLine = me.get("/api/v1/me/memberships/" + points.text("id") + "/history?limit=1").json().path("items").get(0);
        assertThat(pointsLine.path("points").asLong()).isEqualTo(343);
        assertThat(pointsLine.path("reference").asString()).isEqualTo(transferId);
        var page = me.get("/api/v1/me/memberships/" + stars.text("id") + "/history?limit=1");
        var next = me.get("/api/v1/me/memberships/" + stars.text("id") + "/history?limit=1&cursor="
            + page.json().path("nextCursor").asString());
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().path("items").get(0).path("kind").asString()).isEqualTo("EARN");

        // The admin's settlement statement shows the 4.91 EUR the cafe owes the cinema; the integration path sees it too.
        var cafeCode = group.cafe().brand().code();
        var cinemaCode = group.cinema().brand().code();
        assertThat(pairAmount(statement(), cafeCode, cinemaCode) - pairAmount(before, cafeCode, cinemaCode)).isEqualTo(491);
        var seen = api.withApiKey(group.cafe().apiKey()).get("/api/v1/exchange/transfers/" + transferId);
        assertThat(seen.json().path("executedBy").asString()).startsWith("user:");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void anotherPersonsMembershipsQuotesAndTransfersAreNotFoundAndNothingChanges() {
        exchange.bothWays(group, Terms.of(1, 1));
        var mine = fixtures.personWithVerifiedEmail(group, KeycloakMembers.uniqueEmail(), group.cafe(), group.cinema());
        var email = KeycloakMembers.uniqueEmail();
        var theirs = fixtures.personWithVerifiedEmail(group, email, group.cafe(), group.cinema());
        fixtures.credit(group, mine.get(0), 100);
        fixtures.credit(group, theirs.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var theirQuote = cafe.post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", theirs.get(0).id(), "targetMemberId", theirs.get(1).id(), "points", 10));
        var theirTransfer = cafe.post("/api/v1/exchange/quotes/" + cafe.post("/api/v1/exchange/quotes",
            Map.of("sourceMemberId", theirs.get(0).id(), "targetMemberId", theirs.get(1).id(), "points", 20))
            .text("id") + "/transfer", Map.of());
        assertThat(theirTransfer.status()).as(theirTransfer.body()).isEqualTo(201);
        var me = api.withToken(members.token(members.signUp("demo-group", emailOf(mine), true)));
        assertThat(me.get("/api/v1/me").status()).isEqualTo(200);
        var before = state();

        var fromTheirs = me.post("/api/v1/me/exchange/quotes",
            Map.of("sourceMemberId", theirs.get(0).id(), "targetMemberId", mine.get(1).id(), "points", 10));
        var intoTheirs = me.post("/api/v1/me/exchange/quotes",
            Map.of("sourceMemberId", mine.get(0).id(), "targetMemberId", theirs.get(1).id(), "points", 10));
        var unknown = me.post("/api/v1/me/exchange/quotes",
            Map.of("sourceMemberId", mine.get(0).id(), "targetMemberId", UUID.randomUUID(), "points", 10));
        var readTheirQuote = me.get("/api/v1/me/exchange/quotes/" + theirQuote.text("id"));
        var executeTheirQuote = me.post("/api/v1/me/exchange/quotes/" + theirQuote.text("id") + "/transfer", Map.of());
        var readTheirTransfer = me.get("/api/v1/me/exchange/transfers/" + theirTransfer.text("id"));
        var readTheirHistory = me.get("/api/v1/me/memberships/" + theirs.get(0).id() + "/history");

        for (var refused : List.of(fromTheirs, intoTheirs, unknown, readTheirHistory)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(404);
            assertThat(refused.problemType()).isEqualTo("member-not-found");
        }
        assertThat(readTheirQuote.status()).isEqualTo(404);
        assertThat(readTheirQuote.problemType()).isEqualTo("quote-not-found");
        assertThat(executeTheirQuote.status()).isEqualTo(404);
        assertThat(executeTheirQuote.problemType()).isEqualTo("quote-not-found");
        assertThat(readTheirTransfer.status()).isEqualTo(404);
        assertThat(readTheirTransfer.problemType()).isEqualTo("transfer-not-found");
        assertThat(state()).isEqualTo(before);
        assertThat(balance(mine.get(0))).isEqualTo(100);
        assertThat(balance(mine.get(1))).isZero();
        assertThat(balance(theirs.get(0))).isEqualTo(80);
        assertThat(balance(theirs.get(1))).isEqualTo(20);
        assertThat(cafe.get("/api/v1/exchange/quotes/" + theirQuote.text("id")).json().hasNonNull("transferId")).isFalse();
        // The member sees only their own memberships.
        assertThat(me.get("/api/v1/me/balances").json().path("memberships").findValuesAsString("memberId"))
            .containsExactly(mine.get(0).id().toString(), mine.get(1).id().toString());
    }

    @Test
    void aMembersIdempotencyKeyNeverReplaysAnotherMembersAnswer() {
        exchange.bothWays(group, Terms.of(1, 1));
        var mine = fixtures.personWithVerifiedEmail(group, KeycloakMembers.uniqueEmail(), group.cafe(), group.cinema());
        fixtures.credit(group, mine.get(0), 100);
        var other = fixtures.personWithVerifiedEmail(group, KeycloakMembers.uniqueEmail(), group.cafe());
        var me = api.withToken(members.token(members.signUp("demo-group", emailOf(mine), true)));
        var someoneElse = api.withToken(members.token(members.signUp("demo-group", emailOf(other), true)));
        var key = "shared-key-" + UUID.randomUUID();
        var request = Map.of("sourceMemberId", mine.get(0).id(), "targetMemberId", mine.get(1).id(), "points", 10);
        assertThat(me.post("/api/v1/me/exchange/quotes", request, key).status()).isEqualTo(201);

        var replayedToSomeoneElse = someoneElse.post("/api/v1/me/exchange/quotes", request, key);

        // Keys belong to their caller: the other member's request runs as theirs, and names memberships
        // that are not theirs.
        assertThat(replayedToSomeoneElse.status()).isEqualTo(404);
        assertThat(replayedToSomeoneElse.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replayedToSomeoneElse.body()).doesNotContain(mine.get(1).id().toString());
    }

    @Test
    void aMemberIsRefusedEveryoneElsesEndpointsAndCannotReverseTheirOwnTransfer() {
        exchange.bothWays(group, Terms.of(1, 1));
        var mine = fixtures.personWithVerifiedEmail(group, KeycloakMembers.uniqueEmail(), group.cafe(), group.cinema());
        fixtures.credit(group, mine.get(0), 100);
        var member = members.signUp("demo-group", emailOf(mine), true);
        var me = api.withToken(members.token(member));
        var quote = me.post("/api/v1/me/exchange/quotes",
            Map.of("sourceMemberId", mine.get(0).id(), "targetMemberId", mine.get(1).id(), "points", 10));
        var transfer = me.post("/api/v1/me/exchange/quotes/" + quote.text("id") + "/transfer", Map.of());
        assertThat(transfer.status()).as(transfer.body()).isEqualTo(201);
        var before = state();

        var refused = Stream.of(
            me.get("/api/v1/brands"),
            me.get("/api/v1/members/" + mine.get(0).id() + "/balance"),
            me.get("/api/v1/members/" + mine.get(0).id() + "/group-balances"),
            me.get("/api/v1/exchange/quotes/" + quote.text("id")),
            me.get("/api/v1/member-logins?subject=" + member.subject()),
            me.post("/api/v1/exchange/quotes",
                Map.of("sourceMemberId", mine.get(0).id(), "targetMemberId", mine.get(1).id(), "points", 10)),
            me.post("/api/v1/exchange/transfers/" + transfer.text("id") + "/reversal", Map.of("reason", "changed mind")),
            me.post("/api/v1/members/" + mine.get(0).id() + "/spends", Map.of("points", 1)),
            me.post("/api/v1/members/" + mine.get(0).id() + "/adjustments", Map.of("points", 1000, "reason", "me")),
            me.post("/api/v1/member-logins", Map.of("subject", member.subject(), "personId", mine.get(0).personId(),
                "reason", "me")),
            me.delete("/api/v1/member-logins/" + member.subject())).toList();

        for (var response : refused) {
            assertThat(response.status()).as(response.body()).isEqualTo(403);
            assertThat(response.problemType()).isEqualTo("forbidden");
        }
        assertThat(state()).isEqualTo(before);
        assertThat(balance(mine.get(0))).isEqualTo(90);
        assertThat(balance(mine.get(1))).isEqualTo(10);
    }

    @Test
    void refusesBadConversionsNamingTheFieldAndChangesNothing() {
        exchange.bothWays(group, Terms.of(1, 1).amounts(10, 10));
        var mine = fixtures.personWithVerifiedEmail(group, KeycloakMembers.uniqueEmail(), group.cafe(), group.cinema());
        fixtures.credit(group, mine.get(0), 100);
        var me = api.withToken(members.token(members.signUp("demo-group", emailOf(mine), true)));
        var source = mine.get(0).id();
        var target = mine.get(1).id();
        assertThat(me.get("/api/v1/me").status()).isEqualTo(200);
        var before = state();

        assertInvalid(me.post("/api/v1/me/exchange/quotes", Map.of()), "sourceMemberId", "targetMemberId", "points");
        assertInvalid(me.post("/api/v1/me/exchange/quotes", quote(source, target, 0)), "points");
        assertInvalid(me.post("/api/v1/me/exchange/quotes", quote(source, target, 1_000_000_001L)), "points");
        assertInvalid(me.post("/api/v1/me/exchange/quotes", quote(source, target, "many")), "points");
        assertInvalid(me.post("/api/v1/me/exchange/quotes", quote("member-1", target, 10)), "sourceMemberId");
        assertInvalid(me.post("/api/v1/me/exchange/quotes/not-a-quote/transfer", Map.of()), "quoteId");
        assertInvalid(me.get("/api/v1/me/exchange/quotes/not-a-quote"), "quoteId");
        assertInvalid(me.get("/api/v1/me/memberships/" + source + "/history?limit=0"), "limit");
        assertInvalid(me.get("/api/v1/me/memberships/" + source + "/history?limit=101"), "limit");
        assertInvalid(me.get("/api/v1/me/memberships/not-a-member/history"), "memberId");
        var cursor = me.get("/api/v1/me/memberships/" + source + "/history?cursor=bm90LWEtY3Vyc29y");
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.problemType()).isEqualTo("invalid-cursor");
        assertThat(cursor.text("field")).isEqualTo("cursor");
        var malformed = me.post("/api/v1/me/exchange/quotes", "{\"sourceMemberId\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.problemType()).isEqualTo("malformed-request");
        var withoutKey = me.post("/api/v1/me/exchange/quotes", quote(source, target, 10), null);
        assertThat(withoutKey.status()).isEqualTo(400);
        assertThat(withoutKey.problemType()).isEqualTo("idempotency-key-missing");
        // What the exchange refuses, it refuses the member as it refuses an integration.
        assertThat(me.post("/api/v1/me/exchange/quotes", quote(source, target, 15)).problemType()).isEqualTo("amount-off-step");
        assertThat(me.post("/api/v1/me/exchange/quotes", quote(source, source, 10)).problemType()).isEqualTo("same-program");
        assertThat(me.post("/api/v1/me/exchange/quotes", quote(source, target, 200)).problemType())
            .isEqualTo("insufficient-points");
        assertThat(state()).isEqualTo(before);
    }

    private Response enroll(Api integration, String email) {
        var enrolled = integration.post("/api/v1/members", Map.of("externalId", "cust-" + UUID.randomUUID(),
            "email", email, "emailVerified", true, "consentToLink", true));
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        return enrolled;
    }

    /** The email the fixtures enrolled the person with, read back by a tenant admin. */
    private String emailOf(List<Membership> person) {
        var profile = admin.get("/api/v1/persons/" + person.getFirst().personId() + "/profile");
        assertThat(profile.status()).as(profile.body()).isEqualTo(200);
        return profile.json().path("contacts").get(0).path("value").asString();
    }

    private long balance(Membership member) {
        return admin.get("/api/v1/members/" + member.id() + "/balance").number("balance");
    }

    private JsonNode statement() {
        var statement = admin.get("/api/v1/exchange/settlement/statement");
        assertThat(statement.status()).as(statement.body()).isEqualTo(200);
        return statement.json();
    }

    private static long pairAmount(JsonNode statement, String payer, String payee) {
        for (var pair : statement.path("pairs")) {
            if (pair.path("payerBrandCode").asString().equals(payer) && pair.path("payeeBrandCode").asString().equals(payee)) {
                return pair.path("amountMinor").asLong();
            }
        }
        return 0;
    }

    private static long balanceOf(Response balances, Response member) {
        for (var membership : balances.json().path("memberships")) {
            if (membership.path("memberId").asString().equals(member.text("id"))) {
                return membership.path("balance").asLong();
            }
        }
        throw new AssertionError("no membership " + member.text("id") + " in " + balances.body());
    }

    private static Map<String, Object> quote(Object source, Object target, Object points) {
        var body = new HashMap<String, Object>();
        body.put("sourceMemberId", source);
        body.put("targetMemberId", target);
        body.put("points", points);
        return body;
    }

    /** The group's ledger, exchange, idempotency, sign-ins and audit rows. */
    private Map<String, String> state() {
        var all = TenantTables.fingerprint(group.tenantId());
        var state = new HashMap<String, String>();
        LEDGER_AND_EXCHANGE.forEach(table -> state.put(table, all.get(table)));
        return state;
    }

    private static void assertInvalid(Response response, String... fields) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("invalid-request");
        assertThat(response.json().path("errors").findValuesAsString("field")).contains(fields);
    }
}
