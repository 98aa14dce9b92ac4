package io.pointbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryAlreadyReversed;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.Concurrently;
import io.pointbridge.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Many clients at once, over real HTTP and real threads, never overdraw, double-spend or lose an update. */
class ConcurrentSpendIntegrationTests extends IntegrationTest {

    private static final int CLIENTS = 32;

    @Autowired
    private Ledger ledger;

    @Test
    void spendsNeverOverdrawAWalletUnderConcurrency() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);

        var responses = Concurrently.run(40, client -> pos.post(spends(member), Map.of("points", 7)));

        var spent = responses.stream().filter(response -> response.status() == 201).toList();
        var refused = responses.stream().filter(response -> response.status() != 201).toList();
        assertThat(spent).hasSize(100 / 7);
        assertThat(refused).hasSize(40 - 100 / 7)
            .allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(422);
                assertThat(response.problemType()).isEqualTo("insufficient-points");
            });
        assertThat(spent).extracting(response -> response.number("balance"))
            .as("each spend saw the balance the one before it left")
            .containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, 100 / 7).map(n -> 100 - 7 * n).boxed().toList());
        assertThat(balance(pos, member)).isEqualTo(100 - 7 * (100 / 7));
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void concurrentSpendsOfTheWholeBalanceAllSucceedAndLeaveNothing() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithLots(group, 40, 25, 50, 45);
        var pos = pos(group);

        var responses = Concurrently.run(CLIENTS, client -> pos.post(spends(member), Map.of("points", 5)));

        assertThat(responses).extracting(Response::status).containsOnly(201);
        assertThat(responses).extracting(response -> response.number("balance"))
            .containsExactlyInAnyOrderElementsOf(LongStream.range(0, CLIENTS).map(n -> 5 * n).boxed().toList());
        assertThat(balance(pos, member)).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void appliesASpendOnceToConcurrentRequestsWithOneIdempotencyKey() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var body = Map.of("points", 10, "reference", "till-7");

        var responses = Concurrently.run(CLIENTS, client -> pos.post(spends(member), body, "spend-once-key"));

        assertThat(responses).extracting(Response::status).containsOnly(201);
        assertThat(responses).extracting(response -> response.text("entryId"))
            .containsOnly(responses.getFirst().text("entryId"));
        assertThat(responses).extracting(Response::json).containsOnly(responses.getFirst().json());
        assertThat(responses).filteredOn(response -> response.headers().firstValue("Idempotent-Replayed").isEmpty())
            .as("responses that were not replays").hasSize(1);
        assertThat(balance(pos, member)).isEqualTo(90);
        assertThat(spendsIn(pos, member)).isEqualTo(1);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesAnIdempotencyKeyReusedWithAnotherBody() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        assertThat(pos.post(spends(member), Map.of("points", 10), "reused-key-1").status()).isEqualTo(201);

        var responses = Concurrently.run(CLIENTS, client -> pos.post(spends(member), Map.of("points", 11), "reused-key-1"));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("idempotency-key-reused");
        });
        assertThat(balance(pos, member)).isEqualTo(90);
        assertThat(spendsIn(pos, member)).isEqualTo(1);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void appliesOnlyOneOfTwoBodiesRacingForOneIdempotencyKey() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);

        var responses = Concurrently.run(CLIENTS,
            client -> pos.post(spends(member), Map.of("points", client % 2 == 0 ? 10 : 15), "racing-key-1"));

        var spent = responses.stream().filter(response -> response.status() == 201).toList();
        assertThat(spent).as("the winning body's responses").hasSize(CLIENTS / 2)
            .extracting(Response::json).containsOnly(spent.getFirst().json());
        assertThat(responses).filteredOn(response -> response.status() != 201).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("idempotency-key-reused");
        });
        assertThat(balance(pos, member)).isEqualTo(spent.getFirst().number("balance"))
            .isIn(100L - 10, 100L - 15);
        assertThat(spendsIn(pos, member)).isEqualTo(1);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void earnsOfManyMembersOfOneProgramAllLandConcurrently() throws Exception {
        var group = fixtures.group();
        var members = new ArrayList<Membership>();
        for (int m = 0; m < CLIENTS; m++) {
            members.add(fixtures.member(group));
        }
        var pos = pos(group);

        var responses = Concurrently.run(2 * CLIENTS, client -> pos.post(purchases(members.get(client % CLIENTS)),
            Map.of("orderId", "order-" + client, "amount", (client % 7 + 1) + ".50", "currency", "EUR")));

        assertThat(responses).extracting(Response::status).containsOnly(201);
        for (int m = 0; m < CLIENTS; m++) {
            long expected = (m % 7 + 1) + ((m + CLIENTS) % 7 + 1);
            assertThat(balance(pos, members.get(m))).as("balance of member %d", m).isEqualTo(expected);
        }
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void earnsAndSpendsRacingOnOneWalletNeverLoseAnUpdate() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 50);
        var pos = pos(group);

        var responses = Concurrently.run(48, client -> client % 3 == 0
            ? pos.post(purchases(member), Map.of("orderId", "order-" + client, "amount", "10.00", "currency", "EUR"))
            : pos.post(spends(member), Map.of("points", 10)));

        var earns = IntStream.range(0, 48).filter(client -> client % 3 == 0).mapToObj(responses::get).toList();
        var spends = IntStream.range(0, 48).filter(client -> client % 3 != 0).mapToObj(responses::get).toList();
        assertThat(earns).extracting(Response::status).containsOnly(201);
        assertThat(spends).filteredOn(response -> response.status() != 201).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("insufficient-points");
        });
        long spent = spends.stream().filter(response -> response.status() == 201).count();
        assertThat(balance(pos, member)).isEqualTo(50 + 10 * 16 - 10 * spent);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refundsRacingOnOnePurchaseNeverReverseMoreThanItEarned() throws Exception {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var pos = pos(group);
        var purchase = pos.post(purchases(member), Map.of("orderId", "big-order", "amount", "100.00", "currency", "EUR"));
        assertThat(purchase.number("pointsEarned")).isEqualTo(100);

        var responses = Concurrently.run(12, client -> pos.post(purchases(member) + "/big-order/refunds",
            Map.of("amount", "10.00", "currency", "EUR")));

        var refunded = responses.stream().filter(response -> response.status() == 201).toList();
        assertThat(refunded).hasSize(10);
        assertThat(refunded.stream().mapToLong(response -> response.number("pointsReversed")).sum()).isEqualTo(100);
        assertThat(responses).filteredOn(response -> response.status() != 201).hasSize(2).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("refund-exceeds-purchase");
        });
        assertThat(balance(pos, member)).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void reversesAnEntryOnlyOnceUnderConcurrency() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var spend = fixtures.as(group, () -> ledger.debit(new Debit(member.id(), 30, EntryKind.SPEND,
            AccountKind.REDEMPTION, null, null, "test:concurrency", null, Shortfall.REFUSE)));

        var outcomes = Concurrently.run(16, client -> fixtures.as(group, () -> {
            try {
                return ledger.reverse(member.id(), spend.entryId(), "test:concurrency", "double click")
                    .balanceAfter();
            } catch (EntryAlreadyReversed refused) {
                return -1L;
            }
        }));

        assertThat(outcomes).containsOnlyOnce(100L).filteredOn(outcome -> outcome != 100L).containsOnly(-1L);
        assertThat(fixtures.violations(group)).isEmpty();
    }


    private Api pos(Group group) {
        return api.withApiKey(group.cafe().apiKey());
    }

    private static String spends(Membership member) {
        return "/api/v1/members/" + member.id() + "/spends";
    }

    private static String purchases(Membership member) {
        return "/api/v1/members/" + member.id() + "/purchases";
    }

    private static long balance(Api pos, Membership member) {
        var response = pos.get("/api/v1/members/" + member.id() + "/balance");
        assertThat(response.status()).isEqualTo(200);
        return response.number("balance");
    }

    private static long spendsIn(Api pos, Membership member) {
        var response = pos.get("/api/v1/members/" + member.id() + "/history?limit=100");
        assertThat(response.status()).isEqualTo(200);
        var spends = 0L;
        for (JsonNode line : response.json().path("items")) {
            if ("SPEND".equals(line.path("kind").asString())) {
                spends++;
            }
        }
        return spends;
    }
}
