package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A write runs once per tenant and Idempotency-Key: a retry gets the stored response, another request is refused. */
class IdempotencyIntegrationTests extends IntegrationTest {

    private final KeycloakRealm realm = new KeycloakRealm(KeycloakServer.ensureRunning());

    @AfterEach
    void removeProvisionedIdentities() {
        realm.close();
    }

    private static final String REPLAYED = "Idempotent-Replayed";

    @Test
    void replaysTheStoredResponseWithoutPostingAgain() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();
        var spend = Map.of("points", 30, "reference", "till-1");

        var first = pos.post(spends(member.id()), spend, key);
        var later = pos.post(spends(member.id()), Map.of("points", 60), UUID.randomUUID().toString());
        var retry = pos.post(spends(member.id()), spend, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(later.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.number("balance")).as("the stored balance, not today's").isEqualTo(70);
        assertThat(balance(pos, member.id())).isEqualTo(10);
        assertThat(history(pos, member.id())).hasSize(3);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void replaysAPurchaseWithItsLocation() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();
        var purchase = Map.of("orderId", "order-1", "amount", "25.00", "currency", "EUR");

        var first = pos.post(purchases(member.id()), purchase, key);
        var retry = pos.post(purchases(member.id()), purchase, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.headers().firstValue("Location")).isPresent()
            .isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(balance(pos, member.id())).isEqualTo(25);
        assertThat(history(pos, member.id())).hasSize(1);
    }

    @Test
    void refusesTheSameKeyWithAnotherBody() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();
        pos.post(spends(member.id()), Map.of("points", 30), key);

        var reused = pos.post(spends(member.id()), Map.of("points", 31), key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(reused.text("header")).isEqualTo("Idempotency-Key");
        assertThat(balance(pos, member.id())).isEqualTo(70);
        assertThat(history(pos, member.id())).hasSize(2);
    }

    @Test
    void refusesTheSameKeyAndBodyForAnotherMember() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var other = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();
        pos.post(spends(member.id()), Map.of("points", 30), key);

        var reused = pos.post(spends(other.id()), Map.of("points", 30), key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(balance(pos, other.id())).isEqualTo(100);
    }

    @Test
    void leavesTheKeyUnusedWhenTheFirstAttemptFails() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 10);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();

        var refused = pos.post(spends(member.id()), Map.of("points", 50), key);
        var topUp = pos.post(purchases(member.id()),
            Map.of("orderId", "order-1", "amount", "45.00", "currency", "EUR"));
        var retry = pos.post(spends(member.id()), Map.of("points", 50), key);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("insufficient-points");
        assertThat(topUp.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(retry.number("balance")).isEqualTo(5);
        assertThat(balance(pos, member.id())).isEqualTo(5);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void keepsKeysApartPerTenant() {
        var one = fixtures.group();
        var other = fixtures.group();
        var oneMember = fixtures.memberWithBalance(one, 100);
        var otherMember = fixtures.memberWithBalance(other, 100);
        var key = UUID.randomUUID().toString();

        var inOne = pos(one).post(spends(oneMember.id()), Map.of("points", 10), key);
        var inOther = pos(other).post(spends(otherMember.id()), Map.of("points", 20), key);

        assertThat(inOne.status()).isEqualTo(201);
        assertThat(inOther.status()).isEqualTo(201);
        assertThat(inOther.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(balance(pos(one), oneMember.id())).isEqualTo(90);
        assertThat(balance(pos(other), otherMember.id())).isEqualTo(80);
    }

    @Test
    void keepsKeysApartPerCallerSoNoBrandReceivesAnothersAnswer() {
        var group = fixtures.group();
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var key = "order-1001-" + UUID.randomUUID();

        var inCafe = cafe.post("/api/v1/members", Map.of("externalId", "customer-7"), key);
        var inCinema = cinema.post("/api/v1/members", Map.of("externalId", "customer-7"), key);

        assertThat(inCafe.status()).isEqualTo(201);
        assertThat(inCinema.status()).isEqualTo(201);
        assertThat(inCinema.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(inCinema.text("id")).isNotEqualTo(inCafe.text("id"));
        assertThat(inCinema.text("programId")).isEqualTo(group.cinema().program().id().toString());
        var retry = cafe.post("/api/v1/members", Map.of("externalId", "customer-7"), key);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.text("id")).isEqualTo(inCafe.text("id"));
    }

    @Test
    void enrolsAnExternalIdOnceWhateverTheKey() {
        var group = fixtures.group();
        var pos = pos(group);
        var firstKey = UUID.randomUUID().toString();

        var first = pos.post("/api/v1/members", Map.of("externalId", "customer-42"), firstKey);
        var again = pos.post("/api/v1/members", Map.of("externalId", "customer-42"), UUID.randomUUID().toString());
        var retry = pos.post("/api/v1/members", Map.of("externalId", "customer-42"), firstKey);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.headers().firstValue(REPLAYED)).isEmpty();
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
    }

    @Test
    void postsOnceWhenRetriesRace() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var key = UUID.randomUUID().toString();
        var start = new CountDownLatch(1);
        var responses = new ArrayList<Future<Response>>();
        try (var threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                responses.add(threads.submit(() -> {
                    start.await();
                    return pos.post(spends(member.id()), Map.of("points", 10), key);
                }));
            }
            start.countDown();
        }

        var entries = new ArrayList<String>();
        for (var response : responses) {
            assertThat(response.get().status()).as(response.get().body()).isEqualTo(201);
            entries.add(response.get().text("entryId"));
        }
        assertThat(entries).containsOnly(entries.getFirst());
        assertThat(balance(pos, member.id())).isEqualTo(90);
        assertThat(history(pos, member.id())).hasSize(2);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void replaysATenantCreationAndRefusesItsSlugToAnyOtherRequest() {
        var operator = api.withToken(KeycloakUsers.operator());
        var slug = "replayed-" + UUID.randomUUID().toString().substring(0, 8);
        var tenant = KeycloakRealm.newTenant(slug, "Replayed Group");
        var key = UUID.randomUUID().toString();

        realm.removesAfterwards(slug);
        var first = operator.post("/api/v1/tenants", tenant, key);
        var retry = operator.post("/api/v1/tenants", tenant, key);
        var renamed = operator.post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Renamed"), key);
        var otherKey = operator.post("/api/v1/tenants", tenant, UUID.randomUUID().toString());

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        assertThat(renamed.status()).isEqualTo(422);
        assertThat(renamed.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(otherKey.status()).isEqualTo(409);
        assertThat(otherKey.problemType()).isEqualTo("tenant-slug-taken");
    }

    @Test
    void replaysAnIssuedApiKeyWithoutItsSecret() {
        DemoGroup.ensureExists(api);
        var admin = api.withToken(KeycloakUsers.demoAdmin());
        var code = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        var brand = admin.post("/api/v1/brands", Map.of("code", code, "name", "Replay"));
        var keys = "/api/v1/brands/" + brand.text("id") + "/api-keys";
        var key = UUID.randomUUID().toString();

        var issued = admin.post(keys, Map.of("name", "till"), key);
        var retry = admin.post(keys, Map.of("name", "till"), key);

        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.text("apiKey")).startsWith("pbk_");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue(REPLAYED)).hasValue("true");
        assertThat(retry.text("id")).isEqualTo(issued.text("id"));
        assertThat(retry.json().has("apiKey")).isFalse();
        assertThat(retry.body()).doesNotContain(issued.text("apiKey").substring(37));
        assertThat(admin.get(keys).json().valueStream()).hasSize(1);
    }

    private Api pos(Group group) {
        return api.withApiKey(group.cafe().apiKey());
    }

    private static long balance(Api api, UUID member) {
        return api.get("/api/v1/members/" + member + "/balance").number("balance");
    }

    private static List<JsonNode> history(Api api, UUID member) {
        return api.get("/api/v1/members/" + member + "/history?limit=100").json().path("items").valueStream().toList();
    }

    private static String spends(UUID member) {
        return "/api/v1/members/" + member + "/spends";
    }

    private static String purchases(UUID member) {
        return "/api/v1/members/" + member + "/purchases";
    }
}
