package io.pointbridge.identity;

import static io.pointbridge.identity.IdentityTestSupport.DEMO_GROUP;
import static io.pointbridge.identity.IdentityTestSupport.OTHER_GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Merging two persons found to be the same, as a tenant admin of the realm's demo group: memberships,
 * balances and lots follow, nothing is created or lost, history stays readable, and it is audited.
 */
class IdentityMergeIntegrationTests extends IntegrationTest {

    private static final Instant SOON = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(300)).truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    private IdentityTestSupport support;

    @Autowired
    private Memberships memberships;

    @Autowired
    private Ledger ledger;

    @Autowired
    private AuditTrail audit;

    @Autowired
    private JdbcClient jdbc;

    private Group group;
    private Api admin;

    @BeforeEach
    void demoGroupAndItsAdmin() {
        group = support.adminGroup(DEMO_GROUP);
        admin = api.withToken(IdentityTestSupport.adminToken(DEMO_GROUP));
    }

    @Test
    void movesMembershipsAndMergesWalletsOfTheSameProgramKeepingEachLotsExpiry() {
        var survivorCafe = member(group.cafe(), null);
        credit(survivorCafe, 100, LATER);
        var absorbedCafe = member(group.cafe(), null);
        credit(absorbedCafe, 70, SOON);
        credit(absorbedCafe, 50, LATER);
        credit(absorbedCafe, 5, null);
        var absorbedCinema = member(group.cinema(), absorbedCafe.personId());
        credit(absorbedCinema, 40, SOON);
        var sumsBefore = programSums();

        var merged = admin.post("/api/v1/persons/" + survivorCafe.personId() + "/merge",
            Map.of("absorbedPersonId", absorbedCafe.personId(), "reason", "same customer, two cafe cards"));

        assertThat(merged.status()).isEqualTo(200);
        var survivor = merged.json().path("survivor");
        assertThat(survivor.path("id").asString()).isEqualTo(survivorCafe.personId().toString());
        assertThat(survivor.path("memberships")).hasSize(2);
        assertThat(merged.json().path("movedMemberships").get(0).asString()).isEqualTo(absorbedCinema.id().toString());
        assertThat(merged.json().path("mergedWallets").get(0).path("points").asLong()).isEqualTo(125);
        assertThat(balance(survivorCafe)).isEqualTo(225);
        assertThat(balance(absorbedCafe)).isZero();
        assertThat(balance(absorbedCinema)).isEqualTo(40);
        assertThat(memberships(absorbedCinema).personId()).isEqualTo(survivorCafe.personId());
        assertThat(openLots(survivorCafe)).containsExactlyInAnyOrder(
            new Lot(100, LATER), new Lot(70, SOON), new Lot(50, LATER), new Lot(5, null));
        assertThat(programSums()).isEqualTo(sumsBefore);
        assertThat(fixtures.violations(group)).isEmpty();

        // The absorbed person and its cafe membership stay, marked merged; the external id still resolves.
        var absorbed = admin.get("/api/v1/persons/" + absorbedCafe.personId());
        assertThat(absorbed.text("mergedInto")).isEqualTo(survivorCafe.personId().toString());
        var byExternalId = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members?externalId=" + absorbedCafe.externalId());
        assertThat(byExternalId.text("id")).isEqualTo(absorbedCafe.id().toString());
        assertThat(byExternalId.text("mergedInto")).isEqualTo(survivorCafe.id().toString());
        var history = api.withApiKey(group.cafe().apiKey()).get("/api/v1/members/" + absorbedCafe.id() + "/history");
        assertThat(history.json().path("items").get(0).path("kind").asString()).isEqualTo("MERGE");
        assertThat(history.json().path("items").get(0).path("points").asLong()).isEqualTo(-125);

        var records = fixtures.as(group, () -> audit.about("person:" + absorbedCafe.personId()));
        assertThat(records).hasSize(1);
        var record = records.getFirst();
        assertThat(record.action()).isEqualTo("person.merged");
        assertThat(record.actor()).startsWith("user:");
        assertThat(record.requestId()).startsWith("idempotency-key:");
        assertThat(record.after().path("reason").asString()).isEqualTo("same customer, two cafe cards");
        assertThat(record.before().path("absorbed").path("memberships")).hasSize(2);
        assertThat(record.after().path("survivor").path("memberships")).hasSize(2);
    }

    @Test
    void postingsToAMergedMembershipGoToTheSurvivorsWallet() {
        var survivorCafe = member(group.cafe(), null);
        credit(survivorCafe, 10, LATER);
        var absorbedCafe = member(group.cafe(), null);
        var earlier = credit(absorbedCafe, 20, LATER);
        var merged = merge(survivorCafe.personId(), absorbedCafe.personId());
        assertThat(merged.status()).isEqualTo(200);

        var pos = api.withApiKey(group.cafe().apiKey());
        var purchase = pos.post("/api/v1/members/" + absorbedCafe.id() + "/purchases",
            Map.of("orderId", "after-merge", "amount", "12.00", "currency", "EUR"));
        var spend = pos.post("/api/v1/members/" + absorbedCafe.id() + "/spends", Map.of("points", 25));

        assertThat(purchase.status()).isEqualTo(201);
        assertThat(spend.status()).isEqualTo(201);
        assertThat(spend.number("balance")).isEqualTo(17);
        assertThat(balance(survivorCafe)).isEqualTo(17);
        assertThat(balance(absorbedCafe)).isZero();
        var refund = pos.post("/api/v1/members/" + absorbedCafe.id() + "/purchases/after-merge/refunds",
            Map.of("amount", "12.00", "currency", "EUR"));
        assertThat(refund.status()).isEqualTo(201);
        assertThat(refund.number("pointsReversed")).isEqualTo(12);
        assertThat(balance(survivorCafe)).isEqualTo(5);

        // Points of the absorbed wallet live in the survivor's now: neither its old entries nor the merge reverse.
        var reverseEarlier = admin.post("/api/v1/members/" + absorbedCafe.id() + "/entries/" + earlier + "/reversal",
            Map.of("reason", "test"));
        var mergeEntry = merged.json().path("mergedWallets").get(0).path("entryId").asString();
        var reverseMerge = admin.post("/api/v1/members/" + survivorCafe.id() + "/entries/" + mergeEntry + "/reversal",
            Map.of("reason", "test"));
        assertThat(reverseEarlier.status()).isEqualTo(422);
        assertThat(reverseEarlier.problemType()).isEqualTo("entry-not-reversible");
        assertThat(reverseMerge.status()).isEqualTo(422);
        assertThat(reverseMerge.problemType()).isEqualTo("entry-not-reversible");
        assertThat(balance(survivorCafe)).isEqualTo(5);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesToMergeAPersonIntoItself() {
        var member = member(group.cafe(), null);

        var merged = merge(member.personId(), member.personId());

        assertThat(merged.status()).isEqualTo(422);
        assertThat(merged.problemType()).isEqualTo("merge-into-self");
    }

    @Test
    void refusesToMergeAcrossTenants() {
        var other = support.adminGroup(OTHER_GROUP);
        var mine = member(group.cafe(), null);
        credit(mine, 30, LATER);
        var theirs = member(other, other.cafe(), null);
        credit(other, theirs, 40, LATER);

        var theirsIntoMine = merge(mine.personId(), theirs.personId());
        var mineIntoTheirs = api.withToken(IdentityTestSupport.adminToken(OTHER_GROUP)).post(
            "/api/v1/persons/" + theirs.personId() + "/merge", Map.of("absorbedPersonId", mine.personId(), "reason", "probe"));

        assertThat(admin.get("/api/v1/persons/" + theirs.personId()).problemType()).isEqualTo("person-not-found");
        assertThat(theirsIntoMine.status()).isEqualTo(404);
        assertThat(theirsIntoMine.problemType()).isEqualTo("person-not-found");
        assertThat(mineIntoTheirs.status()).isEqualTo(404);
        assertThat(mineIntoTheirs.problemType()).isEqualTo("person-not-found");
        assertThat(balance(mine)).isEqualTo(30);
        assertThat(fixtures.as(other, () -> memberships.require(theirs.id())).personId()).isEqualTo(theirs.personId());
        assertThat(balance(other, theirs)).isEqualTo(40);
    }

    @Test
    void refusesToMergeAPersonMergedBefore() {
        var a = member(group.cafe(), null);
        var b = member(group.cinema(), null);
        var c = member(group.cafe(), null);
        assertThat(merge(a.personId(), b.personId()).status()).isEqualTo(200);

        var again = merge(c.personId(), b.personId());

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("person-already-merged");
        assertThat(again.text("mergedInto")).isEqualTo(a.personId().toString());
    }

    @Test
    void onlyTenantAdminsMerge() {
        var a = member(group.cafe(), null);
        var b = member(group.cinema(), null);

        var byIntegration = api.withApiKey(group.cafe().apiKey()).post("/api/v1/persons/" + a.personId() + "/merge",
            Map.of("absorbedPersonId", b.personId(), "reason", "not mine to decide"));

        assertThat(byIntegration.status()).isEqualTo(403);
        assertThat(byIntegration.problemType()).isEqualTo("forbidden");
        assertThat(memberships(b).personId()).isEqualTo(b.personId());
    }

    @Test
    void aRetriedMergeReplaysTheFirstAnswerAndIsAuditedOnce() {
        var a = member(group.cafe(), null);
        var b = member(group.cafe(), null);
        credit(b, 12, SOON);
        var body = Map.of("absorbedPersonId", b.personId(), "reason", "duplicate");
        var key = "merge-" + UUID.randomUUID();

        var first = admin.post("/api/v1/persons/" + a.personId() + "/merge", body, key);
        var retry = admin.post("/api/v1/persons/" + a.personId() + "/merge", body, key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.text("auditId")).isEqualTo(first.text("auditId"));
        assertThat(fixtures.as(group, () -> audit.about("person:" + b.personId()))).hasSize(1);
        assertThat(balance(a)).isEqualTo(12);
    }

    @Test
    void aMergeRacingSpendsOnBothWalletsLosesAndCreatesNoPoint() throws Exception {
        var survivor = member(group.cafe(), null);
        credit(survivor, 500, LATER);
        var absorbed = member(group.cafe(), null);
        credit(absorbed, 300, SOON);
        credit(absorbed, 200, LATER);
        var pos = api.withApiKey(group.cafe().apiKey());
        var start = new CountDownLatch(1);
        var spends = new ArrayList<Future<Integer>>();
        Future<Integer> merge;
        try (var threads = Executors.newFixedThreadPool(25)) {
            for (int i = 0; i < 24; i++) {
                var member = i % 2 == 0 ? absorbed : survivor;
                spends.add(threads.submit(() -> {
                    start.await();
                    return pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 7)).status();
                }));
            }
            merge = threads.submit(() -> {
                start.await();
                return merge(survivor.personId(), absorbed.personId()).status();
            });
            start.countDown();
        }

        assertThat(merge.get()).isEqualTo(200);
        long spent = 0;
        for (var spend : spends) {
            assertThat(spend.get()).isEqualTo(201);
            spent += 7;
        }
        assertThat(balance(survivor) + spent).isEqualTo(1000);
        assertThat(balance(absorbed)).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    private Api.Response merge(UUID survivor, UUID absorbed) {
        return admin.post("/api/v1/persons/" + survivor + "/merge", Map.of("absorbedPersonId", absorbed, "reason", "test"));
    }

    /** A new member of the brand's program in the demo group: of a new person, or of the given one. */
    private Membership member(BrandSetup brand, @Nullable UUID person) {
        return member(group, brand, person);
    }

    private Membership member(Group in, BrandSetup brand, @Nullable UUID person) {
        return fixtures.as(in, () -> memberships.enroll(brand.program().id(), "cust-" + UUID.randomUUID(), person)
            .membership());
    }

    /** Credits the member's wallet with one lot expiring at the given time (never, if null); returns the entry. */
    private UUID credit(Membership member, long points, @Nullable Instant expiresAt) {
        return credit(group, member, points, expiresAt);
    }

    private UUID credit(Group in, Membership member, long points, @Nullable Instant expiresAt) {
        return fixtures.as(in, () -> ledger.credit(new Credit(member.id(), points, EntryKind.ADJUSTMENT,
            AccountKind.ADJUSTMENT, null, "test balance", "test:identity", expiresAt)).entryId());
    }

    private long balance(Membership member) {
        return balance(group, member);
    }

    private long balance(Group in, Membership member) {
        return support.inTenant(in, () -> jdbc.sql("""
                select balance from accounts where membership_id = :member and kind = 'WALLET'""")
            .param("member", member.id()).query(Long.class).single());
    }

    private Membership memberships(Membership member) {
        return fixtures.as(group, () -> memberships.require(member.id()));
    }

    record Lot(long points, @Nullable Instant expiresAt) {
    }

    private List<Lot> openLots(Membership member) {
        return support.inTenant(group, () -> jdbc.sql("""
                select l.remaining, l.expires_at from lots l
                  join accounts a on a.tenant_id = l.tenant_id and a.account_id = l.account_id
                 where a.membership_id = :member and l.remaining > 0""")
            .param("member", member.id())
            .query((rs, row) -> {
                var expires = rs.getObject("expires_at", OffsetDateTime.class);
                return new Lot(rs.getLong("remaining"), expires == null ? null : expires.toInstant());
            })
            .list());
    }

    /** Per program of the group, the sum of its members' wallets. */
    private Map<UUID, Long> programSums() {
        return support.inTenant(group, () -> jdbc.sql("""
                select program_id, sum(balance) as points from accounts where kind = 'WALLET' group by program_id""")
            .query((rs, row) -> Map.entry(rs.getObject("program_id", UUID.class), rs.getLong("points")))
            .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
