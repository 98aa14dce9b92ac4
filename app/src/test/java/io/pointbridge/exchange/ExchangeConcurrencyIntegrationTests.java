package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.exchange.ExchangeFixtures.Terms;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.tenant.member.Membership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Many transfers at once from real threads over HTTP: the balance and every cap hold exactly, no point is
 * spent twice, and a quote executes once.
 */
class ExchangeConcurrencyIntegrationTests extends IntegrationTest {

    private static final int PARALLEL = 40;

    @Autowired
    ExchangeFixtures exchange;

    @Test
    void parallelTransfersFromOneWalletNeverOverspend() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 300);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quotes = quotes(cafe, List.of(person), 10);

        var outcomes = executeAtOnce(cafe, quotes);

        assertThat(outcomes).containsEntry("201", 30L).containsEntry("insufficient-points", 10L).hasSize(2);
        assertThat(balance(cafe, person.get(0))).isZero();
        assertThat(balance(api.withApiKey(group.cinema().apiKey()), person.get(1))).isEqualTo(300);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void parallelTransfersNeverOvershootAMemberDailyCap() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1).caps(250L, null, null));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 1000);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quotes = quotes(cafe, List.of(person), 10);

        var outcomes = executeAtOnce(cafe, quotes);

        assertThat(outcomes).containsEntry("201", 25L).containsEntry("exchange-cap-exceeded", 15L).hasSize(2);
        assertThat(balance(cafe, person.get(0))).isEqualTo(750);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void parallelTransfersOfManyMembersNeverOvershootAPairDailyCap() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1).caps(null, null, 300L));
        var persons = new ArrayList<List<Membership>>();
        for (int i = 0; i < 8; i++) {
            var person = fixtures.person(group, group.cafe(), group.cinema());
            fixtures.credit(group, person.get(0), 100);
            persons.add(person);
        }
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quotes = quotes(cafe, persons, 10);

        var outcomes = executeAtOnce(cafe, quotes);

        assertThat(outcomes).containsEntry("201", 30L).containsEntry("exchange-cap-exceeded", 10L).hasSize(2);
        long left = persons.stream().mapToLong(person -> balance(cafe, person.get(0))).sum();
        assertThat(left).isEqualTo(800 - 300);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aQuoteExecutedInParallelExecutesOnce() {
        var group = fixtures.group();
        exchange.bothWays(group, Terms.of(1, 1));
        var person = fixtures.person(group, group.cafe(), group.cinema());
        fixtures.credit(group, person.get(0), 100);
        var cafe = api.withApiKey(group.cafe().apiKey());
        var quote = quotes(cafe, List.of(person), 10).getFirst();

        var outcomes = executeAtOnce(cafe, Collections.nCopies(16, quote));

        assertThat(outcomes).containsEntry("201", 1L).containsEntry("quote-already-executed", 15L).hasSize(2);
        assertThat(balance(cafe, person.get(0))).isEqualTo(90);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    /** {@value #PARALLEL} quotes of {@code points} each, spread over the persons in turn; each is within the rules. */
    private static List<String> quotes(Api caller, List<List<Membership>> persons, long points) {
        var quotes = new ArrayList<String>();
        for (int i = 0; i < PARALLEL; i++) {
            var person = persons.get(i % persons.size());
            var quote = caller.post("/api/v1/exchange/quotes",
                Map.of("sourceMemberId", person.get(0).id(), "targetMemberId", person.get(1).id(), "points", points));
            assertThat(quote.status()).as(quote.body()).isEqualTo(201);
            quotes.add(quote.text("id"));
        }
        return quotes;
    }

    /** Executes the quotes from one thread each, released together; counts outcomes by status or problem type. */
    private static Map<String, Long> executeAtOnce(Api caller, List<String> quotes) {
        var start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(quotes.size())) {
            var responses = new ArrayList<Future<Response>>();
            for (var quote : quotes) {
                responses.add(threads.submit(() -> {
                    start.await();
                    return caller.post("/api/v1/exchange/quotes/" + quote + "/transfer", Map.of());
                }));
            }
            start.countDown();
            return responses.stream().map(ExchangeConcurrencyIntegrationTests::join)
                .map(response -> response.status() == 201 ? "201" : response.problemType())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        }
    }

    private static Response join(Future<Response> response) {
        try {
            return response.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long balance(Api caller, Membership member) {
        return caller.get("/api/v1/members/" + member.id() + "/balance").number("balance");
    }
}
